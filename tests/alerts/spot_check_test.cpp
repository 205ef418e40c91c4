// Spot-check monitors, which send one message per cuff (its result, often with the cuff's
// pulse rate and an SpO2): not lost between cuffs (T1), and their pulse and SpO2 judged as
// the values they are (P6-P8), while a streaming monitor's single sample still waits its
// delay. Each test failed before its fix.
#include "alert_harness.hpp"

namespace vigil::alerts::test {
namespace {

TEST(SpotCheck, SpotCheckMonitorIsNotLostBetweenCuffsButIsWhenACuffIsOverdue) {
  Harness h;
  h.start_infusion();
  for (int i = 0; i < 6; ++i) {
    h.advance(5min);
    h.nibp(124, 82);
    EXPECT_FALSE(h.alert(RuleId::T1, "MON1")) << "cycle " << i;
  }
  const Duration last = h.elapsed;
  while (!h.alert(RuleId::T1, "MON1") && h.elapsed - last < 20min) h.advance(250ms);
  ASSERT_TRUE(h.alert(RuleId::T1, "MON1"));
  EXPECT_GT(h.elapsed - last, 7min);
  EXPECT_LE(h.elapsed - last, 7min + 15s + 250ms);
  EXPECT_EQ(h.alert(RuleId::T1, "MON1")->priority, Priority::Medium);
}

// A spot-check monitor that resends a message (its ACK was lost) or a gateway that resends
// the last result every 30 s: the resent result must not make it a streaming monitor, which
// would be "lost" 15 s after every message (a false MEDIUM T1 each cycle).
TEST(SpotCheck, ResendingTheLastResultDoesNotMakeASpotCheckMonitorAStream) {
  Harness h;
  h.start_infusion();
  for (int i = 0; i < 3; ++i) {
    h.advance(5min);
    const WallMillis cuff = h.now().wall_ms;
    h.reading(VitalKind::PulseRate, 72);
    h.nibp_measured_at(124, 82, cuff);
    h.advance(20s);  // the same message again, its spot pulse with it
    h.reading(VitalKind::PulseRate, 72);
    h.nibp_measured_at(124, 82, cuff);
    for (int k = 0; k < 4; ++k) {  // and the result alone every 30 s after that
      h.advance(30s);
      h.nibp_measured_at(124, 82, cuff);
    }
    EXPECT_FALSE(h.alert(RuleId::T1, "MON1")) << "cycle " << i;
    h.advance(16s);
    EXPECT_FALSE(h.alert(RuleId::T1, "MON1")) << "lost 16 s after a resend, cycle " << i;
  }
}

TEST(SpotCheck, SpotCheckMonitorSendingItsPulseAndSpO2WithEachCuffIsNotLostBetweenCuffs) {
  Harness h;
  h.start_infusion();
  for (int i = 0; i < 6; ++i) {
    h.advance(5min);
    // One message a spot check: the cuff's result with its pulse rate and SpO2, in either
    // order (readings of one message arrive at one instant).
    if (i % 2 == 0) {
      h.nibp(124, 82);
      h.reading(VitalKind::PulseRate, 74);
      h.reading(VitalKind::SpO2, 97);
    } else {
      h.reading(VitalKind::SpO2, 97);
      h.reading(VitalKind::PulseRate, 74);
      h.nibp(124, 82);
    }
    h.advance(1min);
    EXPECT_FALSE(h.alert(RuleId::T1, "MON1")) << "cycle " << i;
  }
  EXPECT_EQ(h.count(RuleId::T1, TransitionKind::Raised), 0);
}

// A spot-check monitor's pulse rate and SpO2 come once per cuff: no 15 s can be watched,
// and before, a saturation of 80 % beside a cuff result never alarmed. Judged as NIBP is:
// HIGH at once, MEDIUM when the next cuff's value confirms it (an advisory until then).
TEST(SpotCheck, SpotCheckSaturationFarBelowTheLimitAlarmsAtOnce) {
  Harness h;
  h.start_infusion();
  h.advance(5min);
  h.nibp(124, 82);
  h.reading(VitalKind::SpO2, 80);
  auto a = h.alert(RuleId::P8);
  ASSERT_TRUE(a) << "a spot SpO2 of 80 % raised nothing";
  EXPECT_EQ(a->priority, Priority::High);
  EXPECT_EQ(a->kind, AlertKind::Physiological);
  EXPECT_EQ(a->message, "SpO2 80 < 85");
  // It stands until the next cuff: the ticks between do not end it.
  h.advance(4min);
  ASSERT_TRUE(h.alert(RuleId::P8));
  EXPECT_EQ(h.alert(RuleId::P8)->state, AlertState::Active);
  // The next value is fine: HIGH latches until acknowledged.
  h.advance(1min);
  h.nibp(124, 82);
  h.reading(VitalKind::SpO2, 97);
  ASSERT_TRUE(h.alert(RuleId::P8));
  EXPECT_EQ(h.alert(RuleId::P8)->state, AlertState::Latched);
  ASSERT_TRUE(h.ack(h.alert(RuleId::P8)->id).ok);
  EXPECT_FALSE(h.alert(RuleId::P8));
}

// The monitor's very first message, its SpO2 before the cuff's result: once the result comes,
// the saturation is known to be a spot value and judged as one.
TEST(SpotCheck, ASpotSaturationBeforeTheFirstCuffInItsMessageAlarmsToo) {
  Harness h;
  h.start_infusion();
  h.advance(5min);
  h.source = "SPOT2";  // a monitor never heard before
  h.reading(VitalKind::SpO2, 80);
  h.nibp(124, 82);
  auto a = h.alert(RuleId::P8);
  ASSERT_TRUE(a) << "a desaturation in the first message went unseen until the next cuff";
  EXPECT_EQ(a->priority, Priority::High);
}

TEST(SpotCheck, SpotCheckPulseOverTheMediumLevelIsConfirmedByTheNextCuff) {
  Harness h;
  h.start_infusion();
  h.advance(5min);
  h.reading(VitalKind::PulseRate, 136);  // before the cuff's result in the message
  h.nibp(124, 82);
  auto a = h.alert(RuleId::P6);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->kind, AlertKind::Advisory);
  EXPECT_EQ(a->message, "HR 136 >= 130: repeat NIBP now");
  h.advance(5min);
  h.nibp(124, 82);
  h.reading(VitalKind::PulseRate, 138);
  a = h.alert(RuleId::P6);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->state, AlertState::Active);
  EXPECT_EQ(a->priority, Priority::Medium);
  EXPECT_EQ(h.count(RuleId::P6, TransitionKind::Confirmed), 1);
  // The next value under the clear level ends it (MEDIUM does not latch).
  h.advance(5min);
  h.nibp(124, 82);
  h.reading(VitalKind::PulseRate, 96);
  EXPECT_FALSE(h.alert(RuleId::P6));
}

TEST(SpotCheck, SpotCheckValueNotConfirmedByTheNextCuffEndsItsAdvisory) {
  Harness h;
  h.start_infusion();
  for (double spo2 : {97.0, 88.0}) {
    h.advance(5min);
    h.nibp(124, 82);
    h.reading(VitalKind::SpO2, spo2);
  }
  ASSERT_TRUE(h.alert(RuleId::P8));
  EXPECT_EQ(h.alert(RuleId::P8)->kind, AlertKind::Advisory);
  h.advance(5min);
  h.nibp(124, 82);
  h.reading(VitalKind::SpO2, 95);
  EXPECT_FALSE(h.alert(RuleId::P8));
  EXPECT_EQ(h.count(RuleId::P8, TransitionKind::Confirmed), 0);
  EXPECT_EQ(h.count(RuleId::P8, TransitionKind::Resolved), 1);
}

// A streaming monitor's single sample still needs its 15 s: one 80 % is a probe artifact.
TEST(SpotCheck, AStreamingMonitorsSingleLowSampleStillWaitsItsDelay) {
  Harness h;
  h.start_infusion();
  h.stream(VitalKind::SpO2, 97);
  h.advance(1s);
  h.nibp(124, 82);
  h.reading(VitalKind::SpO2, 80);
  EXPECT_FALSE(h.alert(RuleId::P8));
}

}  // namespace
}  // namespace vigil::alerts::test
