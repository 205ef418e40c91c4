// Host clock steps (NTP, a nurse fixing the date): the wall clock jumps by hours while the
// monotonic clock runs on. Every delay in the engine is a difference of monotonic instants,
// so a step may neither fire an alarm early nor hold one back. Each test steps the harness's
// wall clock forwards and back by hours mid-delay and checks the alarm comes exactly when it
// would without the step. tests/e2e/clock_step_test.cpp does the same to a real vigild.
#include "alert_harness.hpp"

namespace vigil::alerts::test {
namespace {

constexpr WallMillis kHourMs = 3'600'000;

/// Steps the wall clock by `ms` and lets one daemon tick see it.
void step_wall(Harness& h, WallMillis ms) {
  h.wall_step_ms += ms;
  h.take(h.engine.tick(h.now()));
}

// T1: no data for > 15 s. A step of +2 h right after the last reading would fire it at once
// if silence were measured on the wall clock; a step of -2 h would hold it back for hours.
TEST(ClockStep, T1FiresOnMonotonicTimeWhateverTheWallClockDoes) {
  for (WallMillis step : {2 * kHourMs, -2 * kHourMs}) {
    SCOPED_TRACE("step " + std::to_string(step / kHourMs) + " h");
    Harness h;
    h.start_infusion();
    h.take(h.engine.on_dashboard_confirmed(h.now()));
    h.stream(VitalKind::HeartRate, 80);  // numerics, not a cuff's pulse rate: it streams
    const Duration last_data = h.elapsed;
    h.advance(5s);
    step_wall(h, step);
    EXPECT_FALSE(h.alert(RuleId::T1, "MON1"));
    h.advance(5s);
    step_wall(h, -step);  // and back again, mid-delay
    EXPECT_FALSE(h.alert(RuleId::T1, "MON1"));
    step_wall(h, step);
    while (!h.alert(RuleId::T1, "MON1") && h.elapsed - last_data < 60s) h.advance(250ms);
    ASSERT_TRUE(h.alert(RuleId::T1, "MON1"));
    EXPECT_GT(h.elapsed - last_data, 15s);
    EXPECT_LE(h.elapsed - last_data, 15s + 250ms);
  }
}

// Readings keep flowing across steps both ways: nothing fires from the step itself.
TEST(ClockStep, StepsWhileDataFlowsRaiseNothing) {
  Harness h;
  h.start_infusion();
  // start_infusion sends NIBP only, minutes apart: T1 is up; the first HR clears it.
  h.reading(VitalKind::HeartRate, 80);
  h.take(h.engine.on_dashboard_confirmed(h.now()));
  ASSERT_TRUE(h.engine.active_alerts(h.bed).empty()) << h.engine.active_alerts(h.bed).front().message;
  h.log.clear();
  auto monitor_for = [&h](Duration d) {
    for (const Duration end = h.elapsed + d; h.elapsed < end;) {
      h.reading(VitalKind::HeartRate, 80);
      h.reading(VitalKind::SpO2, 98);
      h.advance(1s);
    }
  };
  for (WallMillis step : {kHourMs, -kHourMs, -kHourMs, 3 * kHourMs}) {
    h.take(h.engine.on_dashboard_confirmed(h.now()));
    monitor_for(5s);
    step_wall(h, step);
    monitor_for(5s);
  }
  h.nibp(124, 81);
  EXPECT_TRUE(h.engine.active_alerts(h.bed).empty()) << h.engine.active_alerts(h.bed).front().message;
  for (const auto& t : h.log) ADD_FAILURE() << "transition " << to_string(t.rule) << " after a clock step";
}

// Escalation of an unacknowledged MEDIUM alarm at 2 min, and HIGH at 5 min, count on the
// monotonic clock: a forward step does not hurry them, a backward one does not delay them.
TEST(ClockStep, EscalationTimersIgnoreSteps) {
  Harness h;
  confirmed_p2(h);
  h.advance(60s);
  step_wall(h, 3 * kHourMs);
  EXPECT_EQ(h.count(RuleId::P2, TransitionKind::Escalated), 0);
  h.advance(59s);
  step_wall(h, -6 * kHourMs);
  EXPECT_EQ(h.count(RuleId::P2, TransitionKind::Escalated), 0);
  h.advance(2s);  // 2 min + 1 s on the monotonic clock
  EXPECT_EQ(h.count(RuleId::P2, TransitionKind::Escalated), 1);
  h.advance(178s);
  step_wall(h, 12 * kHourMs);
  EXPECT_EQ(h.alert(RuleId::P2)->priority, Priority::Medium);
  h.advance(2s);  // 5 min + 1 s
  EXPECT_EQ(h.alert(RuleId::P2)->priority, Priority::High);
}

// The 2-minute audio pause ends on the monotonic clock: a forward step does not end it early
// (the alarm would sound again at once), a backward step does not stretch it (it would stay
// silent for hours).
TEST(ClockStep, AudioPauseLastsTwoMonotonicMinutes) {
  for (WallMillis step : {kHourMs, -kHourMs}) {
    SCOPED_TRACE("step " + std::to_string(step / kHourMs) + " h");
    Harness h;
    confirmed_p2(h);
    ASSERT_FALSE(h.alert(RuleId::P4));  // covered by P2: only P2 in play
    ASSERT_TRUE(h.pause().ok);
    h.advance(30s);
    step_wall(h, step);
    EXPECT_EQ(h.alert(RuleId::P2)->state, AlertState::AudioPaused);
    EXPECT_TRUE(h.engine.audio_paused(h.bed));
    h.advance(89s);
    EXPECT_EQ(h.alert(RuleId::P2)->state, AlertState::AudioPaused);
    h.advance(1s);
    EXPECT_EQ(h.alert(RuleId::P2)->state, AlertState::Active);
    EXPECT_EQ(h.count(RuleId::P2, TransitionKind::AudioResumed), 1);
  }
}

// P6 confirms after HR >= 130 sustained 15 s (monotonic) and clears after 30 s below; steps
// in the middle of either delay change neither.
TEST(ClockStep, SustainedDelaysOfContinuousVitalsIgnoreSteps) {
  Harness h;
  h.vital_for(VitalKind::HeartRate, 135, 7s);
  step_wall(h, kHourMs);
  h.vital_for(VitalKind::HeartRate, 135, 7s);
  step_wall(h, -2 * kHourMs);
  EXPECT_FALSE(h.alert(RuleId::P6));
  h.vital_for(VitalKind::HeartRate, 135, 1s);
  ASSERT_TRUE(h.alert(RuleId::P6));
  EXPECT_EQ(h.alert(RuleId::P6)->priority, Priority::Medium);

  h.vital_for(VitalKind::HeartRate, 120, 14s);
  step_wall(h, 2 * kHourMs);
  h.vital_for(VitalKind::HeartRate, 120, 15s);
  EXPECT_TRUE(h.alert(RuleId::P6));
  h.vital_for(VitalKind::HeartRate, 120, 2s);
  EXPECT_FALSE(h.alert(RuleId::P6));
}

// A P2 crossing is confirmed by the repeat NIBP, whatever the wall clock did in between (the
// repeat's own stamp may even lie before the first one's).
TEST(ClockStep, P2ConfirmationAcrossABackwardStep) {
  Harness h;
  h.nibp(184, 90);
  ASSERT_EQ(h.alert(RuleId::P2)->state, AlertState::Advisory);
  h.advance(1min);
  step_wall(h, -kHourMs);
  h.advance(1min);
  h.nibp(186, 92);
  ASSERT_TRUE(h.alert(RuleId::P2));
  EXPECT_EQ(h.alert(RuleId::P2)->state, AlertState::Active);
  EXPECT_EQ(h.count(RuleId::P2, TransitionKind::Confirmed), 1);
}

// T2 (no dashboard receipt for 30 s in an infusion) runs on the monotonic clock too.
TEST(ClockStep, T2DelayIgnoresSteps) {
  Harness h;
  h.start_infusion();
  h.take(h.engine.on_dashboard_confirmed(h.now()));
  h.advance(10s);
  step_wall(h, 5 * kHourMs);
  EXPECT_FALSE(h.alert(RuleId::T2));
  h.advance(10s);
  step_wall(h, -10 * kHourMs);
  h.advance(10s);
  EXPECT_FALSE(h.alert(RuleId::T2));
  h.advance(1s);
  EXPECT_TRUE(h.alert(RuleId::T2));
}

}  // namespace
}  // namespace vigil::alerts::test
