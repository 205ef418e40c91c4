// Security policy end to end (a ward network is not trusted): vigild refuses to listen beyond loopback
// without the protection that needs, the HL7 listener's per-source limits (allow-list, connections, message
// rate) hold against a real process, and no patient label reaches its logs.
#include <gtest/gtest.h>

#include <sys/stat.h>

#include <fstream>
#include <memory>
#include <thread>
#include <vector>

#include "support/child_process.hpp"
#include "support/file_text.hpp"
#include "support/mllp_client.hpp"
#include "support/session_driver.hpp"
#include "support/vigild_fixture.hpp"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;

bool exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

std::string write_config(const TempDir& dir, const std::string& text) {
  const std::string path = dir.file("vigild.conf");
  std::ofstream(path) << text;
  return path;
}

TEST(ListenPolicy, StreamBeyondLoopbackIsRefused) {
  TempDir dir;
  for (const char* at : {"0.0.0.0:0", "[::]:0"}) {
    auto r = run_command(
        {bin("vigild"), "--db", dir.file("v.db"), "--hl7-listen", "127.0.0.1:0", "--stream-listen", at}, 20s);
    EXPECT_EQ(r.exit_code, 2) << at << ": " << r.err;
    EXPECT_NE(r.err.find("--stream-listen"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("TLS"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find("127.0.0.1"), std::string::npos) << r.err;
    EXPECT_EQ(count_lines(r.err), 1) << r.err;
    EXPECT_TRUE(r.out.empty()) << r.out;
  }
  EXPECT_FALSE(exists(dir.file("v.db"))) << "the database must not be touched by a refused start";
}

TEST(ListenPolicy, StreamBeyondLoopbackFromTheConfigFileIsRefused) {
  TempDir dir;
  const auto conf = write_config(dir, "stream_listen: \"0.0.0.0:0\"\n");
  auto r = run_command(
      {bin("vigild"), "--db", dir.file("v.db"), "--hl7-listen", "127.0.0.1:0", "--config", conf}, 20s);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("TLS"), std::string::npos) << r.err;
}

TEST(ListenPolicy, Hl7BeyondLoopbackNeedsAnAllowList) {
  TempDir dir;
  auto r = run_command({bin("vigild"), "--db", dir.file("v.db"), "--hl7-listen", "0.0.0.0:0",
                        "--stream-listen", "127.0.0.1:0"},
                       20s);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--hl7-listen"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("hl7_allow"), std::string::npos) << r.err;
  EXPECT_EQ(count_lines(r.err), 1) << r.err;
  EXPECT_FALSE(exists(dir.file("v.db")));
}

TEST(ListenPolicy, BadAllowEntryNamesTheField) {
  TempDir dir;
  const auto conf = write_config(dir, "hl7_allow: \"10.1.2.7/24\"\n");
  auto r = run_command({bin("vigild"), "--db", dir.file("v.db"), "--config", conf, "--hl7-listen",
                        "127.0.0.1:0", "--stream-listen", "127.0.0.1:0"},
                       20s);
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("hl7_allow[0]"), std::string::npos) << r.err;
}

TEST(Hl7Limits, AllowListAppliesOnLoopbackWhenSet) {
  TempDir dir;
  {
    Vigild vigild(dir.file("a.db"), {"--config", write_config(dir, "hl7_allow: \"10.9.9.0/24\"\n")});
    MllpClient outsider(vigild.hl7.host, vigild.hl7.port);
    ASSERT_TRUE(outsider.connected());
    EXPECT_TRUE(outsider.wait_closed(10s)) << "a source outside hl7_allow must be closed at once";
    EXPECT_EQ(vigild.stop(), 0);
    const std::string err = vigild.process().stderr_text();
    EXPECT_NE(err.find("refused a connection from 127.0.0.1: not in hl7_allow"), std::string::npos) << err;
    EXPECT_NE(err.find("refused_not_allowed=1"), std::string::npos) << err;
  }
  Vigild vigild(dir.file("b.db"),
                {"--config", write_config(dir, "hl7_allow: \"10.9.9.0/24\" hl7_allow: \"127.0.0.0/8\"\n")});
  MllpClient insider(vigild.hl7.host, vigild.hl7.port);
  OruValues v;
  ASSERT_TRUE(insider.send_message(make_oru(v)));
  auto ack = insider.read_reply(20s);
  ASSERT_TRUE(ack.has_value()) << vigild.process().stderr_text();
  EXPECT_EQ(hl7_field(*ack, "MSA", 1), "AA") << *ack;
}

TEST(Hl7Limits, BurstOverTheRateGetsArForTheExcessAndEveryMessageIsAnswered) {
  TempDir dir;
  // One message per second: the burst allowance is one, so a 50-message burst is over it
  // however slow the machine is.
  Vigild vigild(dir.file("v.db"),
                {"--config", write_config(dir, "hl7_max_messages_per_second_per_source: 1\n")});
  MllpClient monitor(vigild.hl7.host, vigild.hl7.port);
  ASSERT_TRUE(monitor.connected());
  constexpr int kMessages = 50;
  std::string burst;
  for (int i = 0; i < kMessages; ++i) {
    OruValues v;
    v.control_id = "BURST" + std::to_string(i);
    burst += "\x0b" + make_oru(v) + "\x1c\r";
  }
  ASSERT_TRUE(monitor.send_raw(burst));
  int aa = 0, ar = 0;
  std::vector<std::string> rejected;
  for (int i = 0; i < kMessages; ++i) {
    auto ack = monitor.read_reply(30s);
    ASSERT_TRUE(ack.has_value()) << "message " << i << " got no answer; stderr:\n"
                                 << vigild.process().stderr_text();
    EXPECT_EQ(hl7_field(*ack, "MSA", 2), "BURST" + std::to_string(i)) << "answers come in order";
    const std::string code = hl7_field(*ack, "MSA", 1);
    if (code == "AA") {
      ++aa;
    } else {
      EXPECT_EQ(code, "AR") << *ack;
      EXPECT_NE(hl7_field(*ack, "MSA", 3).find("rate limit exceeded, resend later"), std::string::npos)
          << *ack;
      EXPECT_NE(ack->find("ERR|"), std::string::npos) << *ack;
      ++ar;
      rejected.push_back("BURST" + std::to_string(i));
    }
  }
  EXPECT_EQ(aa + ar, kMessages);
  EXPECT_GE(aa, 1);
  EXPECT_GE(ar, 1);
  ASSERT_FALSE(rejected.empty());
  // A rejected message resent once the bucket refills is accepted (deadline, not a sleep).
  OruValues again;
  again.control_id = rejected.front();
  bool accepted = false;
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (!accepted && std::chrono::steady_clock::now() < deadline) {
    ASSERT_TRUE(monitor.send_message(make_oru(again)));
    auto ack = monitor.read_reply(20s);
    ASSERT_TRUE(ack.has_value());
    accepted = hl7_field(*ack, "MSA", 1) == "AA";
    if (!accepted) std::this_thread::sleep_for(200ms);  // pacing a resend, as a monitor does
  }
  EXPECT_TRUE(accepted);
  EXPECT_EQ(vigild.stop(), 0);
  const std::string err = vigild.process().stderr_text();
  EXPECT_NE(err.find("answered AR"), std::string::npos) << err;
  EXPECT_NE(err.find("rate_limited_messages="), std::string::npos) << err;
  EXPECT_EQ(err.find("rate_limited_messages=0 "), std::string::npos) << err;
}

TEST(Hl7Limits, ConnectionOverThePerSourceLimitIsClosedAtOnce) {
  TempDir dir;
  Vigild vigild(dir.file("v.db"), {"--config", write_config(dir, "hl7_max_connections_per_source: 3\n")});
  std::vector<std::unique_ptr<MllpClient>> monitors;
  for (int i = 0; i < 3; ++i) {
    monitors.push_back(std::make_unique<MllpClient>(vigild.hl7.host, vigild.hl7.port));
    OruValues v;
    v.bed = "CHAIR" + std::to_string(i + 1);
    v.control_id = "C" + std::to_string(i);
    ASSERT_TRUE(monitors.back()->send_message(make_oru(v)));
    auto ack = monitors.back()->read_reply(20s);
    ASSERT_TRUE(ack.has_value()) << "connection " << i << "; stderr:\n" << vigild.process().stderr_text();
    EXPECT_EQ(hl7_field(*ack, "MSA", 1), "AA");
  }
  MllpClient fourth(vigild.hl7.host, vigild.hl7.port);
  ASSERT_TRUE(fourth.connected());
  EXPECT_TRUE(fourth.wait_closed(10s)) << "the 4th connection from one source must be closed";
  // The first three still work.
  for (int i = 0; i < 3; ++i) {
    OruValues v;
    v.bed = "CHAIR" + std::to_string(i + 1);
    v.control_id = "D" + std::to_string(i);
    ASSERT_TRUE(monitors[static_cast<std::size_t>(i)]->send_message(make_oru(v)));
    auto ack = monitors[static_cast<std::size_t>(i)]->read_reply(20s);
    ASSERT_TRUE(ack.has_value());
    EXPECT_EQ(hl7_field(*ack, "MSA", 1), "AA");
  }
  // When one leaves, its place is free again (the daemon notices the close a moment later).
  monitors.front().reset();
  bool replaced = false;
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (!replaced && std::chrono::steady_clock::now() < deadline) {
    MllpClient next(vigild.hl7.host, vigild.hl7.port);
    OruValues v;
    v.control_id = "E";
    if (next.send_message(make_oru(v))) {
      auto ack = next.read_reply(2s);
      replaced = ack && hl7_field(*ack, "MSA", 1) == "AA";
    }
  }
  EXPECT_TRUE(replaced);
  EXPECT_EQ(vigild.stop(), 0);
  const std::string err = vigild.process().stderr_text();
  EXPECT_NE(err.find("refused a connection from 127.0.0.1: too many connections"), std::string::npos) << err;
  EXPECT_EQ(err.find("refused_per_source_connections=0 "), std::string::npos) << err;
}

TEST(PatientData, LabelAndPidNeverReachVigildLogs) {
  TempDir dir;
  const std::string label = "ZQX-LABEL-7731";
  const std::string pid_name = "QUIXOTEZ";
  Vigild vigild(dir.file("v.db"), {"--log-level", "trace"});
  ChairDriver chair(vigild, "CHAIR9");
  auto begin = chair.nurse({"session", "begin", "--patient", label, "--planned-minutes", "40"});
  ASSERT_EQ(begin.exit_code, 0) << begin.err;
  EXPECT_EQ(chair.nibp(0, 126, 82), "");
  // A monitor's PID segment with a name and an identifier in it.
  std::string message = make_vitals_oru("CHAIR9", chair.next_control_id(), std::nullopt, 75, 97);
  const auto pv1 = message.find("PV1|");
  ASSERT_NE(pv1, std::string::npos);
  message.insert(pv1, "PID|||" + pid_name + "-ID-55^^^Clinic^PI||" + pid_name + "^DULCINEA\r");
  EXPECT_EQ(chair.send(message), "");
  // Refused and failed actions are logged: they must not echo the label either.
  auto twice = chair.nurse({"session", "begin", "--patient", label, "--planned-minutes", "40"});
  EXPECT_NE(twice.exit_code, 0);
  auto baseline = chair.nurse({"session", "baseline", "--override", "128/82"});
  EXPECT_EQ(baseline.exit_code, 0) << baseline.err;
  auto end = chair.nurse({"session", "end"});
  EXPECT_EQ(end.exit_code, 0) << end.err;
  EXPECT_EQ(vigild.stop(), 0);
  std::string out;
  for (const auto& line : vigild.process().drain_lines()) out += line + "\n";
  const std::string err = vigild.process().stderr_text();
  ASSERT_FALSE(err.empty()) << "vigild logged nothing: the check below would prove nothing";
  EXPECT_EQ(err.find(label), std::string::npos) << err;
  EXPECT_EQ(err.find(pid_name), std::string::npos) << err;
  EXPECT_EQ(out.find(label), std::string::npos) << out;
  EXPECT_EQ(out.find(pid_name), std::string::npos) << out;
  // The label did go through vigild: it is in the session log, where it belongs.
  auto timeline =
      run_command({bin("vigilctl"), "timeline", "--db", dir.file("v.db"), "--bed", "CHAIR9"}, 60s);
  EXPECT_NE(timeline.out.find(label), std::string::npos) << timeline.out << timeline.err;
}

}  // namespace
}  // namespace vigil::test
