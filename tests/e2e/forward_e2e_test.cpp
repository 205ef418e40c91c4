// HL7 forwarding end to end: a real vigild (--forward-hl7) forwarding to the scriptable MLLP
// receiver (tests/support/mllp_receiver.*); every forwarded message is also read by
// python-hl7 (tests/forward/parse_hl7.py) as a second, independent parser.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <thread>

#include "forward/python_hl7.hpp"
#include "support/child_process.hpp"
#include "support/mllp_client.hpp"
#include "support/mllp_receiver.hpp"
#include "support/test_pki.hpp"
#include "support/vigild_fixture.hpp"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;
using Received = MllpReceiver::Received;

bool is_r40(const Received& r) { return r.message.find("|ORU^R40^ORU_R40|") != std::string::npos; }
bool has_marker(const Received& r) { return r.message.find("\rZRS|Y|") != std::string::npos; }

// Sends one monitor ORU and expects vigild's AA.
void send_oru(Vigild& vigild, OruValues v) {
  MllpClient client(vigild.hl7.host, vigild.hl7.port);
  ASSERT_TRUE(client.connected());
  ASSERT_TRUE(client.send_message(make_oru(v)));
  auto ack = client.read_reply(20s);
  ASSERT_TRUE(ack) << "no ACK from vigild";
  ASSERT_EQ(hl7_field(*ack, "MSA", 1), "AA") << *ack;
}

// The sequence number of "<daemon id>-<n>".
std::uint64_t row_of(const std::string& control_id) {
  return std::stoull(control_id.substr(control_id.rfind('-') + 1));
}

std::string segment_field(const std::string& message, const std::string& segment, int n, int index = 0) {
  int seen = 0;
  std::size_t at = 0;
  while (at < message.size()) {
    std::size_t end = message.find('\r', at);
    if (end == std::string::npos) end = message.size();
    const std::string line = message.substr(at, end - at);
    at = end + 1;
    if (line.rfind(segment + "|", 0) != 0 || seen++ != index) continue;
    return hl7_field(line + "\r", segment, n);
  }
  return "";
}

std::string forward_status(const std::string& db) {
  auto r = run_command({bin("vigilctl"), "forward-status", "--db", db, "--format", "json"}, 20s);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

bool wait_status(const std::string& db, const std::string& needle, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (forward_status(db).find(needle) != std::string::npos) return true;
    std::this_thread::sleep_for(100ms);  // polling a condition with a deadline
  }
  return false;
}

TEST(ForwardE2e, ReadingsAndAlertTransitionsArriveInOrderAndParseTwice) {
  TempDir dir;
  MllpReceiver receiver;
  Vigild vigild(dir.file("v.db"), {"--forward-hl7", receiver.address(), "--daemon-id", "clinic-a"});
  // SBP 205: P1 (HIGH, latching) raised by the reading itself.
  send_oru(vigild,
           {.bed = "CHAIR3", .control_id = "M1", .sys = 205, .dia = 100, .mean = 135, .hr = 88, .spo2 = 97});
  ASSERT_TRUE(receiver.wait_for(
      [](const auto& got) {
        return std::any_of(got.begin(), got.end(), [](const auto& r) { return is_r40(r); });
      },
      20s));
  auto got = receiver.received();
  ASSERT_FALSE(got.empty());
  EXPECT_FALSE(is_r40(got[0]));  // the reading before the alert it raised
  EXPECT_EQ(segment_field(got[0].message, "MSH", 3), "VIGIL^clinic-a");
  EXPECT_EQ(segment_field(got[0].message, "PV1", 3), "^^CHAIR3");
  for (std::size_t i = 1; i < got.size(); ++i)
    EXPECT_LT(row_of(got[i - 1].control_id), row_of(got[i].control_id));
  std::string p1_start;
  for (const auto& r : got) {
    if (is_r40(r) && segment_field(r.message, "OBR", 3).rfind("CHAIR3-P1-", 0) == 0) p1_start = r.control_id;
  }
  ASSERT_FALSE(p1_start.empty());

  // A nurse acknowledges: the follow-up names the start message (OBR-29).
  std::string alert_id;
  for (const auto& r : got)
    if (r.control_id == p1_start)
      alert_id = segment_field(r.message, "OBR", 3).substr(0, segment_field(r.message, "OBR", 3).find('^'));
  auto ack = run_command({bin("vigilctl"), "ack", "--connect", vigild.stream.str(), "--user", "nurse1",
                          "--bed", "CHAIR3", "--alert", alert_id},
                         20s);
  ASSERT_EQ(ack.exit_code, 0) << ack.out << ack.err;
  ASSERT_TRUE(receiver.wait_for(
      [&](const auto& all) {
        return std::any_of(all.begin(), all.end(), [&](const auto& r) {
          return is_r40(r) && segment_field(r.message, "OBR", 29).rfind(p1_start + "&", 0) == 0;
        });
      },
      20s));
  got = receiver.received();
  const Received* follow = nullptr;
  for (const auto& r : got)
    if (is_r40(r) && segment_field(r.message, "OBR", 29).rfind(p1_start + "&", 0) == 0) follow = &r;
  ASSERT_NE(follow, nullptr);
  EXPECT_EQ(segment_field(follow->message, "OBX", 5, 4), "alert-acknowledged");
  EXPECT_EQ(segment_field(follow->message, "OBX", 5, 5), "PH");
  if (const char* capture = std::getenv("VIGIL_FORWARD_CAPTURE")) {
    std::ofstream out(capture);
    for (const auto& r : got) {
      if (!is_r40(r)) continue;
      out << "--> " << r.message << "\n<-- " << MllpReceiver::make_ack(r.control_id, "AA", "") << "\n";
    }
  }

  // python-hl7 reads every forwarded message, with the same control ids and values.
  forward::test::PythonHl7 python;
  ASSERT_TRUE(python.available());
  std::vector<std::string> texts;
  for (const auto& r : got) texts.push_back(r.message);
  const auto parsed = python.parse(texts);
  ASSERT_EQ(parsed.size(), got.size()) << python.error();
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(parsed[i].msh10, got[i].control_id);
    EXPECT_EQ(parsed[i].msh3, "VIGIL^clinic-a");
    EXPECT_EQ(parsed[i].bed, "CHAIR3");
    EXPECT_EQ(parsed[i].msh9, is_r40(got[i]) ? "ORU^R40" : "ORU^R01");
  }
  std::map<std::string, std::string> values;  // the R01's code -> value, by python-hl7
  for (const auto& o : parsed[0].obx) values[o.ref] = o.value;
  EXPECT_EQ(values["MDC_PRESS_BLD_NONINV_SYS"], "205");
  EXPECT_EQ(values["MDC_PRESS_BLD_NONINV_DIA"], "100");
  EXPECT_EQ(values["MDC_ECG_HEART_RATE"], "88");
  EXPECT_EQ(values["MDC_PULS_OXIM_SAT_O2"], "97");
  EXPECT_NE(forward_status(dir.file("v.db")).find("\"pending\":0"), std::string::npos);
}

TEST(ForwardE2e, LinkDownQueuesRaisesTheLinkAlarmThenDeliversEverythingInOrder) {
  TempDir dir;
  MllpReceiver receiver;
  receiver.stop_listening();
  const std::string config = dir.file("vigild.conf");
  std::ofstream(config) << "forward_hl7 { target: \"" << receiver.address()
                        << "\" link_alert_s: 2 max_backoff_s: 1 }\ndaemon_id: \"clinic-b\"\n";
  const std::string db = dir.file("v.db");
  Vigild vigild(db, {"--config", config});
  ChildProcess watch({bin("vigilctl"), "watch", "--connect", vigild.stream.str()});
  ASSERT_TRUE(watch.wait_for_line(is_hello_line, 20s));
  for (int i = 0; i < 5; ++i)
    send_oru(vigild, {.bed = "CHAIR1", .control_id = "D" + std::to_string(i), .hr = 60 + i});
  auto down = watch.wait_for_line(
      [](auto& l) {
        return l.find("\"rule\":\"T8\"") != std::string::npos &&
               l.find("Hospital link down") != std::string::npos;
      },
      20s);
  ASSERT_TRUE(down) << watch.stderr_text();
  EXPECT_TRUE(receiver.received().empty());
  // The queue holds the 5 readings, and the link alarm's own ORU^R40, waiting for the link.
  EXPECT_TRUE(wait_status(db, "\"pending\":6,\"pending_alerts\":1,", 10s)) << forward_status(db);

  receiver.listen_again();
  ASSERT_TRUE(receiver.wait_for(
      [](const auto& got) {
        return std::count_if(got.begin(), got.end(), [](const auto& r) { return !is_r40(r); }) >= 5;
      },
      20s));
  auto resolved = watch.wait_for_line(
      [](auto& l) {
        return l.find("\"rule\":\"T8\"") != std::string::npos && l.find("\"RESOLVED\"") != std::string::npos;
      },
      20s);
  EXPECT_TRUE(resolved);
  std::vector<int> hr;
  for (const auto& r : receiver.received()) {
    if (is_r40(r)) continue;
    for (int i = 0; i < 8; ++i)
      if (segment_field(r.message, "OBX", 3, i).rfind("147842^", 0) == 0)
        hr.push_back(std::stoi(segment_field(r.message, "OBX", 5, i)));
  }
  EXPECT_EQ(hr, (std::vector<int>{60, 61, 62, 63, 64}));  // in order, each once
}

TEST(ForwardE2e, ErrorAckIsSkippedWithAWarningAndLaterMessagesContinue) {
  TempDir dir;
  MllpReceiver receiver;
  receiver.set_policy([](const std::string&, std::size_t index) {
    return index == 0 ? MllpReceiver::Reply::AE : MllpReceiver::Reply::AA;
  });
  const std::string db = dir.file("v.db");
  Vigild vigild(db, {"--forward-hl7", receiver.address(), "--daemon-id", "clinic-c"});
  ChildProcess watch({bin("vigilctl"), "watch", "--connect", vigild.stream.str()});
  ASSERT_TRUE(watch.wait_for_line(is_hello_line, 20s));
  send_oru(vigild, {.bed = "CHAIR2", .control_id = "E1", .hr = 70});
  send_oru(vigild, {.bed = "CHAIR2", .control_id = "E2", .hr = 71});
  auto warning = watch.wait_for_line(
      [](auto& l) {
        return l.find("\"rule\":\"T8\"") != std::string::npos && l.find("refused") != std::string::npos;
      },
      20s);
  ASSERT_TRUE(warning);
  EXPECT_NE(warning->find("\"priority\":\"LOW\""), std::string::npos) << *warning;
  ASSERT_TRUE(wait_status(db, "\"skipped\":1", 20s)) << forward_status(db);
  ASSERT_TRUE(receiver.wait_for([](const auto& got) { return got.size() >= 2; }, 20s));
  const auto got = receiver.received();
  EXPECT_EQ(got[0].control_id, "clinic-c-1");
  EXPECT_EQ(got[1].control_id, "clinic-c-2");  // the next one went on, and only once
  EXPECT_NE(forward_status(db).find("AE"), std::string::npos);
}

TEST(ForwardE2e, KillNineDuringForwardingLosesNothingAndMarksEveryDuplicate) {
  TempDir dir;
  MllpReceiver receiver;
  receiver.set_delay(15ms);  // forwarding is still going on when the daemon dies
  const std::string db = dir.file("v.db");
  constexpr int kMessages = 40;
  {
    Vigild vigild(db, {"--forward-hl7", receiver.address(), "--daemon-id", "clinic-d"});
    for (int i = 0; i < kMessages; ++i)
      send_oru(vigild, {.bed = "CHAIR4", .control_id = "K" + std::to_string(i), .hr = 50 + i});
    ASSERT_TRUE(receiver.wait_for([](const auto& got) { return got.size() >= 10; }, 20s));
    vigild.kill_hard();
  }
  const std::size_t before_restart = receiver.received().size();
  Vigild again(db, {"--forward-hl7", receiver.address(), "--daemon-id", "clinic-d"});
  ASSERT_TRUE(wait_status(db, "\"pending\":0", 60s)) << forward_status(db);

  // De-duplicate by MSH-10 as an engine would: every copy after the first must be marked.
  std::map<std::string, int> copies;
  std::set<int> hr;
  for (const auto& r : receiver.received()) {
    if (copies[r.control_id]++ > 0) {
      EXPECT_TRUE(has_marker(r)) << "unmarked duplicate " << r.control_id;
    }
    for (int i = 0; i < 8; ++i)
      if (segment_field(r.message, "OBX", 3, i).rfind("147842^", 0) == 0)
        hr.insert(std::stoi(segment_field(r.message, "OBX", 5, i)));
  }
  EXPECT_EQ(hr.size(), static_cast<std::size_t>(kMessages)) << "a reading vigild acknowledged never arrived";
  // Control ids are the outbox rows 1..n without gaps: nothing in between was lost.
  std::uint64_t max_row = 0;
  for (const auto& [id, n] : copies) max_row = std::max(max_row, row_of(id));
  EXPECT_EQ(copies.size(), max_row);
  std::cout << "[ forward ] kill -9 after " << before_restart << " received; " << receiver.received().size()
            << " messages in all, " << copies.size() << " distinct\n";
}

TEST(ForwardE2e, TwoDaemonsForwardingToOneReceiverAreDistinguishable) {
  TempDir dir;
  MllpReceiver receiver;
  Vigild a(dir.file("a.db"), {"--forward-hl7", receiver.address(), "--daemon-id", "unit-a"});
  Vigild b(dir.file("b.db"), {"--forward-hl7", receiver.address(), "--daemon-id", "unit-b"});
  send_oru(a, {.bed = "CHAIR1", .control_id = "A1", .hr = 71});
  send_oru(b, {.bed = "CHAIR1", .control_id = "B1", .hr = 72});
  ASSERT_TRUE(receiver.wait_for([](const auto& got) { return got.size() >= 2; }, 20s));
  std::map<std::string, std::string> by_sender;  // MSH-3 -> MSH-10
  for (const auto& r : receiver.received()) by_sender[segment_field(r.message, "MSH", 3)] = r.control_id;
  EXPECT_EQ(by_sender["VIGIL^unit-a"], "unit-a-1");
  EXPECT_EQ(by_sender["VIGIL^unit-b"], "unit-b-1");
}

TEST(ForwardE2e, WithoutForwardingNoOutboxRowsAreWritten) {
  TempDir dir;
  const std::string db = dir.file("v.db");
  Vigild vigild(db);
  send_oru(vigild, {.bed = "CHAIR1", .control_id = "N1", .sys = 205, .dia = 100});
  EXPECT_EQ(vigild.stop(), 0);
  const std::string status = forward_status(db);
  EXPECT_NE(status.find("\"pending\":0,"), std::string::npos) << status;
  EXPECT_NE(status.find("\"sent\":0,"), std::string::npos) << status;
}

TEST(ForwardE2e, BadForwardingFlagsAreRefusedWithTheReason) {
  TempDir dir;
  auto bad_target = run_command({bin("vigild"), "--db", dir.file("v.db"), "--forward-hl7", "engine"}, 20s);
  EXPECT_EQ(bad_target.exit_code, 2);
  EXPECT_NE(bad_target.err.find("--forward-hl7: 'engine' is not HOST:PORT"), std::string::npos)
      << bad_target.err;
  auto bad_id = run_command(
      {bin("vigild"), "--db", dir.file("v.db"), "--forward-hl7", "127.0.0.1:2575", "--daemon-id", "a/b"},
      20s);
  EXPECT_EQ(bad_id.exit_code, 2);
  EXPECT_NE(bad_id.err.find("--daemon-id"), std::string::npos) << bad_id.err;
}

TEST(ForwardE2e, ForwardsOverTlsAndRefusesAnEngineItCannotVerify) {
  TempDir dir;
  TestPki pki(dir);
  MllpReceiver receiver(0, pki.server().cert, pki.server().key);
  Vigild vigild(dir.file("v.db"), {"--forward-hl7", receiver.address(), "--forward-tls-ca", pki.ca_cert(),
                                   "--daemon-id", "tls-a"});
  send_oru(vigild, {.bed = "CHAIR1", .control_id = "T1", .hr = 77});
  ASSERT_TRUE(receiver.wait_for([](const auto& got) { return !got.empty(); }, 20s))
      << vigild.process().stderr_text();
  EXPECT_EQ(receiver.received()[0].control_id, "tls-a-1");
  EXPECT_NE(vigild.process().stderr_text().find("over TLS"), std::string::npos);

  // An engine whose certificate another CA signed is never sent anything.
  TempDir other_dir;
  TestPki other(other_dir);
  MllpReceiver impostor(0, other.server().cert, other.server().key);
  Vigild fooled(dir.file("w.db"), {"--forward-hl7", impostor.address(), "--forward-tls-ca", pki.ca_cert()});
  send_oru(fooled, {.bed = "CHAIR1", .control_id = "T2", .hr = 78});
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (fooled.process().stderr_text().find("TLS handshake failed") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(100ms);  // polling a condition with a deadline
  EXPECT_NE(fooled.process().stderr_text().find("TLS handshake failed"), std::string::npos);
  EXPECT_TRUE(impostor.received().empty());

  auto bad_ca = run_command({bin("vigild"), "--db", dir.file("x.db"), "--forward-hl7", "127.0.0.1:2575",
                             "--forward-tls-ca", dir.file("missing.pem")},
                            20s);
  EXPECT_EQ(bad_ca.exit_code, 2);
  EXPECT_NE(bad_ca.err.find("forward_hl7.tls_ca_file"), std::string::npos) << bad_ca.err;
}

}  // namespace
}  // namespace vigil::test
