// P1-P5, one table row per test: fires, confirmation, priority, latching, clearing.
#include "alert_harness.hpp"

namespace vigil::alerts::test {
namespace {

// P1: SBP >= 200 or DBP >= 120 | no confirmation | HIGH | latching | 2 readings below P2 + ack
TEST(P1, FiresAtOnceAsHighWithValueAndLimit) {
  Harness h;
  h.nibp(205, 100);
  auto a = h.alert(RuleId::P1);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->priority, Priority::High);
  EXPECT_EQ(a->state, AlertState::Active);
  EXPECT_EQ(a->kind, AlertKind::Physiological);
  EXPECT_EQ(a->message, "SBP 205 >= 200");
  EXPECT_EQ(a->value, 205);
  EXPECT_EQ(a->limit, 200);
  ASSERT_EQ(h.count(RuleId::P1, TransitionKind::Raised), 1);
  EXPECT_EQ(h.of(RuleId::P1)[0].phase, Phase::Monitoring);
  EXPECT_FALSE(h.of(RuleId::P1)[0].limits.empty());
}

TEST(P1, DiastolicCrossingFires) {
  Harness h;
  h.nibp(160, 122);
  auto a = h.alert(RuleId::P1);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->message, "DBP 122 >= 120");
}

TEST(P1, JustBelowDoesNotFire) {
  Harness h;
  h.nibp(199, 119);
  EXPECT_FALSE(h.alert(RuleId::P1));
}

// A value is judged as every face shows it, rounded half away from zero: 199.5 mmHg
// (26.6 kPa) is "200" on the board and must raise P1; 199.4 is "199" and must not.
TEST(P1, AValueShownAsTheLimitMeetsIt) {
  Harness h;
  h.nibp(199.5, 100);
  auto a = h.alert(RuleId::P1);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->message, "SBP 200 >= 200");
  Harness d;
  d.nibp(160, 119.5);
  ASSERT_TRUE(d.alert(RuleId::P1));
  EXPECT_EQ(d.alert(RuleId::P1)->message, "DBP 120 >= 120");
  Harness below;
  below.nibp(199.4, 119.4);
  EXPECT_FALSE(below.alert(RuleId::P1));
}

TEST(P1, LatchesUntilAcknowledgedAfterTwoReadingsBelowP2) {
  Harness h;
  h.nibp(205, 100);
  h.advance(5min);
  h.nibp(175, 100);
  EXPECT_EQ(h.alert(RuleId::P1)->state, AlertState::Active);
  h.advance(5min);
  h.nibp(170, 95);
  ASSERT_TRUE(h.alert(RuleId::P1));
  EXPECT_EQ(h.alert(RuleId::P1)->state, AlertState::Latched);
  EXPECT_EQ(h.count(RuleId::P1, TransitionKind::Cleared), 1);
  ASSERT_TRUE(h.ack(h.alert(RuleId::P1)->id).ok);
  EXPECT_FALSE(h.alert(RuleId::P1));
  EXPECT_EQ(h.count(RuleId::P1, TransitionKind::Resolved), 1);
}

TEST(P1, AcknowledgedResolvesOnSecondReadingBelowAndBandResetsCount) {
  Harness h;
  h.nibp(205, 100);
  ASSERT_TRUE(h.ack(h.alert(RuleId::P1)->id).ok);
  EXPECT_EQ(h.alert(RuleId::P1)->state, AlertState::Acknowledged);
  h.advance(5min);
  h.nibp(175, 90);  // below P2: 1
  h.advance(5min);
  h.nibp(185, 90);  // between P2 and P1: resets
  h.advance(5min);
  h.nibp(175, 90);  // 1 again
  EXPECT_TRUE(h.alert(RuleId::P1));
  h.advance(5min);
  h.nibp(172, 90);  // 2: resolved
  EXPECT_FALSE(h.alert(RuleId::P1));
}

TEST(P1, ReactivatesWhenConditionReturnsWhileLatched) {
  Harness h;
  h.nibp(205, 100);
  h.nibp(170, 90);
  h.nibp(170, 90);
  ASSERT_EQ(h.alert(RuleId::P1)->state, AlertState::Latched);
  const std::string id = h.alert(RuleId::P1)->id;
  h.nibp(210, 100);
  EXPECT_EQ(h.alert(RuleId::P1)->state, AlertState::Active);
  EXPECT_EQ(h.alert(RuleId::P1)->id, id);
  EXPECT_EQ(h.count(RuleId::P1, TransitionKind::Reactivated), 1);
}

// Changed twice: an impossible reading raises no HIGH, and (one bad reading, one item) only
// T5 asking for the repeat, no P1 advisory beside it (alarm_trust_test.cpp has the repeat).
TEST(P1, ImpossibleReadingRaisesOnlyT5AskingForARepeat) {
  Harness h;
  h.nibp(270, 100);  // outside 50-260: unverified
  EXPECT_FALSE(h.alert(RuleId::P1));
  ASSERT_TRUE(h.alert(RuleId::T5, "NIBP"));
  EXPECT_NE(h.alert(RuleId::T5, "NIBP")->message.find("repeat NIBP now"), std::string::npos);
  EXPECT_FALSE(h.alert(RuleId::P2));
  EXPECT_FALSE(h.alert(RuleId::P4));
  ASSERT_FALSE(h.verdicts.empty());
  EXPECT_FALSE(h.verdicts.back().verified);
}

// P2: SBP >= 180 or DBP >= 110 | repeat reading | MEDIUM; HIGH if present at next reading or
// unacknowledged 5 min | latching | 2 readings <= 170/100 + ack
TEST(P2, UnconfirmedCrossingIsAnAdvisory) {
  Harness h;
  h.nibp(184, 90);
  auto a = h.alert(RuleId::P2);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->state, AlertState::Advisory);
  EXPECT_EQ(a->kind, AlertKind::Advisory);
  EXPECT_NE(a->message.find("SBP 184 >= 180"), std::string::npos);
  EXPECT_NE(a->message.find("repeat NIBP now"), std::string::npos);
  EXPECT_EQ(h.count(RuleId::P2, TransitionKind::Confirmed), 0);
  EXPECT_FALSE(h.ack(a->id).ok);  // advisories clear with the repeat reading
}

TEST(P2, RepeatReadingConfirmsAsMedium) {
  Harness h;
  h.nibp(184, 90);
  h.advance(2min);
  h.nibp(186, 92);
  auto a = h.alert(RuleId::P2);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->state, AlertState::Active);
  EXPECT_EQ(a->priority, Priority::Medium);
  EXPECT_EQ(a->kind, AlertKind::Physiological);
  EXPECT_EQ(a->message, "SBP 186 >= 180");
  EXPECT_EQ(h.count(RuleId::P2, TransitionKind::Confirmed), 1);
}

TEST(P2, RepeatReadingBelowResolvesTheAdvisory) {
  Harness h;
  h.nibp(184, 90);
  h.nibp(172, 90);
  EXPECT_FALSE(h.alert(RuleId::P2));
  EXPECT_EQ(h.count(RuleId::P2, TransitionKind::Resolved), 1);
  EXPECT_EQ(h.count(RuleId::P2, TransitionKind::Confirmed), 0);
}

TEST(P2, StillPresentAtNextReadingBecomesHigh) {
  Harness h;
  h.nibp(184, 90);
  h.nibp(186, 90);
  h.nibp(188, 90);
  EXPECT_EQ(h.alert(RuleId::P2)->priority, Priority::High);
  EXPECT_EQ(h.count(RuleId::P2, TransitionKind::PriorityChanged), 1);
}

TEST(P2, UnacknowledgedFiveMinutesBecomesHighAndEscalatesAtTwo) {
  Harness h;
  h.nibp(184, 90);
  h.nibp(186, 90);
  h.advance(119s);
  EXPECT_EQ(h.count(RuleId::P2, TransitionKind::Escalated), 0);
  h.advance(2s);
  EXPECT_EQ(h.count(RuleId::P2, TransitionKind::Escalated), 1);
  h.advance(178s);
  EXPECT_EQ(h.alert(RuleId::P2)->priority, Priority::Medium);
  h.advance(2s);
  EXPECT_EQ(h.alert(RuleId::P2)->priority, Priority::High);
  h.advance(5min);
  EXPECT_EQ(h.count(RuleId::P2, TransitionKind::Escalated), 1);  // once
}

TEST(P2, AcknowledgedDoesNotEscalate) {
  Harness h;
  h.nibp(184, 90);
  h.nibp(186, 90);
  h.advance(1min);
  ASSERT_TRUE(h.ack(h.alert(RuleId::P2)->id, "nurse7").ok);
  h.advance(10min);
  EXPECT_EQ(h.count(RuleId::P2, TransitionKind::Escalated), 0);
  EXPECT_EQ(h.alert(RuleId::P2)->priority, Priority::Medium);
  EXPECT_EQ(h.alert(RuleId::P2)->acknowledged_by, "nurse7");
  ASSERT_EQ(h.count(RuleId::P2, TransitionKind::Acknowledged), 1);
  EXPECT_EQ(h.of(RuleId::P2).back().user, "nurse7");
}

TEST(P2, ClearsAfterTwoReadingsAtOrBelow170And100WhenAcknowledged) {
  Harness h;
  h.nibp(184, 90);
  h.nibp(186, 90);
  ASSERT_TRUE(h.ack(h.alert(RuleId::P2)->id).ok);
  h.nibp(175, 90);  // in the band: no clearing
  h.nibp(170, 100);
  EXPECT_TRUE(h.alert(RuleId::P2));
  h.nibp(165, 95);
  EXPECT_FALSE(h.alert(RuleId::P2));
}

TEST(P2, UnacknowledgedLatchesThenAcknowledgeResolves) {
  Harness h;
  h.nibp(184, 90);
  h.nibp(186, 90);
  h.nibp(165, 90);  // this one is "next reading": not present, so no HIGH
  h.nibp(165, 90);
  ASSERT_TRUE(h.alert(RuleId::P2));
  EXPECT_EQ(h.alert(RuleId::P2)->state, AlertState::Latched);
  EXPECT_EQ(h.alert(RuleId::P2)->priority, Priority::Medium);
  ASSERT_TRUE(h.ack(h.alert(RuleId::P2)->id).ok);
  EXPECT_FALSE(h.alert(RuleId::P2));
}

// P3: SBP >= B+40 or DBP >= B+25 | repeat | MEDIUM | latching | 2 readings < B+30/B+20 + ack
TEST(P3, RiseOverBaselineNeedsConfirmation) {
  Harness h;
  h.start_infusion();  // B = 122/81
  h.nibp(166, 85);
  auto a = h.alert(RuleId::P3);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->state, AlertState::Advisory);
  EXPECT_NE(a->message.find("SBP +44 over baseline 122"), std::string::npos);
  h.nibp(165, 85);
  a = h.alert(RuleId::P3);
  EXPECT_EQ(a->state, AlertState::Active);
  EXPECT_EQ(a->priority, Priority::Medium);
  EXPECT_EQ(a->baseline, 122);
  EXPECT_EQ(a->limit, 162);
}

TEST(P3, DiastolicRise) {
  Harness h;
  h.start_infusion();
  h.nibp(140, 107);
  ASSERT_TRUE(h.alert(RuleId::P3));
  EXPECT_NE(h.alert(RuleId::P3)->message.find("DBP +26 over baseline 81"), std::string::npos);
}

TEST(P3, ClearsBelowBPlus30WithHysteresisAndAck) {
  Harness h;
  h.start_infusion();
  h.nibp(166, 85);
  h.nibp(166, 85);
  ASSERT_TRUE(h.ack(h.alert(RuleId::P3)->id).ok);
  h.nibp(150, 85);  // < 152: 1
  h.nibp(155, 85);  // between B+30 and B+40: resets
  h.nibp(150, 85);
  EXPECT_TRUE(h.alert(RuleId::P3));
  h.nibp(148, 85);
  EXPECT_FALSE(h.alert(RuleId::P3));
}

TEST(P3, NeedsASessionBaseline) {
  Harness h;
  h.nibp(170, 85);
  h.nibp(170, 85);
  EXPECT_FALSE(h.alert(RuleId::P3));
}

// P4: SBP >= 160 or DBP >= 100 or SBP >= B+25 | one reading | LOW | not latching | next below
TEST(P4, OneReadingLowNotLatching) {
  Harness h;
  h.nibp(162, 85);
  auto a = h.alert(RuleId::P4);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->priority, Priority::Low);
  EXPECT_EQ(a->state, AlertState::Active);
  EXPECT_NE(a->message.find("SBP 162 >= 160"), std::string::npos);
  EXPECT_NE(a->message.find("3-5 min"), std::string::npos);
  h.nibp(150, 85);
  EXPECT_FALSE(h.alert(RuleId::P4));
  EXPECT_EQ(h.count(RuleId::P4, TransitionKind::Cleared), 0);
}

TEST(P4, RiseOverBaseline) {
  Harness h;
  h.start_infusion();  // B 122
  h.advance(10min);    // a 10-min cycle: P4's "every 3-5 min" asks for something
  h.nibp(146, 85);
  EXPECT_FALSE(h.alert(RuleId::P4));
  h.advance(10min);
  h.nibp(148, 85);
  ASSERT_TRUE(h.alert(RuleId::P4));
  EXPECT_EQ(h.alert(RuleId::P4)->baseline, 122);
}

// P5: SBP < 90 or MAP < B-30% | repeat | MEDIUM | latching | 2 readings above + ack
TEST(P5, LowSystolicConfirmedByRepeat) {
  Harness h;
  h.nibp(85, 50);
  EXPECT_EQ(h.alert(RuleId::P5)->state, AlertState::Advisory);
  h.nibp(86, 52);
  EXPECT_EQ(h.alert(RuleId::P5)->state, AlertState::Active);
  EXPECT_EQ(h.alert(RuleId::P5)->message, "SBP 86 < 90");
  h.nibp(95, 60);
  h.nibp(96, 60);
  EXPECT_EQ(h.alert(RuleId::P5)->state, AlertState::Latched);
  ASSERT_TRUE(h.ack(h.alert(RuleId::P5)->id).ok);
  EXPECT_FALSE(h.alert(RuleId::P5));
}

TEST(P5, MapDropFromBaseline) {
  Harness h;
  h.start_infusion();  // MAP baseline (93 + 96) / 2 = 94.5 (93.3 judged as shown); limit 66.15
  h.nibp(95, 55);      // MAP 68.3, judged 68: fine
  EXPECT_FALSE(h.alert(RuleId::P5));
  h.nibp(92, 50);  // MAP 64
  ASSERT_TRUE(h.alert(RuleId::P5));
  EXPECT_NE(h.alert(RuleId::P5)->message.find("MAP 64 < 66."), std::string::npos);
}

// Assembly and validity of NIBP measurements.
TEST(Nibp, MeasurementWithoutMeanIsJudgedAfterAShortWait) {
  Harness h;
  h.reading(VitalKind::NibpSys, 205);
  h.reading(VitalKind::NibpDia, 100);
  EXPECT_FALSE(h.alert(RuleId::P1));
  h.advance(3s);
  EXPECT_TRUE(h.alert(RuleId::P1));
}

TEST(Nibp, RepeatedPartStartsANewMeasurementEvenWithoutTimes) {
  Harness h;
  auto send = [&](VitalKind k, double v) {
    Reading r;
    r.bed = h.bed;
    r.kind = k;
    r.value = v;
    r.source = h.source;  // measured_at_ms stays 0: the device sent no time
    h.take(h.engine.on_reading(r, h.now()));
  };
  send(VitalKind::NibpSys, 184);
  send(VitalKind::NibpDia, 90);
  send(VitalKind::NibpSys, 186);  // the next measurement: the first is judged now
  ASSERT_TRUE(h.alert(RuleId::P2));
  EXPECT_EQ(h.alert(RuleId::P2)->state, AlertState::Advisory);
  send(VitalKind::NibpDia, 92);
  h.advance(3s);
  EXPECT_EQ(h.alert(RuleId::P2)->state, AlertState::Active);
}

TEST(Nibp, DeviceFlaggedInvalidFiresNothing) {
  Harness h;
  h.reading(VitalKind::NibpSys, 205, false);
  h.reading(VitalKind::NibpDia, 125, false);
  auto r = h.reading(VitalKind::NibpMean, 150, false);
  EXPECT_FALSE(r.verified);
  EXPECT_TRUE(h.engine.active_alerts(h.bed).empty());
}

}  // namespace
}  // namespace vigil::alerts::test
