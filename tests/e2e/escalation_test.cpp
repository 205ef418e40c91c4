// Escalation end to end: a real vigild with a 1 s escalation time, a `vigilctl watch` that
// signed in as on call for tier 1, an HL7 reading that raises P1 HIGH. The watcher receives
// the step naming it, tier 2 (nobody on call) follows, the escalation log holds both steps,
// `vigilctl board` shows the step on the alert, and an acknowledged alarm never escalates.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "mail/fake_smtp_server.hpp"
#include "store/log_queries.hpp"
#include "support/child_process.hpp"
#include "support/session_driver.hpp"
#include "support/vigild_fixture.hpp"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;
using test::FakeSmtpServer;

// HIGH alarms escalate after 1 s, MEDIUM ones never (so only the HIGH ones below do).
std::string escalation_config(const TempDir& dir) {
  const std::string path = dir.file("vigild.conf");
  std::ofstream(path) << "escalation { high_after_s: 1 medium_after_s: 0 tier2_after_s: 1 }\n";
  return path;
}

bool escalation_line_for(const std::string& line, const std::string& tier, const std::string& needle) {
  return line.find("\"type\":\"escalation\"") != std::string::npos &&
         line.find("\"tier\":" + tier) != std::string::npos && line.find(needle) != std::string::npos;
}

// The hypertensive responder of alerts_test.cpp: baseline 130/85, infusion started, a climb
// in steps the plausibility check accepts (a jump would only ask for a repeat): P3 MEDIUM at
// minute 30, P2 MEDIUM at 35 and HIGH at 40, P1 HIGH at 50.
void raise_p1(ChairDriver& chair) {
  ASSERT_EQ(chair.begin_and_start(130, 85), "");
  const double climb[][3] = {{10, 140, 88}, {15, 150, 90},  {20, 160, 92},  {25, 172, 95}, {30, 176, 96},
                             {35, 182, 98}, {40, 190, 100}, {45, 196, 102}, {50, 204, 106}};
  for (const auto& r : climb)
    ASSERT_EQ(chair.nibp(static_cast<int>(r[0]), r[1], r[2]), "") << "minute " << r[0];
}

TEST(EscalationE2e, OnCallWatcherReceivesItsStepTier2FollowsAndTheLogHasBoth) {
  TempDir dir;
  const std::string db = dir.file("vigil.db");
  Vigild vigild(db, {"--config", escalation_config(dir)});
  ChildProcess on_call({bin("vigilctl"), "watch", "--connect", vigild.stream.str(), "--user", "lee",
                        "--on-call", "1", "--label", "nurse.lee's phone"});
  ASSERT_TRUE(on_call.wait_for_line(is_hello_line, 20s)) << on_call.stderr_text();
  ChairDriver chair(vigild, "CHAIR3");
  ASSERT_NO_FATAL_FAILURE(raise_p1(chair));

  auto tier1 = on_call.wait_for_line(
      [](const std::string& l) { return escalation_line_for(l, "1", "\"target\":\"nurse.lee's phone\""); },
      30s);
  ASSERT_TRUE(tier1) << on_call.stderr_text();
  EXPECT_NE(tier1->find("\"priority\":\"HIGH\""), std::string::npos) << *tier1;
  EXPECT_NE(tier1->find("\"user\":\"lee\""), std::string::npos) << *tier1;
  EXPECT_NE(tier1->find("escalated to nurse.lee's phone: HIGH"), std::string::npos) << *tier1;
  auto tier2 = on_call.wait_for_line(
      [](const std::string& l) { return escalation_line_for(l, "2", "\"no_one_on_call\":true"); }, 30s);
  ASSERT_TRUE(tier2) << on_call.stderr_text();
  EXPECT_NE(on_call.stderr_text().find("ESCALATION (tier 1)"), std::string::npos) << on_call.stderr_text();

  // Every screen shows the step on the alert (the ward model's AlertView::escalation).
  auto board = run_command({bin("vigilctl"), "board", "--once", "--connect", vigild.stream.str()}, 30s);
  ASSERT_EQ(board.exit_code, 0) << board.err;
  EXPECT_NE(board.out.find("escalated to nurse.lee's phone "), std::string::npos) << board.out;

  EXPECT_EQ(vigild.stop(), 0);
  std::vector<proto::EscalationEvent> steps;
  store::for_each_escalation(db, [&](const proto::EscalationEvent& e) { steps.push_back(e); });
  ASSERT_GE(steps.size(), 2u);
  EXPECT_EQ(steps[0].tier(), 1u);
  EXPECT_EQ(steps[0].target(), "nurse.lee's phone");
  EXPECT_EQ(steps[0].bed(), "CHAIR3");
  EXPECT_EQ(steps[0].priority(), proto::HIGH);
  EXPECT_FALSE(steps[0].no_one_on_call());
  const auto tier2_step = std::find_if(steps.begin(), steps.end(), [&](const proto::EscalationEvent& e) {
    return e.tier() == 2 && e.alert_id() == steps[0].alert_id();
  });
  ASSERT_NE(tier2_step, steps.end()) << "the same alarm's tier 2 step";
  EXPECT_TRUE(tier2_step->no_one_on_call());
  EXPECT_EQ(tier2_step->target(), "");
}

TEST(EscalationE2e, NoOneOnCallIsLoggedAndShownForBothTiers) {
  TempDir dir;
  const std::string db = dir.file("vigil.db");
  Vigild vigild(db, {"--config", escalation_config(dir)});
  ChildProcess watch({bin("vigilctl"), "watch", "--connect", vigild.stream.str()});
  ASSERT_TRUE(watch.wait_for_line(is_hello_line, 20s)) << watch.stderr_text();
  ChildProcess text({bin("vigilctl"), "watch", "--connect", vigild.stream.str(), "--format", "text"});
  ASSERT_TRUE(
      text.wait_for_line([](const std::string& l) { return l.rfind("connected to vigild ", 0) == 0; }, 20s))
      << text.stderr_text();
  ChairDriver chair(vigild, "CHAIR1");
  ASSERT_NO_FATAL_FAILURE(raise_p1(chair));
  auto tier1 = watch.wait_for_line(
      [](const std::string& l) { return escalation_line_for(l, "1", "no one on call for tier 1"); }, 30s);
  ASSERT_TRUE(tier1) << watch.stderr_text();
  ASSERT_TRUE(watch.wait_for_line(
      [](const std::string& l) { return escalation_line_for(l, "2", "no one on call for tier 2"); }, 10s));
  // The same step for a person at a terminal.
  EXPECT_TRUE(text.wait_for_line(
      [](const std::string& l) {
        return l.find("  escalation tier 1 CHAIR1-") != std::string::npos &&
               l.find(": no one on call for tier 1: HIGH ") != std::string::npos;
      },
      10s))
      << text.stderr_text();
  EXPECT_EQ(vigild.stop(), 0);
}

TEST(EscalationE2e, AcknowledgedAlarmIsNotEscalated) {
  TempDir dir;
  const std::string db = dir.file("vigil.db");
  const std::string config = dir.file("slow.conf");
  // Long enough that the acknowledgment, sent at once, always comes first; real time, since a
  // faster clock would let T1 (no data for 15 s) raise a MEDIUM alarm of its own meanwhile.
  std::ofstream(config) << "escalation { high_after_s: 10 medium_after_s: 10 tier2_after_s: 1 }\n";
  Vigild vigild(db, {"--config", config});
  ChildProcess watch({bin("vigilctl"), "watch", "--connect", vigild.stream.str(), "--on-call", "1"});
  ASSERT_TRUE(watch.wait_for_line(is_hello_line, 20s)) << watch.stderr_text();
  ChairDriver chair(vigild, "CHAIR2");
  ASSERT_NO_FATAL_FAILURE(raise_p1(chair));
  std::vector<std::string> alarm_ids;
  // Every live alarm of the chair (P1, and whatever else the climb raised) acknowledged.
  for (int i = 0; i < 200; ++i) {
    auto line = watch.read_line(200ms);
    if (!line) break;
    const auto at = line->find("\"id\":\"CHAIR2-");
    const bool alarm = line->find("\"state\":\"ACTIVE\"") != std::string::npos &&
                       (line->find("\"priority\":\"HIGH\"") != std::string::npos ||
                        line->find("\"priority\":\"MEDIUM\"") != std::string::npos);
    if (!alarm || at == std::string::npos) continue;
    const auto end = line->find('"', at + 6);
    const std::string id = line->substr(at + 6, end - at - 6);
    if (std::find(alarm_ids.begin(), alarm_ids.end(), id) == alarm_ids.end()) alarm_ids.push_back(id);
  }
  ASSERT_FALSE(alarm_ids.empty());
  for (const std::string& id : alarm_ids) {
    auto ack = chair.nurse({"ack", "--alert", id}, "nurse2");
    ASSERT_EQ(ack.exit_code, 0) << id << ack.out << ack.err;
  }
  // Past the 10 s escalation time with room to spare: a step here is one that must not come.
  EXPECT_FALSE(watch.wait_for_line(
      [](const std::string& l) { return l.find("\"type\":\"escalation\"") != std::string::npos; }, 12s));
  EXPECT_EQ(vigild.stop(), 0);
  int rows = 0;
  store::for_each_escalation(db, [&](const proto::EscalationEvent&) { ++rows; });
  EXPECT_EQ(rows, 0);
}

TEST(EscalationE2e, MailGoesThroughTheRelayPerStep) {
  FakeSmtpServer relay({});
  TempDir dir;
  const std::string db = dir.file("vigil.db");
  const std::string config = dir.file("mail.conf");
  std::ofstream(config)
      << "escalation { high_after_s: 1 tier2_after_s: 1 smtp { host: \"127.0.0.1\" port: " << relay.port()
      << " from: \"vigil@clinic.lan\" to: \"oncall@clinic.lan\" tier2_to: \"lead@clinic.lan\" } }\n";
  Vigild vigild(db, {"--config", config});
  ChildProcess watch({bin("vigilctl"), "watch", "--connect", vigild.stream.str()});
  ASSERT_TRUE(watch.wait_for_line(is_hello_line, 20s)) << watch.stderr_text();
  ChairDriver chair(vigild, "CHAIR4");
  ASSERT_NO_FATAL_FAILURE(raise_p1(chair));
  // The mail recipients are the tiers' targets: tier 1 reached "oncall@clinic.lan".
  auto tier1 = watch.wait_for_line(
      [](const std::string& l) { return escalation_line_for(l, "1", "\"target\":\"oncall@clinic.lan\""); },
      30s);
  ASSERT_TRUE(tier1) << watch.stderr_text();
  // Two HIGH alarms (P2, P1), each to tier 1 and then tier 2: four mails, one at a time.
  ASSERT_TRUE(relay.wait_for_mails(4, 30s)) << "tier 1 and tier 2 mails";
  const auto sessions = relay.sessions();
  EXPECT_NE(sessions[0].data.find("Subject: Vigil: CHAIR4 HIGH alarm unacknowledged (tier 1)"),
            std::string::npos)
      << sessions[0].data;
  EXPECT_NE(sessions[0].data.find("To: oncall@clinic.lan"), std::string::npos) << sessions[0].data;
  int tier2 = 0;
  for (const auto& s : sessions) {
    EXPECT_EQ(s.data.find("PT-0042"), std::string::npos) << "no patient label in mail";
    if (s.data.find("(tier 2)") == std::string::npos) continue;
    ++tier2;
    EXPECT_NE(s.data.find("To: lead@clinic.lan"), std::string::npos) << s.data;
  }
  EXPECT_EQ(tier2, 2);
  EXPECT_EQ(vigild.stop(), 0);
}

TEST(EscalationE2e, MailRelayDownRaisesT8) {
  std::uint16_t port = 0;
  {
    FakeSmtpServer gone({});
    port = gone.port();
  }
  TempDir dir;
  const std::string db = dir.file("vigil.db");
  const std::string config = dir.file("down.conf");
  std::ofstream(config) << "escalation { high_after_s: 1 tier2_after_s: 1 smtp { host: \"127.0.0.1\" port: "
                        << port << " from: \"vigil@clinic.lan\" to: \"oncall@clinic.lan\" timeout_s: 2 } }\n";
  Vigild vigild(db, {"--config", config});
  ChildProcess watch({bin("vigilctl"), "watch", "--connect", vigild.stream.str()});
  ASSERT_TRUE(watch.wait_for_line(is_hello_line, 20s)) << watch.stderr_text();
  ChairDriver chair(vigild, "CHAIR5");
  ASSERT_NO_FATAL_FAILURE(raise_p1(chair));
  auto t8 = watch.wait_for_line(
      [](const std::string& l) {
        return l.find("\"type\":\"alert\"") != std::string::npos &&
               l.find("Escalation mail failed") != std::string::npos;
      },
      30s);
  ASSERT_TRUE(t8) << watch.stderr_text();
  EXPECT_NE(t8->find("\"rule\":\"T8\""), std::string::npos) << *t8;
  EXPECT_EQ(vigild.stop(), 0);
}

}  // namespace
}  // namespace vigil::test
