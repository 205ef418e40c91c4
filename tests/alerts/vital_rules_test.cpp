// P6-P8: continuous vitals with sustained delays, two levels, clear delays.
#include "alert_harness.hpp"

namespace vigil::alerts::test {
namespace {

// P6: HR >= 130 MEDIUM, >= 150 HIGH | sustained 15 s | HIGH latches | below 130 for 30 s
TEST(P6, MediumAfterFifteenSecondsSustained) {
  Harness h;
  h.vital_for(VitalKind::HeartRate, 135, 14s);
  EXPECT_FALSE(h.alert(RuleId::P6));
  h.vital_for(VitalKind::HeartRate, 135, 1s);
  auto a = h.alert(RuleId::P6);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->priority, Priority::Medium);
  EXPECT_EQ(a->message, "HR 135 >= 130");
  EXPECT_EQ(a->limit, 130);
}

// Judged as shown: 129.5 is "130" on every face.
TEST(P6, AValueShownAsTheLimitMeetsIt) {
  Harness h;
  h.vital_for(VitalKind::HeartRate, 129.5, 16s);
  ASSERT_TRUE(h.alert(RuleId::P6));
  EXPECT_EQ(h.alert(RuleId::P6)->message, "HR 130 >= 130");
  Harness low;
  low.vital_for(VitalKind::SpO2, 89.4, 16s);
  ASSERT_TRUE(low.alert(RuleId::P8));
  Harness ok;
  ok.vital_for(VitalKind::SpO2, 89.5, 16s);
  EXPECT_FALSE(ok.alert(RuleId::P8));
}

TEST(P6, BriefExcursionsDoNotFire) {
  Harness h;
  h.vital_for(VitalKind::HeartRate, 135, 10s);
  h.vital_for(VitalKind::HeartRate, 120, 2s);
  h.vital_for(VitalKind::HeartRate, 135, 10s);
  EXPECT_FALSE(h.alert(RuleId::P6));
}

TEST(P6, SilentMonitorSustainsNothing) {
  Harness h;
  h.reading(VitalKind::HeartRate, 140);
  h.advance(30s);
  EXPECT_FALSE(h.alert(RuleId::P6));
}

TEST(P6, MediumIsNotLatchingAndClearsAfterThirtySecondsBelow) {
  Harness h;
  h.vital_for(VitalKind::HeartRate, 135, 16s);
  ASSERT_TRUE(h.alert(RuleId::P6));
  h.vital_for(VitalKind::HeartRate, 120, 29s);
  EXPECT_TRUE(h.alert(RuleId::P6));
  h.vital_for(VitalKind::HeartRate, 120, 2s);
  EXPECT_FALSE(h.alert(RuleId::P6));
  EXPECT_EQ(h.count(RuleId::P6, TransitionKind::Cleared), 0);
  EXPECT_EQ(h.count(RuleId::P6, TransitionKind::Resolved), 1);
}

TEST(P6, HighLatchesUntilAcknowledged) {
  Harness h;
  h.vital_for(VitalKind::HeartRate, 155, 16s);
  auto a = h.alert(RuleId::P6);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->priority, Priority::High);
  EXPECT_EQ(h.count(RuleId::P6, TransitionKind::Raised), 1);
  h.vital_for(VitalKind::HeartRate, 100, 31s);
  ASSERT_TRUE(h.alert(RuleId::P6));
  EXPECT_EQ(h.alert(RuleId::P6)->state, AlertState::Latched);
  ASSERT_TRUE(h.ack(h.alert(RuleId::P6)->id).ok);
  EXPECT_FALSE(h.alert(RuleId::P6));
}

TEST(P6, MediumRisesToHigh) {
  Harness h;
  h.vital_for(VitalKind::HeartRate, 135, 16s);
  const std::string id = h.alert(RuleId::P6)->id;
  h.vital_for(VitalKind::HeartRate, 155, 16s);
  EXPECT_EQ(h.alert(RuleId::P6)->priority, Priority::High);
  EXPECT_EQ(h.alert(RuleId::P6)->id, id);
  EXPECT_EQ(h.count(RuleId::P6, TransitionKind::PriorityChanged), 1);
}

// P7: HR < 45 MEDIUM, < 40 HIGH | 15 s | HIGH latches | >= 45 for 30 s
TEST(P7, LowHeartRateLevels) {
  Harness h;
  h.vital_for(VitalKind::HeartRate, 42, 16s);
  ASSERT_TRUE(h.alert(RuleId::P7));
  EXPECT_EQ(h.alert(RuleId::P7)->message, "HR 42 < 45");
  EXPECT_EQ(h.alert(RuleId::P7)->priority, Priority::Medium);
  h.vital_for(VitalKind::HeartRate, 38, 16s);
  EXPECT_EQ(h.alert(RuleId::P7)->priority, Priority::High);
  h.vital_for(VitalKind::HeartRate, 60, 31s);
  EXPECT_EQ(h.alert(RuleId::P7)->state, AlertState::Latched);
}

// P8: SpO2 < 90 MEDIUM (15 s), < 85 HIGH (10 s) | HIGH latches | >= 92 for 30 s
TEST(P8, MediumAfterFifteenSeconds) {
  Harness h;
  h.vital_for(VitalKind::SpO2, 88, 14s);
  EXPECT_FALSE(h.alert(RuleId::P8));
  h.vital_for(VitalKind::SpO2, 88, 2s);
  ASSERT_TRUE(h.alert(RuleId::P8));
  EXPECT_EQ(h.alert(RuleId::P8)->message, "SpO2 88 < 90");
}

TEST(P8, HighAfterTenSeconds) {
  Harness h;
  h.vital_for(VitalKind::SpO2, 83, 9s);
  EXPECT_FALSE(h.alert(RuleId::P8));
  h.vital_for(VitalKind::SpO2, 83, 2s);
  ASSERT_TRUE(h.alert(RuleId::P8));
  EXPECT_EQ(h.alert(RuleId::P8)->priority, Priority::High);
}

TEST(P8, HysteresisNeeds92ForThirtySeconds) {
  Harness h;
  h.vital_for(VitalKind::SpO2, 88, 16s);
  ASSERT_TRUE(h.alert(RuleId::P8));
  h.vital_for(VitalKind::SpO2, 91, 60s);  // above the alarm limit, below the clear level
  EXPECT_TRUE(h.alert(RuleId::P8));
  h.vital_for(VitalKind::SpO2, 92, 31s);
  EXPECT_FALSE(h.alert(RuleId::P8));
}

TEST(HeartRateSource, PulseRateStandsInOnlyWithoutEcg) {
  Harness h;
  h.vital_for(VitalKind::PulseRate, 135, 16s);
  EXPECT_TRUE(h.alert(RuleId::P6));

  Harness ecg;
  for (int i = 0; i < 20; ++i) {
    ecg.reading(VitalKind::HeartRate, 80);
    ecg.reading(VitalKind::PulseRate, 135);
    ecg.advance(1s);
  }
  EXPECT_FALSE(ecg.alert(RuleId::P6));
}

TEST(HeartRateSource, ImplausibleHeartRateIsUnverifiedAndRaisesT5) {
  Harness h;
  auto r = h.reading(VitalKind::HeartRate, 300);
  EXPECT_FALSE(r.verified);
  EXPECT_TRUE(h.alert(RuleId::T5, "HR"));
  for (int i = 0; i < 20; ++i) {
    h.reading(VitalKind::HeartRate, 300);
    h.advance(1s);
  }
  EXPECT_FALSE(h.alert(RuleId::P6));
  h.reading(VitalKind::HeartRate, 80);
  EXPECT_FALSE(h.alert(RuleId::T5, "HR"));
}

}  // namespace
}  // namespace vigil::alerts::test
