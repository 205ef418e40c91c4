#pragma once
// The checks a start makes before it binds a port or touches the database: listen addresses
// resolve, the network policy holds (TLS and logins beyond loopback, an HL7 allow-list), the
// TLS files load. The daemon runs them first; `vigild --check-config` runs the same ones
// (config_check.hpp), so a configuration that passes the check passes them at start too.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include <memory>
#include <string>

#include "daemon/settings.hpp"

namespace vigil::daemon {

// HOST:PORT to an endpoint (a literal address, else the first the resolver gives); throws
// ConfigError naming `what`.
boost::asio::ip::tcp::endpoint resolve_listen(boost::asio::io_context& io, const ListenAddress& at,
                                              const std::string& what);

// The stream may face the network only with TLS and client authentication (users or a
// client CA); the HL7 port only with an allow-list of monitor addresses. Throws ConfigError.
void check_listen_policy(const boost::asio::ip::tcp::endpoint& hl7,
                         const boost::asio::ip::tcp::endpoint& stream, const Settings& settings);

// The health port's TLS context: null (plain HTTP) on loopback; beyond it HTTPS with the
// stream's certificate, or ConfigError when the stream has none.
std::shared_ptr<boost::asio::ssl::context> http_tls_context(const boost::asio::ip::tcp::endpoint& http,
                                                            const Settings& settings);
// The stream's TLS context, or null for plain TCP. Throws ConfigError for unusable files.
std::shared_ptr<boost::asio::ssl::context> stream_tls_context(const StreamTlsSettings& tls);

}  // namespace vigil::daemon
