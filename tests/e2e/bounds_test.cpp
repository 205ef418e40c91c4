// Bounds on what outside bytes can make vigild hold, against the real process: the chair
// cap (AR + T8), idle chairs forgotten, the stream client cap, the pre-login frame limit,
// the per-address login backoff, a chair name over the engine's limit, the per-client
// snapshot bound and the MLLP frame deadline.
#include <gtest/gtest.h>

#include <fstream>
#include <memory>
#include <thread>
#include <vector>

#include "net/frame_codec.hpp"
#include "stream.pb.h"
#include "stream/protocol_version.hpp"
#include "support/child_process.hpp"
#include "support/mllp_client.hpp"
#include "support/vigild_fixture.hpp"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;

std::string write_config(const TempDir& dir, const std::string& text) {
  const std::string path = dir.file("vigild.conf");
  std::ofstream(path) << text;
  return path;
}

// Sends one ORU for `bed` and returns the ACK's MSA-1 and MSA-3 ("AA", "AR: why").
std::string send_for(MllpClient& monitor, const std::string& bed, const std::string& control_id) {
  OruValues v;
  v.bed = bed;
  v.control_id = control_id;
  if (!monitor.send_message(make_oru(v))) return "send failed";
  auto ack = monitor.read_reply(30s);
  if (!ack) return "no answer";
  const std::string code = hl7_field(*ack, "MSA", 1);
  return code == "AA" ? code : code + ": " + hl7_field(*ack, "MSA", 3);
}

std::string hello_frame(const std::string& token = {}) {
  proto::ClientMessage m;
  m.mutable_hello()->set_protocol_version(stream::kProtocolVersion);
  m.mutable_hello()->set_client_name("bounds-test");
  if (!token.empty()) m.mutable_hello()->set_token(token);
  return net::encode_frame(m);
}

bool contains(const std::string& text, const std::string& what) {
  return text.find(what) != std::string::npos;
}

TEST(Bounds, ChairOverTheCapIsAnsweredArAndRaisesT8OnEveryChair) {
  TempDir dir;
  Vigild vigild(dir.file("v.db"), {"--config", write_config(dir, "max_chairs: 5\n")});
  ChildProcess watch({bin("vigilctl"), "watch", "--connect", vigild.stream.str()});
  ASSERT_TRUE(watch.wait_for_line(is_hello_line, 20s)) << watch.stderr_text();
  MllpClient monitor(vigild.hl7.host, vigild.hl7.port);
  for (int i = 1; i <= 5; ++i)
    ASSERT_EQ(send_for(monitor, "CHAIR" + std::to_string(i), "M" + std::to_string(i)), "AA") << i;
  const std::string sixth = send_for(monitor, "CHAIR6", "M6");
  EXPECT_EQ(sixth, "AR: too many chairs: 5 known, cap 5; message not stored");
  // Known chairs still work.
  EXPECT_EQ(send_for(monitor, "CHAIR2", "M7"), "AA");
  std::vector<std::string> beds;
  auto t8 = [&](const std::string& l) {
    if (contains(l, "\"type\":\"alert\"") && contains(l, "\"rule\":\"T8\"") &&
        contains(l, "too many chairs: 5 known, cap 5"))
      beds.push_back(l);
    return beds.size() == 5;
  };
  ASSERT_TRUE(watch.wait_for_line(t8, 30s)) << beds.size() << " chairs show the T8\n"
                                            << vigild.process().stderr_text();
  EXPECT_EQ(vigild.stop(), 0);
  const std::string err = vigild.process().stderr_text();
  EXPECT_TRUE(contains(err, "chairs: too many chairs: 5 known, cap 5; refused a message for a new chair"))
      << err;
  EXPECT_TRUE(contains(err, "chairs known=5 refused_messages=1")) << err;
}

TEST(Bounds, AChairNameTheAlertEngineCannotHoldIsRefusedNotStored) {
  TempDir dir;
  const std::string db = dir.file("v.db");
  Vigild vigild(db);
  MllpClient monitor(vigild.hl7.host, vigild.hl7.port);
  const std::string longest(256, 'B'), over(257, 'B');
  EXPECT_EQ(send_for(monitor, longest, "M1"), "AA");
  const std::string refused = send_for(monitor, over, "M2");
  EXPECT_TRUE(contains(refused, "AE: chair name of 257 bytes is over the limit of 256")) << refused;
  // An escape sequence in PV1-3 (HL7's \X1B\) would clear a terminal showing the board, a
  // log or a CSV export; blanks around a name are not part of it.
  EXPECT_EQ(send_for(monitor, "ESC\\X1B\\[2J", "M3"),
            "AE: chair name contains the control byte 0x1B at byte 4; message not stored");
  EXPECT_EQ(send_for(monitor, "  PADDED ", "M4"), "AA");
  EXPECT_EQ(vigild.stop(), 0);
  RunResult readings = run_command({bin("vigilctl"), "readings", "--db", db}, 60s);
  EXPECT_EQ(readings.exit_code, 0) << readings.err;
  EXPECT_TRUE(contains(readings.out, longest));
  EXPECT_FALSE(contains(readings.out, over)) << "a refused message was stored";
  EXPECT_FALSE(contains(readings.out, "ESC")) << "a refused message was stored";
  EXPECT_TRUE(contains(readings.out, "\"bed\":\"PADDED\"")) << readings.out;
}

TEST(Bounds, IdleChairWithoutSessionIsForgotten) {
  TempDir dir;
  Vigild vigild(dir.file("v.db"), {"--config", write_config(dir, "chair_idle_forget_s: 1\n")});
  MllpClient monitor(vigild.hl7.host, vigild.hl7.port);
  ASSERT_EQ(send_for(monitor, "IDLE1", "I1"), "AA");
  bool gone = false;
  std::string last;
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (!gone && std::chrono::steady_clock::now() < deadline) {
    auto r = run_command({bin("vigilctl"), "board", "--once", "--connect", vigild.stream.str()}, 20s);
    ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
    last = r.out;
    gone = !contains(r.out, "IDLE1");
    if (!gone) std::this_thread::sleep_for(200ms);  // pacing the polls; the deadline decides
  }
  EXPECT_TRUE(gone) << "the idle chair is still on the board:\n" << last;
  // A forgotten chair comes back with its next message.
  EXPECT_EQ(send_for(monitor, "IDLE1", "I2"), "AA");
  EXPECT_EQ(vigild.stop(), 0);
  const std::string err = vigild.process().stderr_text();
  EXPECT_TRUE(contains(err, "forgot 1 idle chairs")) << err;
}

TEST(Bounds, StreamClientOverTheCapIsRefusedWithAReason) {
  TempDir dir;
  Vigild vigild(dir.file("v.db"), {"--config", write_config(dir, "max_stream_clients: 2\n")});
  // Two watchers hold both places (they heartbeat, so they stay).
  std::vector<std::unique_ptr<ChildProcess>> holders;
  for (int i = 0; i < 2; ++i) {
    holders.push_back(std::make_unique<ChildProcess>(
        std::vector<std::string>{bin("vigilctl"), "watch", "--connect", vigild.stream.str()}));
    ASSERT_TRUE(holders.back()->wait_for_line(is_hello_line, 20s)) << holders.back()->stderr_text();
  }
  auto r = run_command({bin("vigilctl"), "watch", "--connect", vigild.stream.str()}, 30s);
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_TRUE(contains(r.out + r.err, "refused: too many stream clients (2 connected")) << r.out << r.err;
  EXPECT_EQ(vigild.stop(), 0);
  EXPECT_TRUE(contains(vigild.process().stderr_text(), "refused_full=1")) << vigild.process().stderr_text();
}

TEST(Bounds, FrameOverThePreLoginLimitDisconnectsAtOnce) {
  TempDir dir;
  Vigild vigild(dir.file("v.db"));
  MllpClient peer(vigild.stream.host, vigild.stream.port);
  ASSERT_TRUE(peer.connected());
  // A 1 MiB length prefix (within the logged-in limit), then payload bytes trickling in: each
  // one would refresh the link timeout, so only the pre-login limit can end this.
  ASSERT_TRUE(peer.send_raw(std::string("\x80\x80\x40", 3)));
  bool closed = false;
  for (int i = 0; i < 50 && !closed; ++i) {
    peer.send_raw(std::string(64, 'x'));
    closed = peer.wait_closed(200ms);
  }
  EXPECT_TRUE(closed) << "a 1 MiB frame before login was accepted";
  EXPECT_EQ(vigild.stop(), 0);
  EXPECT_TRUE(contains(vigild.process().stderr_text(), "protocol_errors=1"))
      << vigild.process().stderr_text();
}

TEST(Bounds, RepeatedWrongTokensLockTheAddressOut) {
  TempDir dir;
  auto hashed = run_command(
      {"/bin/sh", "-c", "printf '%s\\n' 'right-token-4c1d' | " + bin("vigild") + " --hash-token"}, 20s);
  ASSERT_EQ(hashed.exit_code, 0) << hashed.err;
  std::string hash = hashed.out.substr(0, 64);
  Vigild vigild(dir.file("v.db"),
                {"--config", write_config(dir,
                                          "stream_login_free_failures: 2\nstream_login_backoff_max_s: "
                                          "8\nstream_user { name: \"nina\" role: \"nurse\" "
                                          "token_sha256: \"" +
                                              hash + "\" }\n")});
  auto wrong = [&](int i) {
    auto r = run_command(
        {bin("vigilctl"), "watch", "--connect", vigild.stream.str(), "--token", "wrong-" + std::to_string(i)},
        30s);
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    return r.out;
  };
  // The free tries are checked and refused as wrong.
  for (int i = 0; i < 2; ++i) {
    EXPECT_TRUE(contains(wrong(i), "refused: authentication failed")) << i;
  }
  // Each further failure locks the address out for twice as long (1 s, 2 s, 4 s ...): soon a
  // try lands inside a lockout however slow the machine is, and is refused unseen.
  bool locked = false;
  for (int i = 2; i < 12 && !locked; ++i) {
    const std::string out = wrong(i);
    locked = contains(out, "refused: too many failed logins from this address; retry in");
    if (!locked) {
      EXPECT_TRUE(contains(out, "refused: authentication failed")) << out;
    }
  }
  EXPECT_TRUE(locked) << "wrong tokens were never refused for their address";
  // While locked out even the right token is refused; after the lockout it works.
  bool in = false;
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while (!in && std::chrono::steady_clock::now() < deadline) {
    ChildProcess good({bin("vigilctl"), "watch", "--connect", vigild.stream.str()},
                      {"VIGIL_TOKEN=right-token-4c1d"});
    auto line = good.wait_for_line(
        [](auto& l) { return contains(l, "\"type\":\"hello\"") || contains(l, "refused"); }, 20s);
    ASSERT_TRUE(line) << good.stderr_text();
    in = contains(*line, "\"type\":\"hello\"");
    if (!in) {
      EXPECT_TRUE(contains(*line, "too many failed logins")) << *line;
      std::this_thread::sleep_for(500ms);  // pacing retries; the deadline decides
    }
  }
  EXPECT_TRUE(in);
  EXPECT_EQ(vigild.stop(), 0);
  const std::string err = vigild.process().stderr_text();
  EXPECT_TRUE(contains(err, "login_failures=")) << err;
  EXPECT_FALSE(contains(err, "login_locked_refusals=0")) << err;
}

TEST(Bounds, NonReadingClientIsDroppedAtItsSnapshotBound) {
  TempDir dir;
  Vigild vigild(dir.file("v.db"),
                {"--config", write_config(dir, "snapshot_max_bytes: 65536\nclient_queue_bytes: 65536\n")});
  MllpClient monitor(vigild.hl7.host, vigild.hl7.port);
  // 300 chairs of readings: well over 128 KiB of snapshot.
  for (int i = 0; i < 300; ++i)
    ASSERT_EQ(send_for(monitor, "S" + std::to_string(i), "S" + std::to_string(i)), "AA") << i;
  MllpClient stuck(vigild.stream.host, vigild.stream.port);
  ASSERT_TRUE(stuck.send_raw(hello_frame()));  // and never reads
  EXPECT_TRUE(stuck.wait_closed(30s)) << "a client that does not read kept its whole snapshot";
  EXPECT_EQ(vigild.stop(), 0);
  EXPECT_TRUE(contains(vigild.process().stderr_text(), "dropped_slow=1")) << vigild.process().stderr_text();
}

TEST(Bounds, HalfSentMllpFrameIsClosedAfterTheDeadline) {
  TempDir dir;
  Vigild vigild(dir.file("v.db"), {"--config", write_config(dir, "hl7_frame_timeout_s: 1\n")});
  MllpClient monitor(vigild.hl7.host, vigild.hl7.port);
  // A complete message first: the deadline is for unfinished frames, not idle links.
  ASSERT_EQ(send_for(monitor, "CHAIR1", "H1"), "AA");
  ASSERT_TRUE(monitor.send_raw("\x0bMSH|^~\\&|MON|ICU|||20260101000000||ORU^R01|H2|P|2.6\r"));
  EXPECT_TRUE(monitor.wait_closed(30s)) << "the half-sent frame was held forever";
  EXPECT_EQ(vigild.stop(), 0);
  const std::string err = vigild.process().stderr_text();
  EXPECT_TRUE(contains(err, "did not finish it within 1 s")) << err;
  EXPECT_TRUE(contains(err, "frame_timeouts=1")) << err;
}

}  // namespace
}  // namespace vigil::test
