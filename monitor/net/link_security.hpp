#pragma once
// How a client secures its link to vigild: TLS with server verification, an optional client
// certificate, and the login token sent in the hello. Shared by vigilctl and vigil-dashboard
// (flags --tls --ca --cert --key --tls-server-name --token / $VIGIL_TOKEN).

#include <memory>
#include <optional>
#include <string>

#include <boost/asio/ssl/context.hpp>

namespace vigil::net {

struct LinkSecurity {
  bool tls = false;
  std::string ca_file;      // trust anchor for the server certificate; empty: the system store
  std::string cert_file;    // client certificate (PEM), to log in by certificate
  std::string key_file;     // its private key (PEM)
  std::string server_name;  // name the server certificate must carry; empty: the host dialled
  std::string token;        // login token for the hello; empty: none
};

// What is wrong with `security` before any connection is tried (unreadable files, a
// certificate without its key, TLS files without --tls); nullopt when usable.
std::optional<std::string> check_link_security(const LinkSecurity& security);

// A TLS client context: TLS 1.2+, verify_peer against ca_file (or the system store), the
// client certificate if given. Throws std::invalid_argument naming the file.
std::shared_ptr<boost::asio::ssl::context> client_tls_context(const LinkSecurity& security);

}  // namespace vigil::net
