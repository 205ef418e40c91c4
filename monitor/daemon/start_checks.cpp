#include "daemon/start_checks.hpp"

#include "daemon/daemon.hpp"  // to_string(endpoint)
#include "daemon/source_limits.hpp"
#include "net/tls_context.hpp"

namespace vigil::daemon {

namespace asio = boost::asio;

asio::ip::tcp::endpoint resolve_listen(asio::io_context& io, const ListenAddress& at,
                                       const std::string& what) {
  boost::system::error_code ec;
  auto address = asio::ip::make_address(at.host, ec);
  if (!ec) return {address, at.port};
  asio::ip::tcp::resolver resolver(io);
  auto results = resolver.resolve(at.host, std::to_string(at.port), ec);
  if (ec || results.empty())
    throw ConfigError(what + ": cannot resolve host '" + at.host + "': " + ec.message());
  return results.begin()->endpoint();
}

void check_listen_policy(const asio::ip::tcp::endpoint& hl7, const asio::ip::tcp::endpoint& stream,
                         const Settings& settings) {
  const bool logins = !settings.stream_users.empty() || !settings.stream_tls.client_ca_file.empty();
  if (!is_loopback(stream.address()) && !(settings.stream_tls.enabled() && logins)) {
    throw ConfigError("--stream-listen " + to_string(stream) +
                      ": binding beyond loopback needs TLS and client authentication: set stream_tls "
                      "(--stream-tls-cert, --stream-tls-key) and at least one stream_user or a client CA "
                      "(--stream-client-ca), see docs/configuration.md; or bind to 127.0.0.1 or [::1]");
  }
  if (!is_loopback(hl7.address()) && settings.hl7_allow.empty()) {
    throw ConfigError("--hl7-listen " + to_string(hl7) +
                      ": binding beyond loopback needs an allow-list of monitor addresses: set hl7_allow "
                      "in the config file (e.g. hl7_allow: \"10.1.2.0/24\"), or bind to 127.0.0.1");
  }
}

std::shared_ptr<asio::ssl::context> stream_tls_context(const StreamTlsSettings& tls) {
  if (!tls.client_ca_file.empty() && !tls.enabled())
    throw ConfigError("--stream-client-ca needs TLS: set --stream-tls-cert and --stream-tls-key too");
  if (!tls.enabled()) return nullptr;
  if (tls.cert_file.empty() || tls.key_file.empty())
    throw ConfigError(
        "stream TLS needs both a certificate and its key (--stream-tls-cert, --stream-tls-key)");
  try {
    return net::server_tls_context({tls.cert_file, tls.key_file, tls.client_ca_file});
  } catch (const std::invalid_argument& e) {
    throw ConfigError(std::string("stream TLS: ") + e.what());
  }
}

// The health port is read-only (no patient data) but says how the clinic's system stands:
// beyond loopback it is served only as HTTPS, with the stream's certificate. Null: plain.
std::shared_ptr<asio::ssl::context> http_tls_context(const asio::ip::tcp::endpoint& http,
                                                     const Settings& settings) {
  if (is_loopback(http.address())) return nullptr;
  if (!settings.stream_tls.enabled() || settings.stream_tls.cert_file.empty() ||
      settings.stream_tls.key_file.empty())
    throw ConfigError(
        "--http-listen " + to_string(http) +
        ": binding beyond loopback needs TLS: set stream_tls (--stream-tls-cert, "
        "--stream-tls-key), whose certificate then serves HTTPS; or bind to 127.0.0.1 or [::1]");
  try {
    return net::server_tls_context({settings.stream_tls.cert_file, settings.stream_tls.key_file, ""});
  } catch (const std::invalid_argument& e) {
    throw ConfigError(std::string("--http-listen TLS: ") + e.what());
  }
}

}  // namespace vigil::daemon
