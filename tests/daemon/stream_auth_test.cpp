// Stream logins and roles (daemon/stream_auth.hpp) and their config (settings.hpp).
#include <gtest/gtest.h>

#include "daemon/settings.hpp"
#include "daemon/stream_auth.hpp"
#include "events.pb.h"

namespace vigil::daemon {
namespace {

const std::string kToken = "correct horse battery staple";

std::vector<StreamUser> users() {
  return {make_stream_user("nina", "nurse", sha256_hex(kToken), ""),
          make_stream_user("vera", "viewer", sha256_hex("viewer token 12345"), ""),
          make_stream_user("carol", "nurse", "", "desk-3")};
}

stream::StreamServer::Admission admit(const StreamAuth& auth, const std::string& token, const std::string& cn,
                                      const std::string& typed_user = "someone",
                                      const std::string& address = "10.0.0.9") {
  proto::ClientHello hello;
  hello.set_user(typed_user);
  hello.set_token(token);
  return auth.admit({hello, address, cn});
}

TEST(StreamAuth, Sha256HexMatchesTheStandardVectors) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(StreamAuth, RoleCheckIsNurseOnlyForActionsAndOpenOtherwise) {
  proto::NurseRequest r;
  const auto both = [&](bool viewer, bool nurse) {
    EXPECT_EQ(request_allowed(Role::Viewer, r), viewer) << r.ShortDebugString();
    EXPECT_EQ(request_allowed(Role::Nurse, r), nurse) << r.ShortDebugString();
  };
  both(true, true);  // no action (e.g. a kind this build does not know): not a nurse action
  r.mutable_acknowledge()->set_alert_id("X");
  both(false, true);
  r.mutable_pause_audio();
  both(false, true);
  r.mutable_begin()->set_patient("P");
  both(false, true);
  r.mutable_baseline_override();
  both(false, true);
  for (auto set :
       {&proto::NurseRequest::mutable_start_infusion, &proto::NurseRequest::mutable_stop_infusion,
        &proto::NurseRequest::mutable_pause_infusion, &proto::NurseRequest::mutable_resume_infusion,
        &proto::NurseRequest::mutable_end_session}) {
    (r.*set)();
    both(false, true);
  }
}

TEST(StreamAuth, TokenOrMappedCertificateLogsIn) {
  StreamAuth auth(users(), /*client_ca=*/true);
  ASSERT_TRUE(auth.enabled());
  auto a = admit(auth, kToken, "");
  EXPECT_TRUE(a.accepted && a.authenticated);
  EXPECT_EQ(a.user, "nina");  // never the typed name
  EXPECT_EQ(a.role, "nurse");
  a = admit(auth, "viewer token 12345", "");
  EXPECT_TRUE(a.accepted);
  EXPECT_EQ(a.role, "viewer");
  a = admit(auth, "", "desk-3");
  EXPECT_TRUE(a.accepted);
  EXPECT_EQ(a.user, "carol");
  for (auto [token, cn] :
       {std::pair<std::string, std::string>{"wrong", ""}, {"", ""}, {"", "desk-9"}, {"wrong", "desk-3"}}) {
    a = admit(auth, token, cn);
    EXPECT_FALSE(a.accepted) << token << "/" << cn;
    EXPECT_EQ(a.reason, "authentication failed");
  }
}

TEST(StreamAuth, NoUsersNoCaMeansOffAndCaAloneTrustsItsCertificates) {
  StreamAuth off({}, false);
  EXPECT_FALSE(off.enabled());
  auto a = admit(off, "", "", "nurse1", "127.0.0.1");
  EXPECT_TRUE(a.accepted);
  EXPECT_FALSE(a.authenticated);
  EXPECT_EQ(a.user, "nurse1");
  EXPECT_TRUE(admit(off, "", "", "nurse1", "::1").accepted);
  EXPECT_TRUE(admit(off, "", "", "nurse1", "::ffff:127.0.0.1").accepted);
  // Logins off: a peer from the network (the web view on an HTTPS port) is refused.
  a = admit(off, "", "", "nurse1", "10.0.0.9");
  EXPECT_FALSE(a.accepted);
  EXPECT_NE(a.reason.find("logins are off"), std::string::npos) << a.reason;
  EXPECT_FALSE(admit(off, "", "", "nurse1", "unknown").accepted);
  StreamAuth ca_only({}, true);
  a = admit(ca_only, "", "desk-7");
  EXPECT_TRUE(a.accepted && a.authenticated);
  EXPECT_EQ(a.user, "desk-7");
  EXPECT_FALSE(admit(ca_only, "", "").accepted);
}

TEST(StreamAuth, BadUsersAreConfigErrorsNamingTheField) {
  EXPECT_THROW(make_stream_user("", "nurse", sha256_hex(kToken), ""), std::invalid_argument);
  EXPECT_THROW(make_stream_user("x", "admin", sha256_hex(kToken), ""), std::invalid_argument);
  EXPECT_THROW(make_stream_user("x", "nurse", "abc", ""), std::invalid_argument);
  EXPECT_THROW(make_stream_user("x", "nurse", std::string(64, 'g'), ""), std::invalid_argument);
  EXPECT_THROW(make_stream_user("x", "nurse", "", ""), std::invalid_argument);
  EXPECT_EQ(make_stream_user("x", "nurse", std::string(64, 'A'), "").token_sha256, std::string(64, 'a'));
  Settings s;
  try {
    apply_config_text(
        "stream_user { name: \"a\" role: \"nurse\" cert_cn: \"d\" }\n"
        "stream_user { name: \"b\" role: \"boss\" cert_cn: \"e\" }\n",
        "clinic.conf", s);
    FAIL() << "expected a ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("clinic.conf: field stream_user[1]: role"), std::string::npos)
        << e.what();
  }
}

TEST(StreamAuth, ConfigReadsTlsAndUsers) {
  Settings s;
  apply_config_text(
      "stream_tls { cert_file: \"/etc/vigil/tls/server.crt\" key_file: \"/etc/vigil/tls/server.key\" "
      "client_ca_file: \"/etc/vigil/tls/clients-ca.crt\" handshake_timeout_ms: 2000 }\n"
      "stream_user { name: \"nina\" role: \"nurse\" token_sha256: \"" +
          sha256_hex(kToken) + "\" }\n",
      "t.conf", s);
  EXPECT_TRUE(s.stream_tls.enabled());
  EXPECT_EQ(s.stream_tls.key_file, "/etc/vigil/tls/server.key");
  EXPECT_EQ(s.stream_tls.client_ca_file, "/etc/vigil/tls/clients-ca.crt");
  EXPECT_EQ(s.stream_tls.handshake_timeout_ms, 2000u);
  ASSERT_EQ(s.stream_users.size(), 1u);
  EXPECT_EQ(s.stream_users[0].role, Role::Nurse);
  Settings bad;
  EXPECT_THROW(apply_config_text("stream_tls { cert_file: \"a\" handshake_timeout_ms: 5 }", "t.conf", bad),
               ConfigError);
}

}  // namespace
}  // namespace vigil::daemon
