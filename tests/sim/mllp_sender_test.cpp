// MllpSender against an in-process fake receiver on loopback: ACK handling, retries,
// reconnects and wire faults, asserted on counters and on what the receiver got.

#include <gtest/gtest.h>

#include <set>

#include "fake_mllp_server.hpp"
#include "sim/mllp_sender.hpp"

namespace vigil::sim {
namespace {

using test::Answer;
using test::FakeMllpServer;
using test::run_until;
using namespace std::chrono_literals;

std::string message(const std::string& id) {
  return "MSH|^~\\&|SIM||||20261121101500||ORU^R01^ORU_R01|" + id + "|P|2.6\rPV1||I|^^CHAIR1\r";
}

class SenderTest : public ::testing::Test {
 protected:
  std::shared_ptr<MllpSender> make(std::uint16_t port, FaultOptions faults = {}) {
    SenderOptions o;
    o.endpoint = {boost::asio::ip::make_address("127.0.0.1"), port};
    o.ack_timeout = 150ms;
    o.connect_timeout = 1000ms;
    o.backoff_initial = 10ms;
    o.backoff_max = 100ms;
    o.faults = faults;
    o.faults.stall = 50ms;
    auto s = std::make_shared<MllpSender>(io, o);
    s->set_log_hook([this](const std::string& l) { log.push_back(l); });
    return s;
  }
  void send(MllpSender& s, int n, int first = 1) {
    for (int i = first; i < first + n; ++i)
      s.enqueue(message("M" + std::to_string(i)), "M" + std::to_string(i));
  }
  std::vector<std::string> ids() const {
    std::vector<std::string> out;
    for (const auto& m : server.messages()) out.push_back(FakeMllpServer::control_id(m));
    return out;
  }

  boost::asio::io_context io;
  FakeMllpServer server{io};
  std::vector<std::string> log;
};

TEST_F(SenderTest, SendsInOrderOnOneConnectionWaitingForEachAck) {
  auto s = make(server.port());
  send(*s, 5);
  s->start();
  ASSERT_TRUE(run_until(io, [&] { return s->counters().acked_aa == 5; }));
  EXPECT_EQ(ids(), (std::vector<std::string>{"M1", "M2", "M3", "M4", "M5"}));
  EXPECT_EQ(server.connections(), 1u);
  EXPECT_EQ(s->counters().sent, 5u);
  EXPECT_EQ(s->counters().retries, 0u);
  EXPECT_TRUE(s->idle());
  EXPECT_TRUE(s->connected());
}

TEST_F(SenderTest, AeIsResentThreeTimesInAllThenDropped) {
  server.set_policy([](const std::string& m, std::size_t) {
    return FakeMllpServer::control_id(m) == "M1" ? Answer::AE : Answer::AA;
  });
  auto s = make(server.port());
  send(*s, 2);
  s->start();
  ASSERT_TRUE(run_until(io, [&] { return s->counters().acked_aa == 1; }));
  EXPECT_EQ(ids(), (std::vector<std::string>{"M1", "M1", "M1", "M2"}));
  EXPECT_EQ(s->counters().acked_ae, 3u);
  EXPECT_EQ(s->counters().retries, 2u);
  EXPECT_EQ(s->counters().dropped, 1u);
  EXPECT_EQ(server.connections(), 1u);
  ASSERT_FALSE(log.empty());
  EXPECT_NE(log.back().find("dropped"), std::string::npos);
}

TEST_F(SenderTest, AeThenAaNeedsOneRetry) {
  server.set_policy([](const std::string&, std::size_t i) { return i == 0 ? Answer::AE : Answer::AA; });
  auto s = make(server.port());
  send(*s, 1);
  s->start();
  ASSERT_TRUE(run_until(io, [&] { return s->counters().acked_aa == 1; }));
  EXPECT_EQ(ids(), (std::vector<std::string>{"M1", "M1"}));
  EXPECT_EQ(s->counters().retries, 1u);
  EXPECT_EQ(s->counters().dropped, 0u);
}

TEST_F(SenderTest, ArIsNotResentAndTheSenderReconnects) {
  server.set_policy([](const std::string&, std::size_t i) { return i == 0 ? Answer::AR : Answer::AA; });
  auto s = make(server.port());
  send(*s, 2);
  s->start();
  ASSERT_TRUE(run_until(io, [&] { return s->counters().acked_aa == 1; }));
  EXPECT_EQ(ids(), (std::vector<std::string>{"M1", "M2"}));
  EXPECT_EQ(s->counters().acked_ar, 1u);
  EXPECT_EQ(s->counters().rejected, 1u);
  EXPECT_EQ(s->counters().reconnects, 1u);
  EXPECT_EQ(server.connections(), 2u);
  EXPECT_GE(server.closed_by_peer(), 1u);
}

TEST_F(SenderTest, SilenceMeansResendThenReconnect) {
  // The receiver ignores the first three copies; the sender gives up on the connection,
  // reconnects and sends the same message again.
  server.set_policy([](const std::string&, std::size_t i) { return i < 3 ? Answer::Silent : Answer::AA; });
  auto s = make(server.port());
  send(*s, 1);
  s->start();
  ASSERT_TRUE(run_until(io, [&] { return s->counters().acked_aa == 1; }));
  EXPECT_EQ(ids(), (std::vector<std::string>{"M1", "M1", "M1", "M1"}));
  EXPECT_EQ(s->counters().timeouts, 3u);
  EXPECT_EQ(s->counters().retries, 2u);
  EXPECT_EQ(s->counters().reconnects, 1u);
  EXPECT_EQ(server.connections(), 2u);
}

TEST_F(SenderTest, ReceiverClosingMeansReconnectAndResend) {
  server.set_policy([](const std::string&, std::size_t i) { return i == 0 ? Answer::Close : Answer::AA; });
  auto s = make(server.port());
  send(*s, 2);
  s->start();
  ASSERT_TRUE(run_until(io, [&] { return s->counters().acked_aa == 2; }));
  EXPECT_EQ(ids(), (std::vector<std::string>{"M1", "M1", "M2"}));
  EXPECT_EQ(s->counters().reconnects, 1u);
  EXPECT_EQ(server.connections(), 2u);
}

TEST_F(SenderTest, RefusedConnectionIsRetriedUntilTheReceiverListens) {
  const auto port = server.port();
  server.close_all();
  auto s = make(port);
  send(*s, 1);
  s->start();
  ASSERT_TRUE(run_until(io, [&] { return s->counters().connect_failures >= 2; }));
  EXPECT_EQ(s->counters().sent, 0u);
  server.listen(port);
  ASSERT_TRUE(run_until(io, [&] { return s->counters().acked_aa == 1; }));
  EXPECT_EQ(ids(), (std::vector<std::string>{"M1"}));
  EXPECT_EQ(s->counters().connects, 1u);
}

TEST_F(SenderTest, SuspendClosesAndResumeReconnects) {
  auto s = make(server.port());
  send(*s, 1);
  s->start();
  ASSERT_TRUE(run_until(io, [&] { return s->counters().acked_aa == 1; }));
  s->suspend();
  ASSERT_TRUE(run_until(io, [&] { return server.closed_by_peer() == 1; }));
  send(*s, 1, 2);  // queued while unplugged, sent after
  EXPECT_FALSE(s->connected());
  s->resume();
  ASSERT_TRUE(run_until(io, [&] { return s->counters().acked_aa == 2; }));
  EXPECT_EQ(server.connections(), 2u);
  EXPECT_EQ(s->counters().reconnects, 1u);
}

TEST_F(SenderTest, QueueIsBounded) {
  server.close_all();
  SenderOptions o;
  o.endpoint = server.endpoint();
  o.max_queue = 10;
  o.backoff_initial = 1000ms;
  auto s = std::make_shared<MllpSender>(io, o);
  send(*s, 25);
  EXPECT_EQ(s->queued(), 10u);
  EXPECT_EQ(s->counters().dropped, 15u);
}

class FaultTest : public SenderTest, public ::testing::WithParamInterface<WireFault> {};

TEST_P(FaultTest, EveryMessageStillArrivesAndIsAcked) {
  FaultOptions f;
  f.kinds = {GetParam()};
  f.rate = 1.0;
  auto s = make(server.port(), f);
  send(*s, 4);
  s->start();
  ASSERT_TRUE(run_until(io, [&] { return s->counters().acked_aa == 4; }));
  EXPECT_EQ(s->counters().faults_injected, s->counters().sent);
  const auto got = ids();
  std::set<std::string> distinct(got.begin(), got.end());
  EXPECT_EQ(distinct, (std::set<std::string>{"M1", "M2", "M3", "M4"}));
  for (const auto& m : server.messages()) EXPECT_EQ(m, message(FakeMllpServer::control_id(m)));
  switch (GetParam()) {
    case WireFault::Duplicate:
      EXPECT_EQ(ids(), (std::vector<std::string>{"M1", "M1", "M2", "M2", "M3", "M3", "M4", "M4"}));
      // The second ACK of each copy matches nothing in flight.
      EXPECT_TRUE(run_until(io, [&] { return s->counters().stray_acks == 4; }));
      break;
    default: EXPECT_EQ(ids().size(), 4u); EXPECT_EQ(server.connections(), 1u);
  }
}

INSTANTIATE_TEST_SUITE_P(Faults, FaultTest,
                         ::testing::Values(WireFault::Garbage, WireFault::Truncate, WireFault::Stall,
                                           WireFault::Duplicate));

TEST_F(SenderTest, DisconnectFaultReconnectsAndResends) {
  FaultOptions f;
  f.kinds = {WireFault::Disconnect};
  f.rate = 0.5;
  auto s = make(server.port(), f);
  send(*s, 6);
  s->start();
  ASSERT_TRUE(run_until(io, [&] { return s->counters().acked_aa == 6; }));
  EXPECT_GE(s->counters().faults_injected, 1u);
  EXPECT_EQ(s->counters().reconnects, s->counters().faults_injected);
  EXPECT_EQ(server.connections(), 1 + s->counters().faults_injected);
  // A cut-off frame never reaches the receiver whole, so each message arrives once.
  EXPECT_EQ(ids(), (std::vector<std::string>{"M1", "M2", "M3", "M4", "M5", "M6"}));
}

}  // namespace
}  // namespace vigil::sim
