// End to end: a real vigild, real TCP, real vigilctl processes.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/socket.h>

#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>

#include "common/wall_time.hpp"
#include "e2e/e2e_util.hpp"
#include "support/child_process.hpp"
#include "support/file_text.hpp"
#include "support/mllp_client.hpp"
#include "support/vigild_fixture.hpp"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;

TEST(Hl7Ingest, SampleMessageIsAckedStoredAndStreamed) {
  TempDir dir;
  Vigild vigild(dir.file("vigil.db"));
  ChildProcess watch({bin("vigilctl"), "watch", "--connect", vigild.stream.str()});
  ASSERT_TRUE(watch.wait_for_line([](auto& l) { return is_line_of_type(l, "hello"); }, 10s))
      << watch.stderr_text();

  MllpClient monitor(vigild.hl7.host, vigild.hl7.port);
  ASSERT_TRUE(monitor.connected());
  std::string sample = read_file(std::string(VIGIL_TEST_DATA_DIR) + "/hl7/ihe-pcd01-nibp.hl7");
  ASSERT_TRUE(monitor.send_message(sample));
  auto ack = monitor.read_reply(10s);
  ASSERT_TRUE(ack) << vigild.process().stderr_text();
  EXPECT_EQ(hl7_field(*ack, "MSA", 1), "AA");
  EXPECT_EQ(hl7_field(*ack, "MSA", 2), "MSGID1234");
  // Sender and receiver swapped: the monitor's MSH-3 comes back as the ACK's MSH-5.
  EXPECT_EQ(hl7_field(*ack, "MSH", 5), "AcmeInc^ACDE48234567ABCD^EUI-64");
  EXPECT_EQ(hl7_field(*ack, "MSH", 9).substr(0, 3), "ACK");

  std::map<std::string, double> seen;
  while (seen.size() < 3) {
    auto line = watch.wait_for_line([](auto& l) { return is_line_of_type(l, "reading"); }, 10s);
    ASSERT_TRUE(line) << "only " << seen.size() << " readings arrived";
    auto reading = parse_reading_line(*line);
    ASSERT_TRUE(reading) << *line;
    // No PV1 in the sample: the bed is the OBX-18 equipment id.
    EXPECT_EQ(reading->bed(), "0123456789ABCDEF");
    EXPECT_EQ(reading->unit(), "mmHg");
    EXPECT_EQ(reading->measured_at(), "2009-08-13T04:57:15Z");
    seen[reading->kind()] = reading->value();
  }
  EXPECT_EQ(seen["NIBP_SYS"], 120);
  EXPECT_EQ(seen["NIBP_DIA"], 80);
  EXPECT_EQ(seen["NIBP_MEAN"], 100);

  auto csv = run_command({bin("vigilctl"), "readings", "--db", dir.file("vigil.db"), "--format", "csv"}, 20s);
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_NE(csv.out.find("NIBP_SYS,120"), std::string::npos) << csv.out;
  auto jsonl = run_command({bin("vigilctl"), "readings", "--db", dir.file("vigil.db")}, 20s);
  ASSERT_EQ(jsonl.exit_code, 0) << jsonl.err;
  int lines = 0;
  std::istringstream in(jsonl.out);
  for (std::string line; std::getline(in, line);) {
    auto reading = parse_reading_line(line);
    ASSERT_TRUE(reading) << line;
    ++lines;
  }
  EXPECT_EQ(lines, 3);
  EXPECT_EQ(vigild.stop(), 0);
}

TEST(Hl7Ingest, LateWatcherGetsSnapshotWithAges) {
  TempDir dir;
  Vigild vigild(dir.file("vigil.db"));
  MllpClient monitor(vigild.hl7.host, vigild.hl7.port);
  OruValues v;
  v.bed = "CHAIR3";
  v.sys = 142;
  ASSERT_TRUE(monitor.send_message(make_oru(v)));
  auto ack = monitor.read_reply(10s);
  ASSERT_TRUE(ack);
  ASSERT_EQ(hl7_field(*ack, "MSA", 1), "AA");

  ChildProcess watch({bin("vigilctl"), "watch", "--connect", vigild.stream.str(), "--bed", "CHAIR3"});
  auto line =
      watch.wait_for_line([](auto& l) { return l.find("\"kind\":\"NIBP_SYS\"") != std::string::npos; }, 10s);
  ASSERT_TRUE(line) << watch.stderr_text();
  auto reading = parse_reading_line(*line);
  ASSERT_TRUE(reading);
  EXPECT_EQ(reading->bed(), "CHAIR3");
  EXPECT_EQ(reading->value(), 142);
  EXPECT_TRUE(reading->snapshot().value());
  // Stamped a minute before it was sent: the device's time is kept as reported, and the
  // snapshot's age counts from its arrival on Vigil's clock (a device clock may be off).
  EXPECT_GE(reading->age_s().value(), 0);
  EXPECT_LT(reading->age_s().value(), 600);
  const auto measured = parse_time_arg(reading->measured_at());
  const auto received = parse_time_arg(reading->received_at());
  ASSERT_TRUE(measured && received) << *line;
  EXPECT_GE(*received - *measured, 59'000) << *line;
}

TEST(Hl7Ingest, GarbageGetsArAndWrongTypeGetsAr) {
  TempDir dir;
  Vigild vigild(dir.file("vigil.db"));
  MllpClient monitor(vigild.hl7.host, vigild.hl7.port);
  ASSERT_TRUE(monitor.send_message("this is not HL7 at all"));
  auto ack = monitor.read_reply(10s);
  ASSERT_TRUE(ack);
  EXPECT_EQ(hl7_field(*ack, "MSA", 1), "AR");

  std::string adt = "MSH|^~\\&|ADM||||20261121101500||ADT^A01|X1|P|2.6\rPID|||1\r";
  ASSERT_TRUE(monitor.send_message(adt));
  ack = monitor.read_reply(10s);
  ASSERT_TRUE(ack);
  EXPECT_EQ(hl7_field(*ack, "MSA", 1), "AR");
  EXPECT_EQ(hl7_field(*ack, "MSA", 2), "X1");

  // The connection survives bad input: a good message still gets its AA.
  OruValues v;
  v.control_id = "GOOD1";
  ASSERT_TRUE(monitor.send_message(make_oru(v)));
  ack = monitor.read_reply(10s);
  ASSERT_TRUE(ack);
  EXPECT_EQ(hl7_field(*ack, "MSA", 1), "AA");
  EXPECT_EQ(hl7_field(*ack, "MSA", 2), "GOOD1");
}

// A message over the bound is answered AR with its control id and the reason, and the link
// goes on (the sender was cut off without an answer, and resent it after reconnecting).
TEST(Hl7Ingest, OversizeMessageIsAnsweredArAndTheLinkGoesOn) {
  TempDir dir;
  std::ofstream(dir.file("vigild.conf")) << "max_frame_bytes: 4096\n";
  Vigild vigild(dir.file("vigil.db"), {"--config", dir.file("vigild.conf")});
  MllpClient monitor(vigild.hl7.host, vigild.hl7.port);
  OruValues big;
  big.control_id = "BIG1";
  const std::string message = make_oru(big) + "NTE|1||" + std::string(8192, 'A') + "\r";
  ASSERT_TRUE(monitor.send_message(message));
  auto ack = monitor.read_reply(10s);
  ASSERT_TRUE(ack) << vigild.process().stderr_text();
  EXPECT_EQ(hl7_field(*ack, "MSA", 1), "AR");
  EXPECT_EQ(hl7_field(*ack, "MSA", 2), "BIG1");
  EXPECT_EQ(hl7_field(*ack, "MSA", 3),
            "message of " + std::to_string(message.size()) + " bytes is over the limit of 4096; not stored");

  OruValues v;
  v.control_id = "AFTER1";
  ASSERT_TRUE(monitor.send_message(make_oru(v)));
  ack = monitor.read_reply(10s);
  ASSERT_TRUE(ack) << vigild.process().stderr_text();
  EXPECT_EQ(hl7_field(*ack, "MSA", 1), "AA");
  EXPECT_EQ(hl7_field(*ack, "MSA", 2), "AFTER1");
}

// A frame that never ends is no message to answer: past 16 times the bound its link is
// closed, and only its link.
TEST(Hl7Ingest, EndlessFrameClosesOnlyThatConnection) {
  TempDir dir;
  std::ofstream(dir.file("vigild.conf")) << "max_frame_bytes: 4096\n";
  Vigild vigild(dir.file("vigil.db"), {"--config", dir.file("vigild.conf")});
  MllpClient other(vigild.hl7.host, vigild.hl7.port);
  MllpClient flood(vigild.hl7.host, vigild.hl7.port);
  ASSERT_TRUE(flood.send_raw("\x0b" + std::string(17 * 4096, 'A')));
  EXPECT_TRUE(flood.wait_closed(10s));
  OruValues v;
  ASSERT_TRUE(other.send_message(make_oru(v)));
  auto ack = other.read_reply(10s);
  ASSERT_TRUE(ack);
  EXPECT_EQ(hl7_field(*ack, "MSA", 1), "AA");
}

TEST(Hl7Ingest, FiftyConcurrentSendersAllAckedAndStored) {
  TempDir dir;
  Vigild vigild(dir.file("vigil.db"));
  constexpr int kSenders = 50;
  constexpr int kMessagesEach = 20;
  std::atomic<int> acked{0};
  std::vector<std::string> failures(kSenders);
  std::vector<std::thread> threads;
  for (int s = 0; s < kSenders; ++s) {
    threads.emplace_back([&, s] {
      MllpClient monitor(vigild.hl7.host, vigild.hl7.port);
      if (!monitor.connected()) {
        failures[s] = "connect failed";
        return;
      }
      for (int m = 0; m < kMessagesEach; ++m) {
        OruValues v;
        v.bed = "CHAIR" + std::to_string(s);
        v.control_id = "S" + std::to_string(s) + "M" + std::to_string(m);
        v.hr = 60 + m;
        v.sys = 110 + m % 2;  // each message a new cuff (the same result again is stored once)
        if (!monitor.send_message(make_oru(v))) {
          failures[s] = "send failed";
          return;
        }
        auto ack = monitor.read_reply(30s);
        if (!ack || hl7_field(*ack, "MSA", 1) != "AA" || hl7_field(*ack, "MSA", 2) != v.control_id) {
          failures[s] = "bad ack for " + v.control_id + ": " + ack.value_or("<none>");
          return;
        }
        ++acked;
      }
    });
  }
  for (auto& t : threads) t.join();
  for (int s = 0; s < kSenders; ++s) EXPECT_EQ(failures[s], "") << "sender " << s;
  EXPECT_EQ(acked.load(), kSenders * kMessagesEach);
  // AA means committed: every reading is in the database.
  auto csv = run_command({bin("vigilctl"), "readings", "--db", dir.file("vigil.db"), "--format", "csv"}, 30s);
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  int rows = -1;  // header
  std::istringstream in(csv.out);
  for (std::string line; std::getline(in, line);) ++rows;
  EXPECT_EQ(rows, kSenders * kMessagesEach * 5);
}

TEST(Hl7Ingest, StalledStreamClientDoesNotDelayAnother) {
  TempDir dir;
  std::ofstream(dir.file("vigild.conf")) << "client_queue_bytes: 65536\n";
  Vigild vigild(dir.file("vigil.db"), {"--config", dir.file("vigild.conf")});

  // A client that says hello and then never reads: its queue must fill and it must be
  // dropped, while a healthy watcher keeps getting everything.
  MllpClient stalled(vigild.stream.host, vigild.stream.port);  // plain TCP is all we need
  int small = 4096;
  setsockopt(stalled.fd(), SOL_SOCKET, SO_RCVBUF, &small, sizeof small);
  std::string hello;
  {
    // ClientMessage{hello{protocol_version:1, client_name:"stall"}} as a delimited frame.
    std::string body = std::string("\x08\x01\x12\x05stall", 9);
    std::string msg = "\x0a" + std::string(1, static_cast<char>(body.size())) + body;
    hello = std::string(1, static_cast<char>(msg.size())) + msg;
  }
  ASSERT_TRUE(stalled.send_raw(hello));

  ChildProcess watch({bin("vigilctl"), "watch", "--connect", vigild.stream.str()});
  ASSERT_TRUE(watch.wait_for_line([](auto& l) { return is_line_of_type(l, "hello"); }, 10s));

  MllpClient monitor(vigild.hl7.host, vigild.hl7.port);
  constexpr int kMessages = 400;  // 2,000 readings: far beyond a 64 KiB queue
  // The watcher is read as its readings arrive: a watcher whose stdout the test left unread
  // would itself stop reading its socket, and it would rightly be dropped too.
  int readings = 0;
  for (int m = 0; m < kMessages; ++m) {
    OruValues v;
    v.control_id = "M" + std::to_string(m);
    v.hr = 50 + m % 100;
    v.sys = 110 + m % 2;  // each message a new cuff (the same result again is stored once)
    ASSERT_TRUE(monitor.send_message(make_oru(v)));
    auto ack = monitor.read_reply(20s);
    ASSERT_TRUE(ack) << "no ACK for message " << m << " while a client is stalled";
    ASSERT_EQ(hl7_field(*ack, "MSA", 1), "AA");
    while (readings < (m + 1) * 5) {
      auto line = watch.wait_for_line([](auto& l) { return is_line_of_type(l, "reading"); }, 20s);
      ASSERT_TRUE(line) << "watcher got only " << readings << " readings; stderr: " << watch.stderr_text();
      ++readings;
    }
  }
  EXPECT_TRUE(stalled.wait_closed(20s)) << "the stalled client was never dropped";
}

TEST(Hl7Ingest, ResentMessageIsAcknowledgedButStoredOnce) {
  TempDir dir;
  Vigild vigild(dir.file("vigil.db"));
  MllpClient monitor(vigild.hl7.host, vigild.hl7.port);
  OruValues v;
  v.control_id = "DUP1";
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(monitor.send_message(make_oru(v)));
    auto ack = monitor.read_reply(10s);
    ASSERT_TRUE(ack);
    EXPECT_EQ(hl7_field(*ack, "MSA", 1), "AA");
    EXPECT_EQ(hl7_field(*ack, "MSA", 2), "DUP1");
  }
  // Same control id, different content: a monitor that restarted its counter. Kept: its
  // HR and SpO2; its NIBP is the result already stored (same time and values), not again.
  v.hr = 99;
  ASSERT_TRUE(monitor.send_message(make_oru(v)));
  ASSERT_TRUE(monitor.read_reply(10s));
  auto csv = run_command({bin("vigilctl"), "readings", "--db", dir.file("vigil.db"), "--format", "csv"}, 20s);
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  int rows = -1;
  std::istringstream in(csv.out);
  for (std::string line; std::getline(in, line);) ++rows;
  EXPECT_EQ(rows, 7);
}

TEST(Hl7Ingest, SigtermExitsCleanly) {
  TempDir dir;
  Vigild vigild(dir.file("vigil.db"));
  EXPECT_EQ(vigild.stop(), 0);
}

}  // namespace
}  // namespace vigil::test
