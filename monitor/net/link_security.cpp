#include "net/link_security.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <stdexcept>

#include "net/tls_context.hpp"

namespace vigil::net {

namespace ssl = boost::asio::ssl;

std::optional<std::string> check_link_security(const LinkSecurity& security) {
  if (!security.tls) {
    if (!security.ca_file.empty() || !security.cert_file.empty() || !security.server_name.empty())
      return std::string("--ca, --cert and --tls-server-name need --tls");
    return std::nullopt;
  }
  if (security.cert_file.empty() != security.key_file.empty())
    return std::string("--cert and --key go together");
  try {
    client_tls_context(security);
  } catch (const std::invalid_argument& e) {
    return std::string(e.what());
  }
  return std::nullopt;
}

std::shared_ptr<ssl::context> client_tls_context(const LinkSecurity& security) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_client);
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                       ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  SSL_CTX* native = context->native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  ERR_clear_error();
  if (security.ca_file.empty()) {
    if (SSL_CTX_set_default_verify_paths(native) != 1)
      throw std::invalid_argument("cannot load the system's trusted CAs: " + net::last_openssl_error());
  } else if (SSL_CTX_load_verify_locations(native, security.ca_file.c_str(), nullptr) != 1) {
    throw std::invalid_argument("cannot load CA " + security.ca_file + ": " + net::last_openssl_error());
  }
  if (!security.cert_file.empty()) {
    if (SSL_CTX_use_certificate_chain_file(native, security.cert_file.c_str()) != 1)
      throw std::invalid_argument("cannot load certificate " + security.cert_file + ": " +
                                  net::last_openssl_error());
    if (SSL_CTX_use_PrivateKey_file(native, security.key_file.c_str(), SSL_FILETYPE_PEM) != 1 ||
        SSL_CTX_check_private_key(native) != 1)
      throw std::invalid_argument("cannot use key " + security.key_file + " with " + security.cert_file +
                                  ": " + net::last_openssl_error());
  }
  context->set_verify_mode(ssl::verify_peer);
  return context;
}

}  // namespace vigil::net
