// Whole infusion scenarios end to end: readings over HL7 into a real vigild, nurse actions
// through vigilctl, and what the alert log (`vigilctl alerts`) and the stream
// (`vigilctl watch`) then hold. tests/alerts/scenario_test.cpp plays the same sessions
// against the bare engine with a fake clock.
//
// Time: NIBP measurements carry their own times (OBX-14) on a session timeline that lies
// in the past, and are sent as fast as the daemon acknowledges them; the engine's delays run
// on the daemon's clock, so none of them (T1 15 s, T2 30 s, escalation 2 min) can fire
// while a scenario of a few seconds plays. Only the silent-device test waits, on a daemon
// running 10 times faster (--demo --time-scale 10).
#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <set>
#include <tuple>

#include "support/alert_lines.hpp"
#include "support/child_process.hpp"
#include "support/continuous_monitor.hpp"
#include "support/session_driver.hpp"
#include "support/vigild_fixture.hpp"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;

struct Bp {
  int minute;
  double sys, dia;
};

// The first transition of a rule in the log (support/alert_lines.hpp).
constexpr auto first = first_transition;

TEST(AlertsE2e, NormalResponderRaisesNothingAboveLow) {
  TempDir dir;
  const std::string db = dir.file("vigil.db");
  Vigild vigild(db);
  ChairDriver chair(vigild, "CHAIR1");
  ASSERT_EQ(chair.begin_and_start(121, 79), "");
  // SBP +14 / DBP +9 peaking at the end of a 40 min infusion, then back down.
  for (int m = 10; m <= 45; m += 5) {
    const int t = m - 5;  // infusion minute
    ASSERT_EQ(chair.nibp(m, 121 + 14 * t / 40, 79 + 9 * t / 40), "") << "minute " << m;
  }
  auto stop = chair.nurse({"session", "stop"});
  ASSERT_EQ(stop.exit_code, 0) << stop.err;
  for (int m = 50; m <= 80; m += 10) ASSERT_EQ(chair.nibp(m, 128, 84), "") << "minute " << m;

  std::string error;
  const auto log = export_alerts(db, "CHAIR1", &error);
  ASSERT_EQ(error, "");
  for (const auto& a : log) EXPECT_EQ(a.priority(), "LOW") << describe(log);

  // The readings were judged in the session: verified, in the right phase, with the baseline.
  const auto readings = export_readings(db, "CHAIR1", &error);
  ASSERT_EQ(error, "");
  int infusion_sys = 0, recovery_sys = 0;
  for (const auto& r : readings) {
    if (r.kind() != "NIBP_SYS") continue;
    EXPECT_TRUE(r.verified().value()) << r.value();
    infusion_sys += r.phase() == "infusion";
    recovery_sys += r.phase() == "recovery";
  }
  EXPECT_EQ(infusion_sys, 8);
  EXPECT_EQ(recovery_sys, 4);
  auto timeline = run_command({bin("vigilctl"), "timeline", "--db", db, "--bed", "CHAIR1"}, 30s);
  ASSERT_EQ(timeline.exit_code, 0) << timeline.err;
  EXPECT_NE(timeline.out.find("infusion"), std::string::npos) << timeline.out;
  EXPECT_EQ(vigild.stop(), 0) << "vigild did not exit cleanly";
}

// The readings of the hypertensive responder (baseline 130/85 at minutes 0 and 5, infusion
// from minute 5 to 45, then recovery) and what each must do:
//
//   min  SBP/DBP   expected
//   10   140/88    -
//   15   150/90    -
//   20   160/92    - (P4's "NIBP every 3-5 min": the cuff already measures that often)
//   25   172/95    P3 advisory (SBP >= B+40 = 170), "repeat NIBP now"
//   30   176/96    P3 confirmed MEDIUM
//   35   182/98    P2 MEDIUM at once: the reading before (176) is within the 5 mmHg band
//   40   190/100   P2 still present at the next reading -> HIGH
//   45   196/102   -
//   50   204/106   P1 HIGH at once (SBP >= 200)
//   -- nurse2 acknowledges P1, P2, P3; infusion stopped --
//   55   185/100   nothing clears (P1 needs < 180/110, P2 <= 170/100, P3 < B+30 = 160)
//   60   160/98    first reading below for P1 and P2
//   65   150/95    second below: P1 and P2 resolve; first below for P3
//   70   145/92    second below for P3: resolves
const Bp kClimb[] = {{10, 140, 88}, {15, 150, 90},  {20, 160, 92},  {25, 172, 95}, {30, 176, 96},
                     {35, 182, 98}, {40, 190, 100}, {45, 196, 102}, {50, 204, 106}};
const Bp kRecovery[] = {{55, 185, 100}, {60, 160, 98}, {65, 150, 95}, {70, 145, 92}};

std::string acknowledge(ChairDriver& chair, const std::string& alert_id) {
  auto ack = chair.nurse({"ack", "--alert", alert_id}, "nurse2");
  return ack.exit_code == 0 ? std::string() : "ack " + alert_id + " refused: " + ack.out + ack.err;
}

TEST(AlertsE2e, HypertensiveResponderClimbsThroughP3P2P1IsAcknowledgedAndClears) {
  TempDir dir;
  const std::string db = dir.file("vigil.db");
  Vigild vigild(db);
  ChildProcess watch({bin("vigilctl"), "watch", "--connect", vigild.stream.str()});
  ASSERT_TRUE(watch.wait_for_line(is_hello_line, 20s)) << watch.stderr_text();
  ChairDriver chair(vigild, "CHAIR3");
  ASSERT_EQ(chair.begin_and_start(130, 85), "");
  for (const Bp& b : kClimb) ASSERT_EQ(chair.nibp(b.minute, b.sys, b.dia), "") << "minute " << b.minute;

  std::string error;
  auto log = export_alerts(db, "CHAIR3", &error);
  ASSERT_EQ(error, "");
  // First raised as the pressure climbs: P3, then P2, then P1.
  std::vector<std::string> raised;
  for (const auto& a : log) {
    if (a.transition() == "raised" && (a.rule() == "P1" || a.rule() == "P2" || a.rule() == "P3"))
      raised.push_back(a.rule());
  }
  ASSERT_EQ(raised, (std::vector<std::string>{"P3", "P2", "P1"})) << describe(log);
  const auto p1 = first(log, "P1", "raised");
  const auto p2 = first(log, "P2", "raised");
  const auto p3 = first(log, "P3", "raised");
  ASSERT_TRUE(p1 && p2 && p3) << describe(log);
  EXPECT_EQ(p1->priority(), "HIGH");
  EXPECT_EQ(p1->message(), "SBP 204 >= 200");
  EXPECT_EQ(p1->value().value(), 204);
  EXPECT_EQ(p1->limit().value(), 200);
  EXPECT_EQ(p3->baseline().value(), 130);
  // The contract's alert line: {"rule":"P2","priority":"MEDIUM","state":"ACTIVE","value":182,
  // "limit":180,"baseline":130,"message":"SBP 182 >= 180; the reading before, ...",...}
  EXPECT_FALSE(first(log, "P2", "confirmed")) << "P2 waited a cycle the reading before had already given\n"
                                              << describe(log);
  EXPECT_EQ(p2->priority(), "MEDIUM");
  EXPECT_EQ(p2->state(), "ACTIVE");
  EXPECT_EQ(p2->value().value(), 182);
  EXPECT_EQ(p2->limit().value(), 180);
  EXPECT_TRUE(p2->has_baseline()) << describe(*p2);
  EXPECT_EQ(p2->baseline().value(), 130);
  EXPECT_EQ(p2->message(), "SBP 182 >= 180; the reading before, 176/96, within 5 mmHg of the limit confirms");
  EXPECT_EQ(p1->baseline().value(), 130);

  for (const auto* id : {&p1->id(), &p2->id(), &p3->id()}) ASSERT_EQ(acknowledge(chair, *id), "");
  auto refused = chair.nurse({"ack", "--alert", "CHAIR3-P1-999999"}, "nurse2");
  EXPECT_NE(refused.exit_code, 0) << "acknowledging an unknown alert must be refused";
  EXPECT_NE(refused.err.find("refused"), std::string::npos) << refused.err;
  auto stop = chair.nurse({"session", "stop"});
  ASSERT_EQ(stop.exit_code, 0) << stop.err;

  // Clearing needs two readings below: after the first one below P1 is still there.
  for (const Bp& b : kRecovery) {
    ASSERT_EQ(chair.nibp(b.minute, b.sys, b.dia), "") << "minute " << b.minute;
    if (b.minute == 55) {  // 185/100 still meets P2, P3: they sound again, acknowledged again
      log = export_alerts(db, "CHAIR3");
      for (const std::string rule : {"P2", "P3"})
        ASSERT_EQ(acknowledge(chair, first(log, rule, "reactivated").value().id()), "");
    }
    if (b.minute == 60) {
      log = export_alerts(db, "CHAIR3");
      EXPECT_FALSE(first(log, "P1", "resolved")) << "P1 resolved after one reading below\n" << describe(log);
    }
  }

  log = export_alerts(db, "CHAIR3", &error);
  ASSERT_EQ(error, "");
  // The whole physiological story, in log order: (rule, transition, priority).
  using Row = std::tuple<std::string, std::string, std::string>;
  std::vector<Row> story;
  for (const auto& a : log) {
    if (a.kind() != "technical") story.emplace_back(a.rule(), a.transition(), a.priority());
  }
  const std::vector<Row> expected = {
      {"P3", "raised", "LOW"},             // 172/95: advisory, repeat NIBP now
      {"P3", "confirmed", "MEDIUM"},       // 176/96
      {"P2", "raised", "MEDIUM"},          // 182/98: 176/96 before it, within the band
      {"P2", "priority_changed", "HIGH"},  // 190/100: still present at the next reading
      {"P1", "raised", "HIGH"},            // 204/106
      {"P1", "acknowledged", "HIGH"},      // nurse2
      {"P2", "acknowledged", "HIGH"},
      {"P3", "acknowledged", "MEDIUM"},
      {"P2", "reactivated", "HIGH"},
      {"P3", "reactivated", "MEDIUM"},  // 185/100 in recovery
      {"P2", "acknowledged", "HIGH"},
      {"P3", "acknowledged", "MEDIUM"},
      {"P1", "resolved", "HIGH"},    // 150/95: second reading below 180/110
      {"P2", "resolved", "HIGH"},    // 150/95: second reading <= 170/100
      {"P3", "resolved", "MEDIUM"},  // 145/92: second reading below B+30 = 160
  };
  EXPECT_EQ(story, expected) << describe(log);

  // Acknowledged by the nurse who did it; resolved only once cleared and acknowledged.
  for (const std::string rule : {"P1", "P2", "P3"}) {
    const auto ack = first(log, rule, "acknowledged");
    ASSERT_TRUE(ack) << rule << "\n" << describe(log);
    EXPECT_EQ(ack->acknowledged_by(), "nurse2");
    EXPECT_EQ(ack->user(), "nurse2");
    const auto resolved = first(log, rule, "resolved");
    ASSERT_TRUE(resolved) << rule << " never resolved\n" << describe(log);
    EXPECT_GT(resolved->log_id(), ack->log_id());
    EXPECT_EQ(resolved->phase(), "recovery");
  }
  // Log order is engine order.
  for (std::size_t i = 1; i < log.size(); ++i) {
    EXPECT_GT(log[i].log_id(), log[i - 1].log_id());
    EXPECT_GT(log[i].seq(), log[i - 1].seq());
  }
  auto timeline = run_command({bin("vigilctl"), "timeline", "--db", db, "--bed", "CHAIR3"}, 30s);
  ASSERT_EQ(timeline.exit_code, 0) << timeline.err;
  EXPECT_NE(timeline.out.find("P1 HIGH ACKNOWLEDGED acknowledged by nurse2"), std::string::npos)
      << timeline.out;
  EXPECT_NE(timeline.out.find("infusion_stopped by nurse1"), std::string::npos) << timeline.out;

  // Every client saw the same story, in log order, with the session changes.
  std::vector<proto::AlertLine> streamed;
  std::vector<std::string> session_events;
  while (streamed.size() < log.size()) {
    auto line = watch.read_line(20s);
    ASSERT_TRUE(line) << "stream stopped after " << streamed.size() << " alerts\n" << describe(log);
    if (auto a = parse_alert_line(*line)) streamed.push_back(*a);
    if (auto s = parse_session_line(*line)) session_events.push_back(s->event());
  }
  for (std::size_t i = 0; i < log.size(); ++i) {
    EXPECT_EQ(streamed[i].log_id(), log[i].log_id()) << describe(streamed[i]);
    EXPECT_EQ(streamed[i].id(), log[i].id()) << describe(streamed[i]);
    EXPECT_EQ(streamed[i].transition(), log[i].transition()) << describe(streamed[i]);
  }
  for (const char* event : {"begun", "baseline_updated", "infusion_started", "infusion_stopped"}) {
    EXPECT_NE(std::find(session_events.begin(), session_events.end(), event), session_events.end()) << event;
  }
  EXPECT_EQ(vigild.stop(), 0) << "vigild did not exit cleanly";
}

TEST(AlertsE2e, PreInfusionHypertensionHoldsTheStartUntilOverridden) {
  TempDir dir;
  const std::string db = dir.file("vigil.db");
  Vigild vigild(db);
  ChairDriver chair(vigild, "CHAIR2");
  auto begin = chair.nurse({"session", "begin", "--patient", "PT-0043", "--planned-minutes", "40"});
  ASSERT_EQ(begin.exit_code, 0) << begin.err;
  ASSERT_EQ(chair.nibp(0, 170, 102), "");
  ASSERT_EQ(chair.nibp(5, 168, 100), "");
  auto log = export_alerts(db, "CHAIR2");
  const auto p9 = first(log, "P9", "raised");
  ASSERT_TRUE(p9) << describe(log);
  EXPECT_EQ(p9->priority(), "MEDIUM");

  auto start = chair.nurse({"session", "start"});
  EXPECT_NE(start.exit_code, 0) << "infusion started over a P9 gate: " << start.out;
  EXPECT_NE(start.err.find("refused"), std::string::npos) << start.err;
  EXPECT_NE(start.out.find("\"ok\":false"), std::string::npos) << start.out;

  auto override_bl = chair.nurse({"session", "baseline", "--override", "150/95"}, "dr_jones");
  ASSERT_EQ(override_bl.exit_code, 0) << override_bl.out << override_bl.err;
  start = chair.nurse({"session", "start"});
  ASSERT_EQ(start.exit_code, 0) << start.out << start.err;
  EXPECT_NE(start.out.find("infusion"), std::string::npos) << start.out;

  log = export_alerts(db, "CHAIR2");
  const auto gone = first(log, "P9", "resolved");
  ASSERT_TRUE(gone) << describe(log);
  EXPECT_EQ(gone->id(), p9->id());
  auto timeline = run_command({bin("vigilctl"), "timeline", "--db", db, "--bed", "CHAIR2"}, 30s);
  ASSERT_EQ(timeline.exit_code, 0) << timeline.err;
  EXPECT_NE(timeline.out.find("dr_jones"), std::string::npos) << timeline.out;
  EXPECT_EQ(vigild.stop(), 0) << "vigild did not exit cleanly";
}

TEST(AlertsE2e, ArtifactBurstRaisesT5AndNoPhysiologicalAlarm) {
  TempDir dir;
  const std::string db = dir.file("vigil.db");
  Vigild vigild(db);
  ChairDriver chair(vigild, "CHAIR4");
  ASSERT_EQ(chair.begin_and_start(125, 82), "");
  ASSERT_EQ(chair.nibp(10, 125, 82), "");
  const std::size_t before = export_alerts(db, "CHAIR4").size();
  // Cuff artefacts: SBP out of range, pulse pressure too small, SBP <= DBP.
  const Bp burst[] = {{11, 45, 20}, {12, 120, 115}, {13, 90, 95}, {14, 110, 100}};
  for (const Bp& b : burst) ASSERT_EQ(chair.nibp(b.minute, b.sys, b.dia), "") << "minute " << b.minute;
  for (int i = 0; i < 20; ++i) ASSERT_EQ(chair.vitals(i % 2 ? 300 : 10, 97), "");

  const auto log = export_alerts(db, "CHAIR4");
  ASSERT_GT(log.size(), before) << describe(log);
  std::set<std::string> t5_subjects;
  for (std::size_t i = before; i < log.size(); ++i) {
    const auto& a = log[i];
    EXPECT_NE(a.kind(), "physiological") << describe(a);
    EXPECT_NE(a.kind(), "advisory") << describe(a);
    if (a.rule() == "T5" && a.transition() == "raised") t5_subjects.insert(a.subject());
  }
  EXPECT_TRUE(t5_subjects.count("NIBP")) << describe(log);
  EXPECT_TRUE(t5_subjects.count("HR")) << describe(log);

  // The artefacts are kept, marked unverified.
  int unverified = 0;
  for (const auto& r : export_readings(db, "CHAIR4")) {
    if (r.kind() == "NIBP_SYS" && r.has_verified() && !r.verified().value()) ++unverified;
  }
  EXPECT_EQ(unverified, 4);

  // A plausible reading ends the NIBP artefact alarm.
  ASSERT_EQ(chair.nibp(15, 126, 82), "");
  const auto after = export_alerts(db, "CHAIR4");
  bool nibp_t5_over = false;
  for (const auto& a : after) {
    if (a.rule() == "T5" && a.subject() == "NIBP" && a.state() == "RESOLVED") nibp_t5_over = true;
  }
  EXPECT_TRUE(nibp_t5_over) << describe(after);
  EXPECT_EQ(vigild.stop(), 0) << "vigild did not exit cleanly";
}

TEST(AlertsE2e, AudioPauseIsLoggedWithWhoAndExportsFilter) {
  TempDir dir;
  const std::string db = dir.file("vigil.db");
  Vigild vigild(db);
  ChairDriver chair(vigild, "CHAIR7");
  ASSERT_EQ(chair.nibp(0, 205, 100), "");  // no session: absolute limits still apply
  auto paused = chair.nurse({"pause-audio"}, "nurse3");
  ASSERT_EQ(paused.exit_code, 0) << paused.out << paused.err;
  auto log = export_alerts(db, "CHAIR7");
  const auto p1 = first(log, "P1", "raised");
  ASSERT_TRUE(p1) << describe(log);
  EXPECT_EQ(p1->phase(), "monitoring");
  const auto pause = first(log, "P1", "audio_paused");
  ASSERT_TRUE(pause) << describe(log);
  EXPECT_EQ(pause->user(), "nurse3");
  EXPECT_EQ(pause->state(), "AUDIO_PAUSED");

  // --bed: another chair's alerts stay out; --since in the future: nothing; csv: a header
  // and one row per transition.
  ChairDriver other(vigild, "CHAIR8");
  ASSERT_EQ(other.nibp(0, 206, 100), "");
  for (const auto& a : export_alerts(db, "CHAIR7")) EXPECT_EQ(a.bed(), "CHAIR7");
  const auto all = export_alerts(db, "");
  EXPECT_GT(all.size(), log.size());
  auto later = run_command({bin("vigilctl"), "alerts", "--db", db, "--since", "2999-01-01T00:00:00Z"}, 30s);
  ASSERT_EQ(later.exit_code, 0) << later.err;
  EXPECT_EQ(later.out, "");
  auto csv = run_command({bin("vigilctl"), "alerts", "--db", db, "--format", "csv"}, 30s);
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(static_cast<std::size_t>(std::count(csv.out.begin(), csv.out.end(), '\n')), all.size() + 1)
      << csv.out;
  EXPECT_NE(csv.out.find(p1->id()), std::string::npos) << csv.out;
  EXPECT_EQ(vigild.stop(), 0) << "vigild did not exit cleanly";
}

TEST(AlertsE2e, DeviceSilentMidInfusionRaisesT1AfterItsDelay) {
  TempDir dir;
  const std::string db = dir.file("vigil.db");
  Vigild vigild(db, {"--demo", "--time-scale", "10"});
  ChildProcess watch({bin("vigilctl"), "watch", "--connect", vigild.stream.str(), "--bed", "CHAIR5"});
  ASSERT_TRUE(watch.wait_for_line(is_hello_line, 20s)) << watch.stderr_text();
  ChairDriver chair(vigild, "CHAIR5");
  // Data every 50 ms real (0.5 s simulated): T1 cannot fire while it flows.
  auto monitor = std::make_unique<ContinuousMonitor>(vigild, "CHAIR5");
  ASSERT_EQ(chair.begin_and_start(125, 82), "");
  ASSERT_EQ(chair.nibp(10, 126, 82), "");
  auto log = export_alerts(db, "CHAIR5");
  for (const auto& a : log) EXPECT_NE(a.rule(), "T1") << "T1 while data flowed\n" << describe(log);
  ASSERT_EQ(monitor->stop(), "");
  EXPECT_GT(monitor->sent(), 0);
  monitor.reset();  // the monitor goes silent (its connection closes too)

  // T1 within a deadline of real time (15 s simulated is 1.5 s real at 10x).
  auto line = watch.wait_for_line(
      [](const std::string& l) {
        auto a = parse_alert_line(l);
        return a && a->rule() == "T1" && a->transition() == "raised";
      },
      30s);
  ASSERT_TRUE(line) << "no T1 on the stream\n" << describe(export_alerts(db, "CHAIR5"));
  const auto t1 = parse_alert_line(*line);
  EXPECT_EQ(t1->priority(), "MEDIUM") << *line;
  EXPECT_EQ(t1->phase(), "infusion") << *line;
  EXPECT_EQ(t1->kind(), "technical") << *line;
  // Never before its delay: the silence it reports is over the 15 s limit.
  EXPECT_EQ(t1->limit().value(), 15) << *line;
  EXPECT_GT(t1->value().value(), 15) << *line;
  std::cout << "T1 raised after " << t1->value().value() << " s of simulated silence (limit 15 s)\n";
  // Logged before it was shown.
  log = export_alerts(db, "CHAIR5");
  ASSERT_TRUE(first(log, "T1", "raised")) << describe(log);
  EXPECT_EQ(first(log, "T1", "raised")->id(), t1->id());
  EXPECT_EQ(vigild.stop(), 0) << "vigild did not exit cleanly";
}

}  // namespace
}  // namespace vigil::test
