#include "net/tls_context.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <stdexcept>

namespace vigil::net {

namespace ssl = boost::asio::ssl;

std::string last_openssl_error() {
  unsigned long code = 0, last = 0;
  while ((code = ERR_get_error()) != 0) last = code;  // the newest is the most specific
  if (last == 0) return "unknown error";
  char text[256];
  ERR_error_string_n(last, text, sizeof text);
  return text;
}

std::shared_ptr<ssl::context> server_tls_context(const ServerTlsFiles& files) {
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                       ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
  SSL_CTX* native = context->native_handle();
  SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION);
  ERR_clear_error();
  if (SSL_CTX_use_certificate_chain_file(native, files.cert_file.c_str()) != 1)
    throw std::invalid_argument("cannot load certificate " + files.cert_file + ": " + last_openssl_error());
  if (SSL_CTX_use_PrivateKey_file(native, files.key_file.c_str(), SSL_FILETYPE_PEM) != 1)
    throw std::invalid_argument("cannot load private key " + files.key_file + ": " + last_openssl_error());
  if (SSL_CTX_check_private_key(native) != 1)
    throw std::invalid_argument("private key " + files.key_file + " does not match certificate " +
                                files.cert_file + ": " + last_openssl_error());
  if (!files.client_ca_file.empty()) {
    if (SSL_CTX_load_verify_locations(native, files.client_ca_file.c_str(), nullptr) != 1)
      throw std::invalid_argument("cannot load client CA " + files.client_ca_file + ": " +
                                  last_openssl_error());
    // Tells clients which CA we accept, so they pick the right certificate.
    STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(files.client_ca_file.c_str());
    if (names == nullptr)
      throw std::invalid_argument("cannot read CA names from " + files.client_ca_file + ": " +
                                  last_openssl_error());
    SSL_CTX_set_client_CA_list(native, names);
    // Not fail_if_no_peer_cert: a client without a certificate may still log in by token.
    context->set_verify_mode(ssl::verify_peer);
  } else {
    context->set_verify_mode(ssl::verify_none);
  }
  return context;
}

std::string verified_peer_common_name(SSL* ssl) {
  if (ssl == nullptr) return {};
  X509* cert = SSL_get1_peer_certificate(ssl);
  if (cert == nullptr) return {};
  std::string cn;
  if (SSL_get_verify_result(ssl) == X509_V_OK) {
    X509_NAME* name = X509_get_subject_name(cert);
    const int index = name ? X509_NAME_get_index_by_NID(name, NID_commonName, -1) : -1;
    if (index >= 0) {
      unsigned char* utf8 = nullptr;
      const int len = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index)));
      if (len > 0) cn.assign(reinterpret_cast<const char*>(utf8), static_cast<std::size_t>(len));
      OPENSSL_free(utf8);
      if (cn.find('\0') != std::string::npos) cn.clear();
    }
  }
  X509_free(cert);
  return cn;
}

}  // namespace vigil::net
