// An alarm flood: 1,000 chairs each get a hypertensive NIBP at once, over several monitor
// connections in parallel. Every alert transition must be logged once and reach a watching
// client exactly once, in log order.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <thread>

#include "support/alert_lines.hpp"
#include "support/child_process.hpp"
#include "support/session_driver.hpp"
#include "support/vigild_fixture.hpp"
#include "support/watch_recorder.hpp"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;

constexpr int kChairs = 1000;
constexpr int kConnections = 8;

std::string chair_name(int i) {
  std::string digits = std::to_string(i);
  return "FLOOD" + std::string(digits.size() < 4 ? 4 - digits.size() : 0, '0') + digits;
}

TEST(FloodE2e, ThousandAlertsInABurstAreAllLoggedAndDeliveredInOrder) {
  TempDir dir;
  const std::string db = dir.file("vigil.db");
  Vigild vigild(db);
  ChildProcess watch({bin("vigilctl"), "watch", "--connect", vigild.stream.str()});
  ASSERT_TRUE(watch.wait_for_line(is_hello_line, 20s)) << watch.stderr_text();
  WatchRecorder collector(watch);

  // Each connection sends its share of chairs back to back, as fast as the ACKs come.
  std::vector<std::string> errors(kConnections);
  std::vector<std::thread> monitors;
  for (int c = 0; c < kConnections; ++c) {
    monitors.emplace_back([&, c] {
      MllpClient monitor(vigild.hl7.host, vigild.hl7.port);
      for (int i = c; i < kChairs && errors[c].empty(); i += kConnections) {
        NibpValues v;
        v.sys = 205;
        v.dia = 100;
        v.time = hl7_time_at(std::time(nullptr) - 60);
        if (!monitor.send_message(make_vitals_oru(chair_name(i), "F" + std::to_string(i), v, 80, 97))) {
          errors[c] = "send failed for " + chair_name(i);
          break;
        }
        auto ack = monitor.read_reply(60s);
        if (!ack || hl7_field(*ack, "MSA", 1) != "AA") errors[c] = "no AA for " + chair_name(i);
      }
    });
  }
  for (auto& t : monitors) t.join();
  for (const auto& e : errors) ASSERT_EQ(e, "");

  // Every ACK came after its batch was committed: the log is complete now.
  std::string error;
  const auto log = export_alerts(db, "", &error);
  ASSERT_EQ(error, "");
  std::map<std::string, int> p1_per_chair;
  for (const auto& a : log) {
    if (a.rule() == "P1" && a.transition() == "raised") {
      EXPECT_EQ(a.priority(), "HIGH");
      ++p1_per_chair[a.bed()];
    }
  }
  ASSERT_EQ(p1_per_chair.size(), static_cast<std::size_t>(kChairs));
  for (const auto& [bed, n] : p1_per_chair) EXPECT_EQ(n, 1) << bed;
  ASSERT_GE(log.size(), static_cast<std::size_t>(kChairs));
  std::set<std::string> transitions;
  for (std::size_t i = 0; i < log.size(); ++i) {
    ASSERT_TRUE(
        transitions.insert(log[i].id() + "/" + log[i].transition() + "/" + std::to_string(log[i].seq()))
            .second)
        << "logged twice: " << describe(log[i]);
    if (i > 0) {
      ASSERT_GT(log[i].log_id(), log[i - 1].log_id());
      ASSERT_GT(log[i].seq(), log[i - 1].seq()) << describe(log[i - 1]) << "\n" << describe(log[i]);
    }
  }

  // The stream: alert lines in strictly increasing log order, none missing, none extra,
  // up to the last transition the log held above (later ones, e.g. T1 once the monitors
  // fell silent, may follow).
  collector.wait_alert_log_id(log.back().log_id(), 120s);
  const std::vector<proto::AlertLine> streamed = collector.alerts();
  ASSERT_FALSE(streamed.empty());
  ASSERT_GE(streamed.back().log_id(), log.back().log_id())
      << "stream ended after " << streamed.size() << " of " << log.size() << " alert transitions; "
      << collector.why() << "\nvigilctl: " << watch.stderr_text()
      << "\nvigild: " << vigild.process().stderr_text();
  for (std::size_t i = 0; i < streamed.size(); ++i) {
    ASSERT_FALSE(streamed[i].snapshot().value()) << describe(streamed[i]);
    if (i > 0) {
      ASSERT_GT(streamed[i].log_id(), streamed[i - 1].log_id()) << "out of order:\n"
                                                                << describe(streamed[i - 1]) << "\n"
                                                                << describe(streamed[i]);
    }
  }
  std::vector<proto::AlertLine> streamed_part = streamed;
  while (!streamed_part.empty() && streamed_part.back().log_id() > log.back().log_id())
    streamed_part.pop_back();
  ASSERT_EQ(streamed_part.size(), log.size());
  for (std::size_t i = 0; i < log.size(); ++i) {
    ASSERT_EQ(streamed_part[i].log_id(), log[i].log_id()) << i;
    EXPECT_EQ(streamed_part[i].id(), log[i].id()) << i;
    EXPECT_EQ(streamed_part[i].transition(), log[i].transition()) << i;
    EXPECT_EQ(streamed_part[i].seq(), log[i].seq()) << i;
  }
  EXPECT_EQ(vigild.stop(), 0);
}

}  // namespace
}  // namespace vigil::test
