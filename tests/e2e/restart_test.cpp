// kill -9 after an alert was shown to a client: the write-ahead log must already hold it, and
// the restarted daemon must show the session and the alert again.
#include <gtest/gtest.h>

#include <signal.h>

#include <memory>
#include <optional>

#include "support/alert_lines.hpp"
#include "support/child_process.hpp"
#include "support/db_check.hpp"
#include "support/session_driver.hpp"
#include "support/vigild_fixture.hpp"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;

TEST(RestartE2e, AlertShownBeforeKillNineIsLoggedAndShownAgainWithItsSession) {
  TempDir dir;
  const std::string db = dir.file("vigil.db");
  auto vigild = std::make_unique<Vigild>(db);
  ChildProcess watch({bin("vigilctl"), "watch", "--connect", vigild->stream.str(), "--bed", "CHAIR3"});
  ASSERT_TRUE(watch.wait_for_line(is_hello_line, 20s)) << watch.stderr_text();

  std::string session_id, phase;
  {
    ChairDriver chair(*vigild, "CHAIR3");
    auto begin = chair.nurse({"session", "begin", "--patient", "PT-0044", "--planned-minutes", "40"});
    ASSERT_EQ(begin.exit_code, 0) << begin.err;
    ASSERT_EQ(chair.nibp(0, 130, 85), "");
    ASSERT_EQ(chair.nibp(5, 130, 85), "");
    auto start = chair.nurse({"session", "start"});
    ASSERT_EQ(start.exit_code, 0) << start.err;
    ASSERT_EQ(chair.nibp(10, 170, 95), "");
    ASSERT_EQ(chair.nibp(15, 205, 100), "");  // P1 HIGH at once (no jump over 50: verified)
  }
  // The alert reaches a client: from then on it must survive anything.
  std::optional<proto::AlertLine> shown;
  while (!shown) {
    auto line = watch.wait_for_line(
        [](const std::string& l) {
          return l.find("\"type\":\"alert\"") != std::string::npos ||
                 l.find("\"type\":\"session\"") != std::string::npos;
        },
        20s);
    ASSERT_TRUE(line) << "no P1 alert line on the stream; vigild stderr:\n"
                      << vigild->process().stderr_text();
    if (auto s = parse_session_line(*line)) {
      session_id = s->session_id();
      phase = s->phase();
    } else if (auto a = parse_alert_line(*line); a && a->rule() == "P1") {
      shown = a;
    }
  }
  EXPECT_EQ(shown->priority(), "HIGH");
  EXPECT_EQ(shown->state(), "ACTIVE");
  ASSERT_FALSE(session_id.empty());
  EXPECT_EQ(phase, "infusion");

  ASSERT_EQ(vigild->kill_hard(), 128 + SIGKILL);
  // The watcher notices (vigilctl prints a "link" line and, without --reconnect, exits).
  const bool noticed =
      watch
          .wait_for_line(
              [](const std::string& l) { return l.find("\"type\":\"link\"") != std::string::npos; }, 20s)
          .has_value();
  EXPECT_TRUE(noticed || !watch.running());
  vigild.reset();

  vigild = std::make_unique<Vigild>(db);
  std::string error;
  const auto log = export_alerts(db, "CHAIR3", &error);
  ASSERT_EQ(error, "");
  bool logged = false;
  for (const auto& a : log) logged = logged || (a.id() == shown->id() && a.transition() == "raised");
  EXPECT_TRUE(logged) << shown->id() << " not in the log\n" << describe(log);

  // A new client's snapshot: the session in its phase, and the alert.
  ChildProcess again({bin("vigilctl"), "watch", "--connect", vigild->stream.str(), "--bed", "CHAIR3"});
  ASSERT_TRUE(again.wait_for_line(is_hello_line, 20s)) << again.stderr_text();
  bool session_back = false, alert_back = false;
  while (!(session_back && alert_back)) {
    auto line = again.read_line(20s);
    ASSERT_TRUE(line) << "snapshot incomplete: session " << session_back << ", alert " << alert_back
                      << "\nvigild stderr:\n"
                      << vigild->process().stderr_text();
    if (auto s = parse_session_line(*line); s && s->event() == "state" && s->bed() == "CHAIR3") {
      EXPECT_EQ(s->session_id(), session_id) << *line;
      EXPECT_EQ(s->phase(), phase) << *line;
      EXPECT_TRUE(s->snapshot().value()) << *line;
      session_back = true;
    }
    if (auto a = parse_alert_line(*line); a && a->id() == shown->id()) {
      EXPECT_TRUE(a->snapshot().value()) << *line;
      EXPECT_EQ(a->priority(), "HIGH") << *line;
      alert_back = true;
    }
  }

  // The nurse can still acknowledge it after the restart.
  ChairDriver chair(*vigild, "CHAIR3");
  auto ack = chair.nurse({"ack", "--alert", shown->id()}, "nurse2");
  EXPECT_EQ(ack.exit_code, 0) << ack.out << ack.err;

  EXPECT_EQ(vigild->stop(), 0);
  EXPECT_EQ(sqlite_integrity_check(db), "ok");
}

// A chair mid-infusion whose monitor never comes back after the restart: the daemon cannot
// know which device fed it, but silence from every device must still raise T1 after its
// delay, as it would have before the restart. The restarted daemon runs 10 times faster.
TEST(RestartE2e, ChairThatGetsNoDataAfterRestartRaisesT1) {
  TempDir dir;
  const std::string db = dir.file("vigil.db");
  auto vigild = std::make_unique<Vigild>(db);
  {
    ChairDriver chair(*vigild, "CHAIR6");
    auto begin = chair.nurse({"session", "begin", "--patient", "PT-0045", "--planned-minutes", "40"});
    ASSERT_EQ(begin.exit_code, 0) << begin.err;
    ASSERT_EQ(chair.nibp(0, 124, 80), "");
    ASSERT_EQ(chair.nibp(5, 126, 82), "");
    auto start = chair.nurse({"session", "start"});
    ASSERT_EQ(start.exit_code, 0) << start.err;
  }
  ASSERT_EQ(vigild->kill_hard(), 128 + SIGKILL);
  vigild.reset();

  vigild = std::make_unique<Vigild>(db, std::vector<std::string>{"--demo", "--time-scale", "10"});
  ChildProcess watch({bin("vigilctl"), "watch", "--connect", vigild->stream.str(), "--bed", "CHAIR6"});
  auto line = watch.wait_for_line(
      [](const std::string& l) {
        auto a = parse_alert_line(l);
        return a && a->rule() == "T1" && a->transition() == "raised";
      },
      30s);
  ASSERT_TRUE(line) << "no T1 for a chair in infusion that got no data after the restart\n"
                    << describe(export_alerts(db, "CHAIR6"));
  const auto t1 = parse_alert_line(*line);
  EXPECT_EQ(t1->priority(), "MEDIUM") << *line;
  EXPECT_EQ(t1->phase(), "infusion") << *line;
  EXPECT_GT(t1->value().value(), 15) << *line;

  // Data from the monitor (under any name) ends it.
  ChairDriver chair(*vigild, "CHAIR6");
  ASSERT_EQ(chair.vitals(76, 98), "");
  const auto log = export_alerts(db, "CHAIR6");
  bool resolved = false;
  for (const auto& a : log) resolved = resolved || (a.id() == t1->id() && a.transition() == "resolved");
  EXPECT_TRUE(resolved) << describe(log);
  EXPECT_EQ(vigild->stop(), 0);
}

}  // namespace
}  // namespace vigil::test
