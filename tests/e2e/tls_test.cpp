// Stream TLS, logins and roles end to end: a real vigild on 0.0.0.0 with TLS and
// stream users, a throwaway PKI made with the openssl CLI, real vigilctl clients. Each test
// also checks that somebody else's trouble (a bad token, a plaintext client, a stalled
// handshake) leaves a logged-in watcher receiving.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <ctime>
#include <fstream>
#include <memory>

#include "support/alert_lines.hpp"
#include "support/child_process.hpp"
#include "support/mllp_client.hpp"
#include "support/session_driver.hpp"
#include "support/test_pki.hpp"
#include "support/vigild_fixture.hpp"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;

const std::string kNurseToken = "nurse-token-5f1c2a9e77b04d1e";
const std::string kViewerToken = "viewer-token-0b7e61c3d2f94a85";

// token_sha256 as IT makes it: `vigild --hash-token` reading stdin (so the helper is tested too).
std::string hash_token(const std::string& token) {
  auto r = run_command(
      {"/bin/sh", "-c", "printf '%s\\n' '" + token + "' | " + bin("vigild") + " --hash-token"}, 20s);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::string hex = r.out;
  while (!hex.empty() && hex.back() == '\n') hex.pop_back();
  EXPECT_EQ(hex.size(), 64u) << r.out;
  return hex;
}

// nina (nurse) and vera (viewer) log in by token; carol (nurse) by the certificate "desk-3".
std::string users_config() {
  return "stream_user { name: \"nina\" role: \"nurse\" token_sha256: \"" + hash_token(kNurseToken) +
         "\" }\n" + "stream_user { name: \"vera\" role: \"viewer\" token_sha256: \"" +
         hash_token(kViewerToken) + "\" }\n" +
         "stream_user { name: \"carol\" role: \"nurse\" cert_cn: \"desk-3\" }\n";
}

// The config SecureVigild starts with: the users above, and TLS unless `tls` is false.
std::string secure_config(const TempDir& dir, const TestPki& pki, bool client_ca, bool tls) {
  std::string config = users_config();
  if (tls) {
    config += "stream_tls { cert_file: \"" + pki.server().cert + "\" key_file: \"" + pki.server().key +
              "\" " + (client_ca ? "client_ca_file: \"" + pki.ca_cert() + "\" " : std::string()) +
              "handshake_timeout_ms: 800 }\n";
  }
  const std::string conf = dir.file("vigild.conf");
  std::ofstream(conf) << config;
  return conf;
}

VigildOptions secure_options(const TempDir& dir, const TestPki& pki, bool client_ca, bool tls,
                             const std::string& stream_listen) {
  VigildOptions options =
      VigildOptions::on(dir.file("v.db"), {"--config", secure_config(dir, pki, client_ca, tls)});
  options.stream_listen = stream_listen;
  return options;
}

// vigild with TLS on 0.0.0.0:0 (a short handshake deadline), HL7 on loopback.
class SecureVigild : public Vigild {
 public:
  SecureVigild(const TempDir& dir, const TestPki& pki, bool client_ca = false, bool tls = true,
               const std::string& stream_listen = "0.0.0.0:0")
      : Vigild(secure_options(dir, pki, client_ca, tls, stream_listen)), db_(dir.file("v.db")) {}
  // Clients dial loopback whatever the bind address.
  std::string connect() const { return "127.0.0.1:" + std::to_string(stream.port); }
  const std::string& db() const { return db_; }

 private:
  std::string db_;
};

// vigilctl watch with the token in VIGIL_TOKEN (off the command line, as documented).
std::unique_ptr<ChildProcess> watch(const SecureVigild& vigild, const TestPki& pki, const std::string& token,
                                    std::vector<std::string> extra = {}) {
  std::vector<std::string> argv{bin("vigilctl"), "watch", "--connect",  vigild.connect(),
                                "--tls",         "--ca",  pki.ca_cert()};
  argv.insert(argv.end(), extra.begin(), extra.end());
  std::vector<std::string> env;
  if (!token.empty()) env.push_back("VIGIL_TOKEN=" + token);
  return std::make_unique<ChildProcess>(argv, env);
}

// Sends HR/SpO2 for `bed` over HL7 and waits for the AA.
void send_vitals(const SecureVigild& vigild, const std::string& bed, const std::string& control_id,
                 double hr) {
  MllpClient monitor(vigild.hl7.host, vigild.hl7.port);
  ASSERT_TRUE(monitor.send_message(make_vitals_oru(bed, control_id, std::nullopt, hr, 97)));
  auto ack = monitor.read_reply(20s);
  ASSERT_TRUE(ack.has_value());
  ASSERT_EQ(hl7_field(*ack, "MSA", 1), "AA") << *ack;
}

// Waits until `watcher` prints the live HR reading with `value` for `bed`.
bool sees_hr(ChildProcess& watcher, const std::string& bed, double value) {
  const std::string want_bed = "\"bed\":\"" + bed + "\"";
  const std::string want_value = "\"value\":" + std::to_string(static_cast<int>(value));
  return watcher
      .wait_for_line(
          [&](const std::string& l) {
            return l.find("\"type\":\"reading\"") != std::string::npos &&
                   l.find(want_bed) != std::string::npos && l.find("\"kind\":\"HR\"") != std::string::npos &&
                   l.find(want_value) != std::string::npos;
          },
          20s)
      .has_value();
}

TEST(StreamTlsPolicy, BeyondLoopbackNeedsBothTlsAndLogins) {
  TempDir dir;
  TestPki pki(dir);
  const std::string tls_flags[] = {"--stream-tls-cert", pki.server().cert, "--stream-tls-key",
                                   pki.server().key};
  // TLS but nobody to log in: refused, one line, the database untouched.
  auto r =
      run_command({bin("vigild"), "--db", dir.file("v.db"), "--hl7-listen", "127.0.0.1:0", "--stream-listen",
                   "0.0.0.0:0", tls_flags[0], tls_flags[1], tls_flags[2], tls_flags[3]},
                  20s);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("binding beyond loopback needs TLS and client authentication"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("stream_user"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  // Users but no TLS: refused the same way.
  const std::string conf = dir.file("users.conf");
  std::ofstream(conf) << users_config();
  r = run_command({bin("vigild"), "--db", dir.file("v.db"), "--hl7-listen", "127.0.0.1:0", "--stream-listen",
                   "0.0.0.0:0", "--config", conf},
                  20s);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("TLS"), std::string::npos) << r.err;
  // A key that is not there: one clear line naming the file.
  r = run_command(
      {bin("vigild"), "--db", dir.file("v.db"), "--hl7-listen", "127.0.0.1:0", "--stream-listen", "0.0.0.0:0",
       "--config", conf, tls_flags[0], tls_flags[1], tls_flags[2], dir.file("missing.key")},
      20s);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("missing.key"), std::string::npos) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  struct stat st {};
  EXPECT_NE(::stat(dir.file("v.db").c_str(), &st), 0) << "a refused start must not create the database";
}

TEST(StreamTls, TokenWatcherGetsReadingsAndBadTokensAreRefused) {
  TempDir dir;
  TestPki pki(dir);
  SecureVigild vigild(dir, pki);
  EXPECT_EQ(vigild.stream.host, "0.0.0.0");
  auto good = watch(vigild, pki, kNurseToken);
  ASSERT_TRUE(good->wait_for_line(is_hello_line, 20s))
      << good->stderr_text() << vigild.process().stderr_text();
  send_vitals(vigild, "CHAIR1", "T1", 71);
  EXPECT_TRUE(sees_hr(*good, "CHAIR1", 71)) << vigild.process().stderr_text();

  // A wrong token and no token at all: refused with the reason, exit 1.
  for (const std::string& token : {std::string("not-the-token-at-all-123"), std::string()}) {
    std::vector<std::string> argv{bin("vigilctl"), "watch", "--connect",  vigild.connect(),
                                  "--tls",         "--ca",  pki.ca_cert()};
    if (!token.empty()) argv.insert(argv.end(), {"--token", token});
    auto r = run_command(argv, 30s);
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    EXPECT_NE(r.out.find("refused: authentication failed"), std::string::npos) << r.out << r.err;
    EXPECT_EQ(r.out.find("\"type\":\"reading\""), std::string::npos)
        << "a refused client got data: " << r.out;
  }
  // The logged-in watcher never noticed.
  send_vitals(vigild, "CHAIR1", "T2", 72);
  EXPECT_TRUE(sees_hr(*good, "CHAIR1", 72)) << vigild.process().stderr_text();
  EXPECT_EQ(vigild.stop(), 0);
  const std::string err = vigild.process().stderr_text();
  EXPECT_NE(err.find("refused a login from 127.0.0.1"), std::string::npos) << err;
  EXPECT_NE(err.find("auth_refused=2 "), std::string::npos) << err;
  for (const std::string& secret : {kNurseToken, kViewerToken, std::string("not-the-token-at-all-123")})
    EXPECT_EQ(err.find(secret), std::string::npos) << "a token reached the log:\n" << err;
}

TEST(StreamTls, PlaintextClientIsDroppedWhileTlsWatcherKeepsReceiving) {
  TempDir dir;
  TestPki pki(dir);
  SecureVigild vigild(dir, pki);
  auto good = watch(vigild, pki, kViewerToken);
  ASSERT_TRUE(good->wait_for_line(is_hello_line, 20s))
      << good->stderr_text() << vigild.process().stderr_text();
  // vigilctl without --tls speaks the plain protocol at a TLS port.
  auto plain = run_command({bin("vigilctl"), "watch", "--connect", vigild.connect()}, 30s);
  EXPECT_EQ(plain.exit_code, 1) << plain.out << plain.err;
  EXPECT_EQ(plain.out.find("\"type\":\"hello\""), std::string::npos) << plain.out;
  // Raw bytes that are no TLS record at all.
  MllpClient raw(vigild.hl7.host, vigild.stream.port);
  ASSERT_TRUE(raw.connected());
  ASSERT_TRUE(raw.send_raw(std::string("GET / HTTP/1.0\r\n\r\n")));
  EXPECT_TRUE(raw.wait_closed(10s));
  send_vitals(vigild, "CHAIR2", "P1", 66);
  EXPECT_TRUE(sees_hr(*good, "CHAIR2", 66)) << vigild.process().stderr_text();
  EXPECT_EQ(vigild.stop(), 0);
  const std::string err = vigild.process().stderr_text();
  EXPECT_NE(err.find("stream: TLS handshake failed from 127.0.0.1"), std::string::npos) << err;
  EXPECT_NE(err.find("tls_handshake_failures=2 "), std::string::npos) << err;
}

TEST(StreamTls, ViewerCannotAcknowledgeAndNurseAckIsLoggedAsTheAuthenticatedUser) {
  TempDir dir;
  TestPki pki(dir);
  SecureVigild vigild(dir, pki);
  // No session: SBP 205 raises P1 at once (absolute limit).
  {
    MllpClient monitor(vigild.hl7.host, vigild.hl7.port);
    NibpValues bp{205, 100, std::nullopt, hl7_time_at(std::time(nullptr) - 60)};
    ASSERT_TRUE(monitor.send_message(make_vitals_oru("CHAIR3", "A1", bp, 80, 97)));
    auto ack = monitor.read_reply(20s);
    ASSERT_TRUE(ack && hl7_field(*ack, "MSA", 1) == "AA");
  }
  std::string alert_id;
  for (const auto& a : export_alerts(vigild.db(), "CHAIR3"))
    if (a.rule() == "P1" && a.transition() == "raised") alert_id = a.id();
  ASSERT_FALSE(alert_id.empty()) << describe(export_alerts(vigild.db(), "CHAIR3"));

  auto ack_as = [&](const std::string& token, const std::string& typed_user) {
    return run_command(
        {"/usr/bin/env", "VIGIL_TOKEN=" + token, bin("vigilctl"), "ack", "--bed", "CHAIR3", "--alert",
         alert_id, "--user", typed_user, "--connect", vigild.connect(), "--tls", "--ca", pki.ca_cert()},
        30s);
  };
  // The viewer may watch...
  auto viewer = watch(vigild, pki, kViewerToken);
  ASSERT_TRUE(viewer->wait_for_line(is_hello_line, 20s)) << viewer->stderr_text();
  // ...but not acknowledge, whatever name it types.
  auto refused = ack_as(kViewerToken, "nina");
  EXPECT_EQ(refused.exit_code, 1) << refused.out << refused.err;
  EXPECT_NE(refused.err.find("not permitted for role viewer"), std::string::npos) << refused.err;
  EXPECT_NE(refused.out.find("\"ok\":false"), std::string::npos) << refused.out;
  for (const auto& a : export_alerts(vigild.db(), "CHAIR3"))
    EXPECT_NE(a.transition(), "acknowledged") << describe(a);
  // The nurse's ack is logged as nina, not as the name typed.
  auto done = ack_as(kNurseToken, "mallory");
  EXPECT_EQ(done.exit_code, 0) << done.out << done.err;
  bool acked = false;
  for (const auto& a : export_alerts(vigild.db(), "CHAIR3")) {
    if (a.transition() != "acknowledged") continue;
    acked = true;
    EXPECT_EQ(a.acknowledged_by(), "nina") << describe(a);
    EXPECT_EQ(a.user(), "nina") << describe(a);
  }
  EXPECT_TRUE(acked) << describe(export_alerts(vigild.db(), "CHAIR3"));
  EXPECT_EQ(vigild.stop(), 0);
  const std::string err = vigild.process().stderr_text();
  EXPECT_NE(err.find("request denied: user vera (role viewer) may not acknowledge on CHAIR3"),
            std::string::npos)
      << err;
}

TEST(StreamTls, ClientCertificateLogsInAndOthersAreRefused) {
  TempDir dir;
  TestPki pki(dir);
  const CertFiles desk3 = pki.client("desk-3");
  const CertFiles desk9 = pki.client("desk-9");                     // our CA, but no user maps to it
  const CertFiles stranger = pki.client("desk-3", /*other*/ true);  // right name, wrong CA
  SecureVigild vigild(dir, pki, /*client_ca=*/true);
  auto carol = watch(vigild, pki, "", {"--cert", desk3.cert, "--key", desk3.key});
  ASSERT_TRUE(carol->wait_for_line(is_hello_line, 20s))
      << carol->stderr_text() << vigild.process().stderr_text();
  send_vitals(vigild, "CHAIR4", "C1", 64);
  EXPECT_TRUE(sees_hr(*carol, "CHAIR4", 64));

  auto unmapped = run_command({bin("vigilctl"), "watch", "--connect", vigild.connect(), "--tls", "--ca",
                               pki.ca_cert(), "--cert", desk9.cert, "--key", desk9.key},
                              30s);
  EXPECT_EQ(unmapped.exit_code, 1) << unmapped.out << unmapped.err;
  EXPECT_NE(unmapped.out.find("refused: authentication failed"), std::string::npos)
      << unmapped.out << unmapped.err;
  auto foreign = run_command({bin("vigilctl"), "watch", "--connect", vigild.connect(), "--tls", "--ca",
                              pki.ca_cert(), "--cert", stranger.cert, "--key", stranger.key},
                             30s);
  EXPECT_EQ(foreign.exit_code, 1) << foreign.out << foreign.err;
  EXPECT_EQ(foreign.out.find("\"type\":\"hello\""), std::string::npos) << foreign.out;
  // A client that does not trust the daemon's CA never sends its hello (or a token).
  auto untrusting = run_command({bin("vigilctl"), "watch", "--connect", vigild.connect(), "--tls", "--ca",
                                 stranger.cert, "--token", kNurseToken},
                                30s);
  EXPECT_EQ(untrusting.exit_code, 1) << untrusting.out << untrusting.err;
  EXPECT_NE(untrusting.err.find("TLS handshake failed"), std::string::npos) << untrusting.err;

  send_vitals(vigild, "CHAIR4", "C2", 65);
  EXPECT_TRUE(sees_hr(*carol, "CHAIR4", 65));
  EXPECT_EQ(vigild.stop(), 0);
  const std::string err = vigild.process().stderr_text();
  EXPECT_NE(err.find("stream: TLS handshake failed from 127.0.0.1"), std::string::npos) << err;
  EXPECT_NE(err.find("auth_refused=1 "), std::string::npos) << err;
}

TEST(StreamTls, HandshakeThatNeverCompletesIsDroppedAfterTheDeadline) {
  TempDir dir;
  TestPki pki(dir);
  SecureVigild vigild(dir, pki);  // handshake_timeout_ms: 800
  auto good = watch(vigild, pki, kNurseToken);
  ASSERT_TRUE(good->wait_for_line(is_hello_line, 20s)) << good->stderr_text();
  // One silent connection and one that sends the first byte of a TLS record and stalls.
  MllpClient silent(vigild.hl7.host, vigild.stream.port);
  MllpClient trickle(vigild.hl7.host, vigild.stream.port);
  ASSERT_TRUE(silent.connected() && trickle.connected());
  ASSERT_TRUE(trickle.send_raw(std::string(1, '\x16')));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(silent.wait_closed(15s));
  EXPECT_TRUE(trickle.wait_closed(15s));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 600ms) << "dropped before its deadline";
  send_vitals(vigild, "CHAIR5", "H1", 77);
  EXPECT_TRUE(sees_hr(*good, "CHAIR5", 77));
  EXPECT_EQ(vigild.stop(), 0);
  const std::string err = vigild.process().stderr_text();
  EXPECT_NE(err.find("timed out after 800 ms"), std::string::npos) << err;
  EXPECT_NE(err.find("tls_handshake_timeouts=2 "), std::string::npos) << err;
}

TEST(StreamLogins, UsersOnPlainLoopbackStillNeedALogin) {
  TempDir dir;
  TestPki pki(dir);
  SecureVigild vigild(dir, pki, false, /*tls=*/false, "127.0.0.1:0");
  auto anonymous = run_command({bin("vigilctl"), "watch", "--connect", vigild.connect()}, 30s);
  EXPECT_EQ(anonymous.exit_code, 1) << anonymous.out << anonymous.err;
  EXPECT_NE(anonymous.out.find("refused: authentication failed"), std::string::npos) << anonymous.out;
  ChildProcess nurse({bin("vigilctl"), "watch", "--connect", vigild.connect()},
                     {"VIGIL_TOKEN=" + kNurseToken});
  ASSERT_TRUE(nurse.wait_for_line(is_hello_line, 20s)) << nurse.stderr_text();
  send_vitals(vigild, "CHAIR6", "L1", 69);
  EXPECT_TRUE(sees_hr(nurse, "CHAIR6", 69));
  EXPECT_EQ(vigild.stop(), 0);
}

}  // namespace
}  // namespace vigil::test
