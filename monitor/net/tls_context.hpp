#pragma once
// TLS contexts for the stream (Boost.Asio SSL over Debian's OpenSSL) and the one fact the
// daemon takes from a client certificate: its verified common name.

#include <memory>
#include <string>

#include <boost/asio/ssl/context.hpp>

namespace vigil::net {

struct ServerTlsFiles {
  std::string cert_file;       // PEM chain, server certificate first
  std::string key_file;        // PEM private key
  std::string client_ca_file;  // empty: no client certificates asked for
};

// TLS 1.2 or newer. With a client CA, clients are asked for a certificate and one that does
// not verify against that CA fails the handshake; clients without one may still connect
// (and log in with a token). Throws std::invalid_argument naming the file and the reason.
std::shared_ptr<boost::asio::ssl::context> server_tls_context(const ServerTlsFiles& files);

// The common name of the peer's certificate if it was sent and verified; "" otherwise (also
// for a CN that is empty or holds a NUL byte).
std::string verified_peer_common_name(SSL* ssl);

// The text of the newest OpenSSL error, for messages ("no such file", "key values mismatch").
std::string last_openssl_error();

}  // namespace vigil::net
