#pragma once
// A throwaway PKI for TLS system tests, made with the openssl CLI in a temporary directory:
// a CA, a server certificate for 127.0.0.1 / localhost, and client certificates by CN,
// signed by that CA or by a second, unrelated one.

#include <string>

#include "support/child_process.hpp"

namespace vigil::test {

struct CertFiles {
  std::string cert;
  std::string key;
};

class TestPki {
 public:
  // Creates the CAs and the server certificate under `dir`. Throws std::runtime_error with
  // openssl's stderr if a step fails.
  explicit TestPki(const TempDir& dir);

  const std::string& ca_cert() const { return ca_.cert; }
  const CertFiles& server() const { return server_; }
  // A client certificate with common name `cn`, signed by the test CA, or by another CA
  // the daemon does not trust.
  CertFiles client(const std::string& cn, bool from_other_ca = false);

 private:
  CertFiles make_ca(const std::string& name, const std::string& cn);
  CertFiles make_leaf(const std::string& name, const std::string& cn, const CertFiles& ca,
                      const std::string& ext);

  const TempDir& dir_;
  std::string config_;
  CertFiles ca_, other_ca_, server_;
};

}  // namespace vigil::test
