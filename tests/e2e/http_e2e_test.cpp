// vigild's health and metrics port end to end: the listening line, GET /healthz and
// /metrics over real sockets, an HL7 message counted as AA, a database failure turning
// /healthz into 503 and `vigilctl health` into CRITICAL (exit 2), slow and oversized HTTP
// clients cut off without stalling others, and the loopback-only rule.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <sstream>
#include <thread>

#include "http/vigil_metrics.hpp"
#include "net/asio.hpp"
#include "support/child_process.hpp"
#include "support/file_text.hpp"
#include "support/http_client.hpp"
#include "support/mllp_client.hpp"
#include "support/test_pki.hpp"
#include "support/vigild_fixture.hpp"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;
namespace asio = boost::asio;
using asio::ip::tcp;

// The value of the sample line `series` ("name{labels}") in a metrics text, or -1.
double sample_value(const std::string& text, const std::string& series) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (line.rfind(series + " ", 0) == 0) return std::stod(line.substr(series.size() + 1));
  return -1;
}

// Polls /healthz until `want` or the deadline (the store's health changes on its writer thread).
HttpReply wait_for_health(const Endpoint& at, int want, std::chrono::seconds limit = 20s) {
  const auto end = std::chrono::steady_clock::now() + limit;
  HttpReply reply;
  while (std::chrono::steady_clock::now() < end) {
    reply = get(at, "/healthz");
    if (reply.status() == want) return reply;
    std::this_thread::sleep_for(50ms);  // polling a server; the deadline bounds it
  }
  return reply;
}

TEST(HttpE2e, ListeningLineHealthzAndMetricsCountAnHl7Message) {
  TempDir dir;
  Vigild vigild(dir.file("vigil.db"));
  ASSERT_NE(vigild.http.port, 0) << "no http= in the listening line";
  EXPECT_EQ(vigild.http.host, "127.0.0.1");

  const HttpReply health = get(vigild.http, "/healthz");
  ASSERT_TRUE(health.answered) << vigild.process().stderr_text();
  EXPECT_EQ(health.status(), 200) << health.head << "\n" << health.body;
  EXPECT_NE(health.head.find("Content-Type: application/json"), std::string::npos) << health.head;
  EXPECT_TRUE(std::regex_search(
      health.body,
      std::regex(R"(^\{"status":"ok","db":"ok","io_loop_lag_ms":\d+,"technical_alerts":0\}\n$)")))
      << health.body;

  MllpClient monitor(vigild.hl7.host, vigild.hl7.port);
  ASSERT_TRUE(monitor.connected());
  OruValues values;
  values.bed = "HTTP1";
  ASSERT_TRUE(monitor.send_message(make_oru(values)));
  const auto ack = monitor.read_reply(20s);
  ASSERT_TRUE(ack.has_value());
  ASSERT_EQ(hl7_field(*ack, "MSA", 1), "AA") << *ack;

  const HttpReply metrics = get(vigild.http, "/metrics");
  ASSERT_EQ(metrics.status(), 200) << metrics.head;
  EXPECT_NE(metrics.head.find("Content-Type: text/plain; version=0.0.4"), std::string::npos) << metrics.head;
  for (const std::string& name : http::vigil_metric_names()) {
    EXPECT_NE(metrics.body.find("# HELP " + name + " "), std::string::npos) << name;
    EXPECT_NE(metrics.body.find("# TYPE " + name + " "), std::string::npos) << name;
  }
  // The ACK was sent after the commit, so the counters already include it.
  const std::string source = "VIGILTEST";  // make_oru's MSH-3 (it sends no OBX-18)
  EXPECT_EQ(sample_value(metrics.body, "vigil_hl7_messages_total{code=\"AA\",source=\"" + source + "\"}"), 1)
      << metrics.body;
  EXPECT_EQ(sample_value(metrics.body, "vigil_hl7_messages_total{code=\"AR\",source=\"" + source + "\"}"), 0);
  EXPECT_GE(sample_value(metrics.body, "vigil_readings_stored_total"), 5);
  EXPECT_GE(sample_value(metrics.body, "vigil_store_commit_seconds_count"), 1);
  EXPECT_EQ(sample_value(metrics.body, "vigil_store_healthy"), 1);
  // The one open connection: idle or (its ACK's write just finishing) busy, never paused.
  EXPECT_EQ(sample_value(metrics.body, "vigil_hl7_connections{state=\"idle\"}") +
                sample_value(metrics.body, "vigil_hl7_connections{state=\"busy\"}"),
            1)
      << metrics.body;
  EXPECT_EQ(sample_value(metrics.body, "vigil_hl7_connections{state=\"paused\"}"), 0);
  EXPECT_EQ(sample_value(metrics.body, "vigil_intellivue_links{state=\"lost\"}"), 0);  // none configured
  EXPECT_GT(sample_value(metrics.body, "vigil_database_bytes"), 0);
  EXPECT_GT(sample_value(metrics.body, "vigil_disk_free_bytes"), 0);
  EXPECT_EQ(sample_value(metrics.body, "vigil_outbox_pending_rows"), 0);  // forwarding is off

  const HttpReply head =
      http_exchange(vigild.http, "HEAD /metrics HTTP/1.1\r\nHost: v\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(head.status(), 200);
  EXPECT_EQ(head.body, "");
  EXPECT_EQ(get(vigild.http, "/no-such-page").status(), 404);
  EXPECT_EQ(
      http_exchange(vigild.http, "POST /healthz HTTP/1.1\r\nHost: v\r\nContent-Length: 0\r\n\r\n").status(),
      405);

  const auto ok = run_command({bin("vigilctl"), "health", "--http", vigild.http.str()}, 20s);
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_EQ(ok.out.rfind("OK: {\"status\":\"ok\"", 0), 0u) << ok.out;
  EXPECT_EQ(vigild.stop(), 0);
}

TEST(HttpE2e, EveryMetricIsDocumented) {
  const std::string docs = read_file(std::string(VIGIL_SOURCE_DIR) + "/docs/operations.md");
  ASSERT_FALSE(docs.empty());
  for (const std::string& name : http::vigil_metric_names())
    EXPECT_NE(docs.find("`" + name), std::string::npos) << name << " is not in docs/operations.md";
}

// vigil_intellivue_links follows a configured IntelliVue's link: a simulated monitor on UDP
// loopback (vigil-sim, as intellivue_e2e_test) shows as `receiving` once poll results arrive.
TEST(HttpE2e, IntelliVueLinkStateIsAGauge) {
  TempDir dir;
  ChildProcess sim({bin("vigil-sim"), "--bed", "CHAIR5=normal-responder,protocol=intellivue"});
  const auto announced =
      sim.wait_for_line([](const std::string& l) { return l.rfind("intellivue ", 0) == 0; }, 20s);
  ASSERT_TRUE(announced) << sim.stderr_text();
  const std::string where = announced->substr(announced->find('=') + 1);
  Vigild vigild(dir.file("vigil.db"), {"--intellivue", "CHAIR5=" + where});
  const std::string receiving = "vigil_intellivue_links{state=\"receiving\"}";
  HttpReply metrics;
  const auto end = std::chrono::steady_clock::now() + 30s;
  while (std::chrono::steady_clock::now() < end) {
    metrics = get(vigild.http, "/metrics");
    if (sample_value(metrics.body, receiving) == 1) break;
    std::this_thread::sleep_for(100ms);
  }
  EXPECT_EQ(sample_value(metrics.body, receiving), 1) << metrics.body << vigild.process().stderr_text();
  for (const char* state : {"connected", "silent", "lost"})
    EXPECT_EQ(sample_value(metrics.body, std::string("vigil_intellivue_links{state=\"") + state + "\"}"), 0)
        << state;
  EXPECT_EQ(sample_value(metrics.body, "vigil_serial_links{state=\"receiving\"}"), 0);
  EXPECT_EQ(vigild.stop(), 0);
}

// The database's directory removed (as in faults_storage_test): the next commit fails, the
// sender gets AR, /healthz says 503 with the database's reason, vigilctl health exits 2.
TEST(HttpE2e, DatabaseFailureMakesHealthzFailAndTheCheckCritical) {
  TempDir dir;
  const std::string data = dir.file("data");
  ASSERT_EQ(::mkdir(data.c_str(), 0700), 0);
  Vigild vigild(data + "/vigil.db");
  ASSERT_EQ(get(vigild.http, "/healthz").status(), 200);

  std::filesystem::remove_all(data);
  MllpClient monitor(vigild.hl7.host, vigild.hl7.port);
  OruValues values;
  values.bed = "HTTP2";
  ASSERT_TRUE(monitor.send_message(make_oru(values)));
  const auto ack = monitor.read_reply(20s);
  ASSERT_TRUE(ack.has_value());
  EXPECT_EQ(hl7_field(*ack, "MSA", 1), "AR") << *ack;

  const HttpReply failing = wait_for_health(vigild.http, 503);
  ASSERT_EQ(failing.status(), 503) << failing.body << vigild.process().stderr_text();
  EXPECT_NE(failing.body.find("\"status\":\"fail\""), std::string::npos) << failing.body;
  EXPECT_NE(failing.body.find("\"db\":\"fail\""), std::string::npos) << failing.body;
  EXPECT_NE(failing.body.find("database unusable"), std::string::npos) << failing.body;
  const HttpReply metrics = get(vigild.http, "/metrics");
  EXPECT_EQ(sample_value(metrics.body, "vigil_store_healthy"), 0);
  EXPECT_GE(sample_value(metrics.body, "vigil_store_failed_transactions_total"), 1);

  const auto check = run_command({bin("vigilctl"), "health", "--http", vigild.http.str()}, 20s);
  EXPECT_EQ(check.exit_code, 2) << check.out << check.err;
  EXPECT_EQ(check.out.rfind("CRITICAL: ", 0), 0u) << check.out;
  EXPECT_EQ(vigild.stop(), 0);
}

TEST(HttpE2e, SlowAndOversizedClientsAreCutOffWithoutStallingOthers) {
  TempDir dir;
  Vigild vigild(dir.file("vigil.db"));
  // Half a request, then silence: held at most for the per-request deadline.
  std::thread slow_client([&] {
    const HttpReply slow = http_exchange(vigild.http, "GET /healthz HTTP/1.1\r\nHost: v\r\n", 30s);
    EXPECT_TRUE(slow.closed) << "the slow client was never cut off";
    EXPECT_EQ(slow.status(), 0) << slow.head;  // closed, not answered
  });
  const HttpReply big = http_exchange(
      vigild.http, "GET /healthz HTTP/1.1\r\nHost: v\r\nX-Pad: " + std::string(64 * 1024, 'x') + "\r\n\r\n");
  EXPECT_EQ(big.status(), 431) << big.head;
  // Meanwhile others are answered at once (the slow one is still held).
  for (int i = 0; i < 5; ++i) EXPECT_EQ(get(vigild.http, "/healthz").status(), 200);
  slow_client.join();
  EXPECT_EQ(get(vigild.http, "/healthz").status(), 200);
  EXPECT_EQ(vigild.stop(), 0);
}

TEST(HttpE2e, CheckExitCodesWithoutADaemonAndForBadArguments) {
  // A port nobody listens on: bound and closed again by us.
  asio::io_context io;
  tcp::acceptor probe(io, {asio::ip::make_address("127.0.0.1"), 0});
  const auto port = probe.local_endpoint().port();
  probe.close();
  const auto none =
      run_command({bin("vigilctl"), "health", "--http", "127.0.0.1:" + std::to_string(port)}, 20s);
  EXPECT_EQ(none.exit_code, 2) << none.out << none.err;
  EXPECT_EQ(none.out.rfind("CRITICAL: no answer", 0), 0u) << none.out;
  const auto bad = run_command({bin("vigilctl"), "health", "--http", "nonsense"}, 20s);
  EXPECT_EQ(bad.exit_code, 3) << bad.out << bad.err;
  EXPECT_EQ(bad.out.rfind("UNKNOWN: ", 0), 0u) << bad.out;
  const auto unknown_flag = run_command({bin("vigilctl"), "health", "--frobnicate"}, 20s);
  EXPECT_EQ(unknown_flag.exit_code, 3) << unknown_flag.out << unknown_flag.err;
}

// The default port taken (by us, or by whoever holds it): vigild still starts, without the
// port, and says so; an address given explicitly must bind or vigild refuses to start.
TEST(HttpE2e, DefaultPortTakenIsAWarningAnExplicitOneAnError) {
  asio::io_context io;
  tcp::acceptor holder(io);
  boost::system::error_code ec;
  holder.open(tcp::v4());
  holder.bind({asio::ip::make_address("127.0.0.1"), 7421}, ec);  // failing: someone else holds it
  if (!ec) holder.listen();
  TempDir dir;
  VigildOptions options = VigildOptions::on(dir.file("a.db"));
  options.http_listen = "";  // vigild's default
  Vigild vigild(options);
  EXPECT_EQ(vigild.http.port, 0) << "listening line named an http= port it cannot have";
  EXPECT_NE(vigild.process().stderr_text().find("health and metrics port 127.0.0.1:7421 not served"),
            std::string::npos)
      << vigild.process().stderr_text();
  EXPECT_EQ(vigild.stop(), 0);

  tcp::acceptor taken(io, {asio::ip::make_address("127.0.0.1"), 0});
  const std::string at = "127.0.0.1:" + std::to_string(taken.local_endpoint().port());
  const auto r = run_command({bin("vigild"), "--db", dir.file("b.db"), "--hl7-listen", "127.0.0.1:0",
                              "--stream-listen", "127.0.0.1:0", "--http-listen", at},
                             20s);
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("--http-listen: cannot listen on " + at), std::string::npos) << r.err;
}

// Beyond loopback with the stream's TLS files: HTTPS with that certificate; plain HTTP to
// the same port gets no answer; vigilctl health checks it over HTTPS.
TEST(HttpE2e, BeyondLoopbackIsServedAsHttpsWithTheStreamCertificate) {
  TempDir dir;
  TestPki pki(dir);
  VigildOptions options = VigildOptions::on(
      dir.file("vigil.db"), {"--stream-tls-cert", pki.server().cert, "--stream-tls-key", pki.server().key});
  options.http_listen = "0.0.0.0:0";
  Vigild vigild(options);
  ASSERT_NE(vigild.http.port, 0);
  EXPECT_EQ(vigild.http.host, "0.0.0.0");
  const HttpReply health = get_tls(vigild.http, "/healthz", pki.ca_cert());
  EXPECT_EQ(health.status(), 200) << health.head << vigild.process().stderr_text();
  EXPECT_NE(health.body.find("\"status\":\"ok\""), std::string::npos) << health.body;
  const HttpReply plain = get({"127.0.0.1", vigild.http.port}, "/healthz");
  EXPECT_EQ(plain.status(), 0) << plain.head;

  // vigilctl health over HTTPS: verified against the CA, for the address asked (the
  // certificate names IP 127.0.0.1) or for --tls-server-name.
  const std::string https = "https://127.0.0.1:" + std::to_string(vigild.http.port);
  const auto ok = run_command({bin("vigilctl"), "health", "--connect", https, "--ca", pki.ca_cert()}, 20s);
  EXPECT_EQ(ok.exit_code, 0) << ok.out << ok.err;
  EXPECT_EQ(ok.out.rfind("OK: {\"status\":\"ok\"", 0), 0u) << ok.out;
  const auto by_name =
      run_command({bin("vigilctl"), "health", "--http", "127.0.0.1:" + std::to_string(vigild.http.port),
                   "--tls", "--ca", pki.ca_cert(), "--tls-server-name", "localhost"},
                  20s);
  EXPECT_EQ(by_name.exit_code, 0) << by_name.out << by_name.err;
  // A certificate that does not verify: the system's CAs never signed the test CA; a name
  // the certificate does not carry.
  const auto untrusted = run_command({bin("vigilctl"), "health", "--connect", https}, 20s);
  EXPECT_EQ(untrusted.exit_code, 2) << untrusted.out << untrusted.err;
  EXPECT_NE(untrusted.out.find("CRITICAL: no answer from vigild"), std::string::npos) << untrusted.out;
  EXPECT_NE(untrusted.out.find("TLS handshake"), std::string::npos) << untrusted.out;
  const auto wrong_name = run_command({bin("vigilctl"), "health", "--connect", https, "--ca", pki.ca_cert(),
                                       "--tls-server-name", "elsewhere"},
                                      20s);
  EXPECT_EQ(wrong_name.exit_code, 2) << wrong_name.out << wrong_name.err;
  // Plain HTTP to the HTTPS port: no HTTP answer.
  const auto plain_check = run_command(
      {bin("vigilctl"), "health", "--http", "127.0.0.1:" + std::to_string(vigild.http.port)}, 20s);
  EXPECT_EQ(plain_check.exit_code, 2) << plain_check.out << plain_check.err;
  // An unreadable CA and a CA without HTTPS are the caller's mistakes: UNKNOWN.
  const auto no_ca =
      run_command({bin("vigilctl"), "health", "--connect", https, "--ca", dir.file("none.crt")}, 20s);
  EXPECT_EQ(no_ca.exit_code, 3) << no_ca.out << no_ca.err;
  const auto ca_plain =
      run_command({bin("vigilctl"), "health", "--http", "127.0.0.1:1", "--ca", pki.ca_cert()}, 20s);
  EXPECT_EQ(ca_plain.exit_code, 3) << ca_plain.out << ca_plain.err;
  EXPECT_EQ(vigild.stop(), 0);
}

TEST(HttpE2e, BeyondLoopbackWithoutTlsIsRefused) {
  TempDir dir;
  const auto r = run_command({bin("vigild"), "--db", dir.file("vigil.db"), "--hl7-listen", "127.0.0.1:0",
                              "--stream-listen", "127.0.0.1:0", "--http-listen", "0.0.0.0:0"},
                             20s);
  EXPECT_EQ(r.exit_code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("--http-listen 0.0.0.0:0: binding beyond loopback needs TLS"), std::string::npos)
      << r.err;
  EXPECT_EQ(r.out.find("listening"), std::string::npos);
}

}  // namespace
}  // namespace vigil::test
