// The NIBP cadence screens grey values by comes from the chair's rule profile, through the
// stream: a real vigild with a profile whose infusion cycle is 10 min sends it in the
// chair's snapshot state and with its session events, and the default profile's once the
// session ended. The same for the profile's HR switch (alarm.continuous_stale), after which
// screens show and draw the pulse rate as the engine judges it.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <condition_variable>
#include <fstream>
#include <mutex>
#include <thread>
#include <vector>

#include "client/stream_client.hpp"
#include "support/session_driver.hpp"
#include "support/vigild_fixture.hpp"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;

// Every server message a client sees, for the test thread to wait on.
class Recorder {
 public:
  void add(const proto::ServerMessage& m) {
    std::lock_guard lock(mutex_);
    messages_.push_back(m);
    changed_.notify_all();
  }
  // The first message `match` accepts, waiting up to `timeout` for it.
  template <class Match>
  std::optional<proto::ServerMessage> wait_for(Match match, std::chrono::seconds timeout) {
    std::unique_lock lock(mutex_);
    std::optional<proto::ServerMessage> found;
    changed_.wait_for(lock, timeout, [&] {
      for (const auto& m : messages_)
        if (match(m)) {
          found = m;
          return true;
        }
      return false;
    });
    return found;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<proto::ServerMessage> messages_;
};

TEST(NibpSchedule, TheChairsProfileCadenceTravelsWithItsStateAndSessionEvents) {
  TempDir dir;
  const std::string config = dir.file("vigild.conf");
  std::ofstream(config)
      << "rule_profile { name: \"slow\" t3 { infusion_cycle_s: 600 } alarm { continuous_stale_s: 20 } }\n";
  Vigild vigild(dir.file("v.db"), {"--config", config});
  ChairDriver chair(vigild, "CHAIR1");
  ASSERT_EQ(chair.vitals(72, 98), "");
  auto begin = chair.nurse(
      {"session", "begin", "--patient", "PT-0050", "--planned-minutes", "40", "--profile", "slow"});
  ASSERT_EQ(begin.exit_code, 0) << begin.out << begin.err;

  boost::asio::io_context io;
  client::StreamClient::Options options;
  options.host = vigild.stream.host;
  options.port = vigild.stream.port;
  options.client_name = "nibp schedule test";
  Recorder seen;
  client::StreamClient::Handlers handlers;
  handlers.on_message = [&](const proto::ServerMessage& m) { seen.add(m); };
  client::StreamClient client(io, options, handlers);
  client.start();
  std::thread net([&] { io.run(); });

  const auto state = seen.wait_for(
      [](const proto::ServerMessage& m) { return m.has_bed_state() && m.bed_state().bed() == "CHAIR1"; },
      20s);
  const auto ended = [&] {
    auto end = chair.nurse({"session", "end"});
    EXPECT_EQ(end.exit_code, 0) << end.out << end.err;
    return seen.wait_for(
        [](const proto::ServerMessage& m) { return m.has_session() && m.session().event() == proto::ended; },
        20s);
  }();
  boost::asio::post(io, [&] { client.stop(); });
  net.join();
  EXPECT_EQ(vigild.stop(), 0);

  ASSERT_TRUE(state) << "no snapshot state for CHAIR1";
  ASSERT_TRUE(state->bed_state().has_nibp());
  EXPECT_EQ(state->bed_state().nibp().infusion_cycle_s(), 600);        // the session's profile
  EXPECT_EQ(state->bed_state().nibp().recovery_early_cycle_s(), 600);  // its defaults elsewhere
  EXPECT_EQ(state->bed_state().nibp().recovery_early_span_s(), 1800);
  EXPECT_EQ(state->bed_state().nibp().recovery_late_cycle_s(), 900);
  EXPECT_EQ(state->bed_state().nibp().hr_from_pulse_after_s(), 20);
  ASSERT_TRUE(ended) << "no ended session event";
  EXPECT_EQ(ended->session().nibp().infusion_cycle_s(), 300);  // the default profile's again
  EXPECT_EQ(ended->session().nibp().hr_from_pulse_after_s(), 10);
}

}  // namespace
}  // namespace vigil::test
