// A whole chair session and a small load run, at high time scale, against the fake
// receiver: what arrives matches the plan.

#include <gtest/gtest.h>

#include <set>

#include "fake_mllp_server.hpp"
#include "sim/chair_player.hpp"
#include "sim/load_runner.hpp"
#include "sim/scenario_file.hpp"

namespace vigil::sim {
namespace {

using test::FakeMllpServer;
using test::run_until;
using namespace std::chrono_literals;

SenderOptions fast_sender(const FakeMllpServer& server) {
  SenderOptions o;
  o.endpoint = server.endpoint();
  o.ack_timeout = 2000ms;
  o.backoff_initial = 10ms;
  o.backoff_max = 50ms;
  return o;
}

int count_containing(const std::vector<std::string>& msgs, const std::string& needle) {
  int n = 0;
  for (const auto& m : msgs) n += m.find(needle) != std::string::npos;
  return n;
}

TEST(ChairPlayer, PlaysTheWholeSessionAndEnds) {
  boost::asio::io_context io;
  FakeMllpServer server(io);
  const auto parsed = parse_scenario_text(
      "name short\ninfusion 10\nnibp-cycle 5\nrecovery 10\nbaseline-readings -4 -2\n"
      "event 5.5 unplug 2\nevent 9.5 cuff-failure 1\n",
      3);
  ASSERT_TRUE(parsed.scenario.has_value()) << parsed.error;
  const SessionPlan plan = plan_session(*parsed.scenario, 3);
  auto sender = std::make_shared<MllpSender>(io, fast_sender(server));
  ChairOptions co;
  co.chair = "CHAIR9";
  co.time_scale = 2000;  // 17 simulated minutes in about half a second
  co.numerics_interval_s = 30;
  co.wall_start_ms = 1763720100000;
  co.control_prefix = "T.";
  auto player = std::make_shared<ChairPlayer>(io, plan, co, sender);
  std::vector<NurseActionKind> actions;
  std::vector<std::string> lines;
  player->set_action_hook([&](const std::string& chair, const NurseAction& a) {
    EXPECT_EQ(chair, "CHAIR9");
    actions.push_back(a.kind);
  });
  player->set_line_hook([&](const std::string& l) { lines.push_back(l); });
  bool done = false;
  player->start([&] { done = true; });
  ASSERT_TRUE(run_until(
      io, [&] { return done; }, 30s));

  EXPECT_EQ(actions, (std::vector<NurseActionKind>{NurseActionKind::Begin, NurseActionKind::Start,
                                                   NurseActionKind::Stop, NurseActionKind::End}));
  // NIBP at -4, -2, 5, 10 (fails), 20; the one completing at ~5.6 falls in the unplug window.
  EXPECT_EQ(plan.nibp.size(), 5u);
  const auto& msgs = server.messages();
  EXPECT_EQ(count_containing(msgs, "MDC_PRESS_BLD_NONINV_SYS^MDC|1.3.1.1||"), 1);  // the failed one
  EXPECT_EQ(count_containing(msgs, "NIBP_ERR"), 1);
  EXPECT_EQ(count_containing(msgs, "MDC_PRESS_BLD_NONINV_SYS"), 4);
  EXPECT_EQ(count_containing(msgs, "^^CHAIR9"), static_cast<int>(msgs.size()));
  EXPECT_EQ(static_cast<std::uint64_t>(msgs.size()), player->messages_built());
  EXPECT_EQ(sender->counters().acked_aa, player->messages_built());
  EXPECT_EQ(server.connections(), 2u);                 // unplugged once
  EXPECT_EQ(count_containing(lines, "unplugged"), 2);  // the unplug and the lost reading
  EXPECT_EQ(count_containing(lines, "NIBP failed"), 1);
  // No numerics while unplugged: the 2-minute gap holds no message timestamps.
  std::set<std::string> ids;
  for (const auto& m : msgs) ids.insert(FakeMllpServer::control_id(m));
  EXPECT_EQ(ids.size(), msgs.size());
  EXPECT_TRUE(player->done());
}

TEST(LoadRunner, ManyBedsOnOneThreadAllAcked) {
  boost::asio::io_context io;
  FakeMllpServer server(io);
  LoadOptions lo;
  lo.beds = 50;
  lo.rate_hz = 20;
  lo.duration_s = 0.5;
  lo.connections_per_bed = 2;
  lo.sender = fast_sender(server);
  lo.report_every = 100ms;
  auto runner = std::make_shared<LoadRunner>(io, lo);
  std::vector<std::string> lines;
  runner->set_line_hook([&](const std::string& l) { lines.push_back(l); });
  bool done = false;
  runner->start([&] { done = true; });
  ASSERT_TRUE(run_until(
      io, [&] { return done; }, 30s));
  const auto s = runner->summary();
  EXPECT_EQ(s.links, 100);
  EXPECT_EQ(s.connected, 100);  // as it was before the links closed
  EXPECT_GT(s.built, 50u);
  EXPECT_EQ(s.totals.acked_aa, s.built);
  EXPECT_EQ(s.totals.sent, s.built);
  EXPECT_EQ(server.messages().size(), s.built);
  EXPECT_EQ(server.connections(), 100u);
  EXPECT_EQ(s.latency.count(), s.built);
  EXPECT_GT(s.latency.percentile(99).count(), 0);
  EXPECT_FALSE(lines.empty());
  EXPECT_NE(format_summary(s).find("AA=" + std::to_string(s.built)), std::string::npos);
}

TEST(LatencyHistogram, PercentilesAreBucketEdgesAboveTheSamples) {
  LatencyHistogram h;
  EXPECT_EQ(h.percentile(50).count(), 0);
  for (int i = 1; i <= 100; ++i) h.add(std::chrono::microseconds(i * 100));
  const auto p50 = h.percentile(50).count(), p99 = h.percentile(99).count();
  EXPECT_GE(p50, 5000);
  EXPECT_LE(p50, 5000 * 110 / 100);
  EXPECT_GE(p99, 9900);
  EXPECT_LE(p99, 9900 * 110 / 100);
  h.add(std::chrono::hours(10));  // clamps into the last bucket
  EXPECT_EQ(h.count(), 101u);
}

}  // namespace
}  // namespace vigil::sim
