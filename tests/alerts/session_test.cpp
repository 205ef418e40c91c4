// Sessions: phases, nurse actions and refusals, baseline, P9 gate, discharge, restore.
#include <cmath>

#include "alert_harness.hpp"

namespace vigil::alerts::test {
namespace {

TEST(Session, PhasesFollowNurseActionsAndData) {
  Harness h;
  EXPECT_EQ(h.engine.phase(h.bed), Phase::Monitoring);
  ASSERT_TRUE(h.act(SessionActionKind::Begin).ok);
  EXPECT_EQ(h.engine.phase(h.bed), Phase::Setup);
  h.nibp(120, 80);
  EXPECT_EQ(h.engine.phase(h.bed), Phase::Baseline);
  h.advance(3min);
  h.nibp(124, 82);
  ASSERT_TRUE(h.act(SessionActionKind::StartInfusion).ok);
  EXPECT_EQ(h.engine.phase(h.bed), Phase::Infusion);
  ASSERT_TRUE(h.act(SessionActionKind::StopInfusion).ok);
  EXPECT_EQ(h.engine.phase(h.bed), Phase::Recovery);
  ASSERT_TRUE(h.act(SessionActionKind::End).ok);
  EXPECT_EQ(h.engine.phase(h.bed), Phase::Monitoring);
  EXPECT_FALSE(h.engine.session(h.bed, h.now()));
  ASSERT_FALSE(h.events.empty());
  EXPECT_EQ(h.events.back().kind, SessionEventKind::Ended);
  EXPECT_EQ(h.events.back().state.phase, Phase::Closed);
  // Every action is recorded with who and when.
  const auto& actions = h.events.back().state.actions;
  ASSERT_EQ(actions.size(), 4u);
  EXPECT_EQ(actions[0].kind, SessionActionKind::Begin);
  EXPECT_EQ(actions[0].user, "nurse1");
  EXPECT_EQ(actions[0].at_ms, Harness::kWall0);
  EXPECT_EQ(actions[1].kind, SessionActionKind::StartInfusion);
  EXPECT_EQ(actions[1].at_ms, Harness::kWall0 + 180000);
}

TEST(Session, InvalidActionsAreRefusedWithAReason) {
  Harness h;
  auto r = h.act(SessionActionKind::StartInfusion);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.reason, "no open session on BED1");
  EXPECT_FALSE(h.act(SessionActionKind::Begin, "").ok);
  ASSERT_TRUE(h.act(SessionActionKind::Begin).ok);
  r = h.act(SessionActionKind::Begin);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.reason.find("already open"), std::string::npos);
  r = h.act(SessionActionKind::StartInfusion);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.reason.find("no monitor data"), std::string::npos);
  h.nibp(120, 80);
  r = h.act(SessionActionKind::StartInfusion);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.reason.find("no baseline yet"), std::string::npos);
  EXPECT_FALSE(h.act(SessionActionKind::StopInfusion).ok);
  EXPECT_FALSE(h.act(SessionActionKind::PauseInfusion).ok);
  h.nibp(122, 80);
  ASSERT_TRUE(h.act(SessionActionKind::StartInfusion).ok);
  EXPECT_FALSE(h.act(SessionActionKind::StartInfusion).ok);
  r = h.act(SessionActionKind::End);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.reason.find("stop the infusion first"), std::string::npos);
  EXPECT_FALSE(h.override_baseline(130, 85).ok);  // too late
  ASSERT_TRUE(h.act(SessionActionKind::StopInfusion).ok);
  ASSERT_TRUE(h.act(SessionActionKind::End).ok);
  EXPECT_FALSE(h.act(SessionActionKind::End).ok);  // twice
}

TEST(Session, UnknownProfileIsRefused) {
  Harness h;
  SessionAction a;
  a.bed = h.bed;
  a.user = "nurse1";
  a.profile = "nope";
  auto r = h.engine.session_action(a, h.now());
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.reason.find("unknown rule profile"), std::string::npos);
}

TEST(Session, ElapsedInfusionTimeExcludesPauses) {
  Harness h;
  h.start_infusion();
  h.advance(10min);
  ASSERT_TRUE(h.act(SessionActionKind::PauseInfusion).ok);
  EXPECT_FALSE(h.act(SessionActionKind::PauseInfusion).ok);
  h.advance(5min);
  ASSERT_TRUE(h.act(SessionActionKind::ResumeInfusion).ok);
  h.advance(5min);
  auto s = h.engine.session(h.bed, h.now());
  ASSERT_TRUE(s);
  EXPECT_EQ(s->state.infusion_elapsed_ms, 15 * 60 * 1000);
  EXPECT_EQ(s->state.planned_minutes, 40);
  EXPECT_EQ(s->state.patient, "patient A");
}

TEST(Baseline, MeanOfTwoAgreeingReadings) {
  Harness h;
  ASSERT_TRUE(h.act(SessionActionKind::Begin).ok);
  h.nibp(120, 80);
  EXPECT_FALSE(h.engine.baseline(h.bed));
  h.advance(3min);
  auto r = h.nibp(130, 84);
  ASSERT_TRUE(r.baseline);  // shown with every reading
  EXPECT_EQ(r.baseline->sys_mmhg, 125);
  EXPECT_EQ(r.baseline->dia_mmhg, 82);
  EXPECT_EQ(r.baseline->source, BaselineSource::Computed);
  EXPECT_EQ(r.baseline->nibp_readings_used, 2);
}

TEST(Baseline, DisagreeingPairWaitsForAThirdAndUsesTheClosestPair) {
  Harness h;
  ASSERT_TRUE(h.act(SessionActionKind::Begin).ok);
  h.nibp(150, 90);
  h.advance(3min);
  h.nibp(128, 80);  // differs by 22
  EXPECT_FALSE(h.engine.baseline(h.bed));
  h.advance(3min);
  h.nibp(124, 78);  // pairs with 128
  auto b = h.engine.baseline(h.bed);
  ASSERT_TRUE(b);
  EXPECT_EQ(b->sys_mmhg, 126);
  EXPECT_EQ(b->dia_mmhg, 79);
}

TEST(Baseline, HeartRateAndSpO2AreTwoMinuteMedians) {
  Harness h;
  ASSERT_TRUE(h.act(SessionActionKind::Begin).ok);
  h.vital_for(VitalKind::HeartRate, 100, 60s);  // older than the window by the end
  h.vital_for(VitalKind::HeartRate, 70, 90s);
  h.vital_for(VitalKind::HeartRate, 74, 30s);
  h.nibp(120, 80);
  h.nibp(122, 80);
  auto b = h.engine.baseline(h.bed);
  ASSERT_TRUE(b);
  ASSERT_TRUE(b->hr_bpm);
  EXPECT_EQ(*b->hr_bpm, 70);
}

// P9: baseline >= 140/90 LOW review; >= 160/100 MEDIUM not ready; >= 180/110 MEDIUM hold
TEST(P9, ReviewIsLowAndDoesNotBlock) {
  Harness h;
  ASSERT_TRUE(h.act(SessionActionKind::Begin).ok);
  h.nibp(148, 88);
  h.nibp(150, 92);
  ASSERT_TRUE(h.alert(RuleId::P9));
  EXPECT_EQ(h.alert(RuleId::P9)->priority, Priority::Low);
  EXPECT_NE(h.alert(RuleId::P9)->message.find("prescriber review"), std::string::npos);
  ASSERT_TRUE(h.act(SessionActionKind::StartInfusion).ok);
  EXPECT_FALSE(h.alert(RuleId::P9));
}

TEST(P9, NotReadyBlocksUntilOverride) {
  Harness h;
  ASSERT_TRUE(h.act(SessionActionKind::Begin).ok);
  h.nibp(164, 95);
  h.nibp(166, 97);
  ASSERT_TRUE(h.alert(RuleId::P9));
  EXPECT_EQ(h.alert(RuleId::P9)->priority, Priority::Medium);
  EXPECT_NE(h.alert(RuleId::P9)->message.find("not ready"), std::string::npos);
  auto r = h.act(SessionActionKind::StartInfusion);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.reason.find("pre-infusion gate"), std::string::npos);
  ASSERT_TRUE(h.override_baseline(150, 90, "dr_smith").ok);
  EXPECT_FALSE(h.alert(RuleId::P9));
  auto b = h.engine.baseline(h.bed);
  EXPECT_EQ(b->source, BaselineSource::Override);
  EXPECT_EQ(b->override_user, "dr_smith");
  EXPECT_TRUE(h.act(SessionActionKind::StartInfusion).ok);
}

TEST(P9, HoldLevelAndANewBaselineBelowClearsIt) {
  Harness h;
  ASSERT_TRUE(h.act(SessionActionKind::Begin).ok);
  h.nibp(182, 112);
  h.nibp(184, 112);
  ASSERT_TRUE(h.alert(RuleId::P9));
  EXPECT_NE(h.alert(RuleId::P9)->message.find("hold"), std::string::npos);
  h.advance(5min);  // after rest, readings come down in steps (no T5 jump)
  h.nibp(150, 95);
  h.nibp(138, 85);
  h.nibp(136, 84);
  EXPECT_EQ(h.engine.baseline(h.bed)->sys_mmhg, 137);
  EXPECT_FALSE(h.alert(RuleId::P9));
}

TEST(P9, ImplausibleOverrideIsRefused) {
  Harness h;
  ASSERT_TRUE(h.act(SessionActionKind::Begin).ok);
  EXPECT_FALSE(h.override_baseline(80, 90).ok);
  EXPECT_FALSE(h.override_baseline(std::nan(""), 90).ok);
}

// Recovery: >= 60 min after stop, 2 readings <= B+20 or < 140/90, nothing unacknowledged.
TEST(Recovery, DischargeCriteriaMetAt) {
  Harness h;
  h.start_infusion();  // B 122
  h.take(h.engine.on_dashboard_confirmed(h.now()));
  ASSERT_TRUE(h.act(SessionActionKind::StopInfusion).ok);
  for (int i = 0; i < 6; ++i) {  // every 10 min: 130/85 <= B+20
    h.advance(10min);
    h.reading(VitalKind::HeartRate, 80);
    h.nibp(130, 85);
  }
  // A stale-link LOW was raised in between and never acknowledged: it blocks discharge.
  auto s = h.engine.session(h.bed, h.now());
  ASSERT_TRUE(s);
  for (const Alert& a : h.engine.active_alerts(h.bed)) {
    if (a.state == AlertState::Active || a.state == AlertState::Latched) {
      ASSERT_TRUE(h.ack(a.id).ok);
    }
  }
  h.advance(1s);
  s = h.engine.session(h.bed, h.now());
  ASSERT_TRUE(s->state.discharge_criteria_met_at_ms);
  EXPECT_GE(*s->state.discharge_criteria_met_at_ms, Harness::kWall0 + 3 * 60000 + 60 * 60000);
  EXPECT_TRUE(std::any_of(h.events.begin(), h.events.end(), [](const SessionEvent& e) {
    return e.kind == SessionEventKind::DischargeCriteriaMet;
  }));
  EXPECT_EQ(h.engine.phase(h.bed), Phase::Recovery);  // ending is the nurse's action
}

TEST(Recovery, NotBeforeSixtyMinutesNorWithHighReadings) {
  Harness h;
  h.start_infusion();
  ASSERT_TRUE(h.act(SessionActionKind::StopInfusion).ok);
  h.advance(50min);
  h.nibp(125, 80);
  h.nibp(125, 80);
  h.advance(9min);
  EXPECT_FALSE(h.engine.session(h.bed, h.now())->state.discharge_criteria_met_at_ms);
  h.nibp(150, 92);  // > B+20 and not < 140/90: the streak restarts
  h.advance(2min);
  for (const Alert& a : h.engine.active_alerts(h.bed)) h.ack(a.id);
  h.advance(1s);
  EXPECT_FALSE(h.engine.session(h.bed, h.now())->state.discharge_criteria_met_at_ms);
}

TEST(Restore, SessionContinuesMidInfusionWithBaselineAndClock) {
  Harness h;
  h.start_infusion();
  h.advance(20min);
  const SessionState saved = h.engine.session(h.bed, h.now())->state;
  ASSERT_EQ(saved.infusion_elapsed_ms, 20 * 60 * 1000);

  Harness after;  // a new daemon process, 1 minute later on the wall clock
  after.elapsed = h.elapsed + 1min;
  auto r = after.engine.restore(saved, after.now());
  ASSERT_TRUE(r.ok) << r.reason;
  ASSERT_EQ(r.session_events.size(), 1u);
  EXPECT_EQ(r.session_events[0].kind, SessionEventKind::Restored);
  EXPECT_EQ(after.engine.phase("BED1"), Phase::Infusion);
  auto s = after.engine.session("BED1", after.now());
  EXPECT_EQ(s->state.infusion_elapsed_ms, 21 * 60 * 1000);
  EXPECT_EQ(after.engine.baseline("BED1")->sys_mmhg, 122);
  // Receipts and readings during the downtime are unknown: T2 and T3 count from the restore.
  after.advance(1s);
  EXPECT_FALSE(after.alert(RuleId::T2));
  EXPECT_FALSE(after.alert(RuleId::T3));
  after.advance(30s);
  EXPECT_TRUE(after.alert(RuleId::T2));
  // Rules that need the baseline work at once: P3 advisory on a +44 reading.
  after.nibp(166, 85);
  ASSERT_TRUE(after.alert(RuleId::P3));
  EXPECT_EQ(after.alert(RuleId::P3)->state, AlertState::Advisory);
  // Refused twice, and for closed sessions.
  EXPECT_FALSE(after.engine.restore(saved, after.now()).ok);
  SessionState closed = saved;
  closed.bed = "BED9";
  closed.phase = Phase::Closed;
  EXPECT_FALSE(after.engine.restore(closed, after.now()).ok);
  SessionState corrupt = saved;
  corrupt.bed = "BED8";
  corrupt.begun_at_ms = -5;
  EXPECT_FALSE(after.engine.restore(corrupt, after.now()).ok);
}

}  // namespace
}  // namespace vigil::alerts::test
