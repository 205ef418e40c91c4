#include "support/test_pki.hpp"

#include <fstream>
#include <stdexcept>

namespace vigil::test {

namespace {

using namespace std::chrono_literals;

// EC P-256 keys: quick to make, and what a clinic would use today.
constexpr const char* kConfig = R"([req]
distinguished_name = dn
prompt = no
[dn]
CN = placeholder
[ca_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[server_ext]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1,DNS:localhost
[client_ext]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = clientAuth
)";

void openssl(std::vector<std::string> args) {
  args.insert(args.begin(), "/usr/bin/openssl");  // run_command does not search PATH
  auto r = run_command(args, 60s);
  if (r.exit_code != 0) {
    std::string cmd;
    for (const auto& a : args) cmd += a + " ";
    throw std::runtime_error("test PKI: `" + cmd + "` failed: " + r.err);
  }
}

}  // namespace

TestPki::TestPki(const TempDir& dir) : dir_(dir), config_(dir.file("pki.cnf")) {
  std::ofstream(config_) << kConfig;
  ca_ = make_ca("ca", "Vigil Test CA");
  other_ca_ = make_ca("other-ca", "Somebody Else's CA");
  server_ = make_leaf("server", "vigild.test", ca_, "server_ext");
}

CertFiles TestPki::client(const std::string& cn, bool from_other_ca) {
  const std::string name = (from_other_ca ? "other-" : "client-") + cn;
  return make_leaf(name, cn, from_other_ca ? other_ca_ : ca_, "client_ext");
}

CertFiles TestPki::make_ca(const std::string& name, const std::string& cn) {
  CertFiles out{dir_.file(name + ".crt"), dir_.file(name + ".key")};
  openssl({"req", "-x509", "-config", config_, "-extensions", "ca_ext", "-newkey", "ec", "-pkeyopt",
           "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", out.key, "-out", out.cert, "-days", "2",
           "-subj", "/CN=" + cn});
  return out;
}

CertFiles TestPki::make_leaf(const std::string& name, const std::string& cn, const CertFiles& ca,
                             const std::string& ext) {
  CertFiles out{dir_.file(name + ".crt"), dir_.file(name + ".key")};
  const std::string csr = dir_.file(name + ".csr");
  openssl({"req", "-new", "-config", config_, "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
           "-nodes", "-keyout", out.key, "-out", csr, "-subj", "/CN=" + cn});
  openssl({"x509", "-req", "-in", csr, "-CA", ca.cert, "-CAkey", ca.key, "-CAcreateserial", "-out", out.cert,
           "-days", "2", "-extfile", config_, "-extensions", ext});
  return out;
}

}  // namespace vigil::test
