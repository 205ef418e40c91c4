// T1-T8 from real signals: silence, missing receipts, stale NIBP, device events.
#include "alert_harness.hpp"

namespace vigil::alerts::test {
namespace {

DeviceEvent device(const Harness& h, DeviceEventKind kind, std::string code = {}) {
  DeviceEvent e;
  e.bed = h.bed;
  e.source = h.source;
  e.kind = kind;
  e.code = std::move(code);
  return e;
}

// T1: no data and no heartbeat for > 15 s | MEDIUM during infusion, else LOW
TEST(T1, SilentDeviceAfterFifteenSeconds) {
  Harness h;
  h.start_infusion();
  h.take(h.engine.on_dashboard_confirmed(h.now()));
  h.reading(VitalKind::HeartRate, 80);
  h.advance(15s);
  EXPECT_FALSE(h.alert(RuleId::T1, "MON1"));
  h.advance(250ms);
  auto a = h.alert(RuleId::T1, "MON1");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->priority, Priority::Medium);
  EXPECT_EQ(a->kind, AlertKind::Technical);
  EXPECT_NE(a->message.find("No data from MON1"), std::string::npos);
  h.reading(VitalKind::HeartRate, 80);
  EXPECT_FALSE(h.alert(RuleId::T1, "MON1"));
}

TEST(T1, LowWithoutSessionAndHeartbeatsKeepItQuiet) {
  Harness h;
  h.reading(VitalKind::HeartRate, 80);
  for (int i = 0; i < 10; ++i) {
    h.advance(5s);
    h.take(h.engine.on_device_event(device(h, DeviceEventKind::Heartbeat), h.now()));
  }
  EXPECT_FALSE(h.alert(RuleId::T1, "MON1"));
  h.advance(16s);
  ASSERT_TRUE(h.alert(RuleId::T1, "MON1"));
  EXPECT_EQ(h.alert(RuleId::T1, "MON1")->priority, Priority::Low);
}

TEST(T1, PriorityFollowsThePhase) {
  Harness h;
  ASSERT_TRUE(h.act(SessionActionKind::Begin).ok);
  // A monitor streaming numerics (a NIBP-only monitor is not lost between cuffs).
  h.reading(VitalKind::HeartRate, 80);
  h.nibp(120, 80);
  h.advance(3min);
  ASSERT_EQ(h.alert(RuleId::T1, "MON1")->priority, Priority::Low);
  h.nibp(124, 80);
  h.advance(16s);
  ASSERT_TRUE(h.act(SessionActionKind::StartInfusion).ok);
  EXPECT_EQ(h.alert(RuleId::T1, "MON1")->priority, Priority::Medium);
  EXPECT_GE(h.count(RuleId::T1, TransitionKind::PriorityChanged), 1);
}

// T2: no dashboard confirmed receipt for 30 s during an infusion | HIGH
TEST(T2, NoDashboardReceiptDuringInfusion) {
  Harness h;
  h.start_infusion();
  h.advance(30s);
  EXPECT_FALSE(h.alert(RuleId::T2));
  h.advance(1s);
  ASSERT_TRUE(h.alert(RuleId::T2));
  EXPECT_EQ(h.alert(RuleId::T2)->priority, Priority::High);
  h.take(h.engine.on_dashboard_confirmed(h.now()));
  EXPECT_FALSE(h.alert(RuleId::T2));
  h.advance(31s);
  EXPECT_TRUE(h.alert(RuleId::T2));
  ASSERT_TRUE(h.act(SessionActionKind::StopInfusion).ok);
  EXPECT_FALSE(h.alert(RuleId::T2));
}

TEST(T2, NotOutsideAnInfusion) {
  Harness h;
  ASSERT_TRUE(h.act(SessionActionKind::Begin).ok);
  h.advance(2min);
  EXPECT_FALSE(h.alert(RuleId::T2));
}

// T3: no valid NIBP within cycle + 2 min | MEDIUM during infusion, LOW in recovery
TEST(T3, StaleNibpDuringInfusion) {
  Harness h;
  h.start_infusion();
  h.advance(7min);
  EXPECT_FALSE(h.alert(RuleId::T3));
  h.advance(1s);
  ASSERT_TRUE(h.alert(RuleId::T3));
  EXPECT_EQ(h.alert(RuleId::T3)->priority, Priority::Medium);
  h.nibp(125, 80);
  EXPECT_FALSE(h.alert(RuleId::T3));
}

TEST(T3, RecoveryUsesTheLongerCycleAndLowPriority) {
  Harness h;
  h.start_infusion();
  h.advance(4min);
  h.nibp(125, 80);
  ASSERT_TRUE(h.act(SessionActionKind::StopInfusion).ok);
  h.advance(11min);
  EXPECT_FALSE(h.alert(RuleId::T3));  // 10 min cycle + 2
  h.advance(1min + 1s);
  ASSERT_TRUE(h.alert(RuleId::T3));
  EXPECT_EQ(h.alert(RuleId::T3)->priority, Priority::Low);
}

// T4: NIBP measurement failed | each LOW; 2 in a row MEDIUM
TEST(T4, FailedMeasurementsFromTheMonitor) {
  Harness h;
  h.take(h.engine.on_device_event(device(h, DeviceEventKind::NibpFailed, "E12"), h.now()));
  ASSERT_TRUE(h.alert(RuleId::T4));
  EXPECT_EQ(h.alert(RuleId::T4)->priority, Priority::Low);
  EXPECT_NE(h.alert(RuleId::T4)->message.find("E12"), std::string::npos);
  h.take(h.engine.on_device_event(device(h, DeviceEventKind::NibpFailed, "E12"), h.now()));
  EXPECT_EQ(h.alert(RuleId::T4)->priority, Priority::Medium);
  h.nibp(120, 80);
  EXPECT_FALSE(h.alert(RuleId::T4));
  h.take(h.engine.on_device_event(device(h, DeviceEventKind::NibpFailed), h.now()));
  EXPECT_EQ(h.alert(RuleId::T4)->priority, Priority::Low);  // the count restarted
}

// T5: implausible reading | unverified, physiological rules suppressed except P1 | LOW
TEST(T5, NarrowPulsePressureIsUnverified) {
  Harness h;
  auto r = h.nibp(120, 110);
  EXPECT_FALSE(r.verified);
  ASSERT_TRUE(h.alert(RuleId::T5, "NIBP"));
  EXPECT_EQ(h.alert(RuleId::T5, "NIBP")->priority, Priority::Low);
  EXPECT_FALSE(h.alert(RuleId::P2));  // DBP 110 would be a P2 advisory
  EXPECT_FALSE(h.alert(RuleId::P4));
}

TEST(T5, SystolicNotAboveDiastolic) {
  Harness h;
  EXPECT_FALSE(h.nibp(80, 90).verified);
  EXPECT_NE(h.alert(RuleId::T5, "NIBP")->message.find("SBP 80 <= DBP 90"), std::string::npos);
}

TEST(T5, JumpIsUnverifiedUntilTheNextReadingAgrees) {
  Harness h;
  h.nibp(120, 80);
  h.advance(5min);
  EXPECT_FALSE(h.nibp(182, 100).verified);
  EXPECT_FALSE(h.alert(RuleId::P2));
  h.advance(1min);
  EXPECT_TRUE(h.nibp(184, 100).verified);
  EXPECT_FALSE(h.alert(RuleId::T5, "NIBP"));
  // The repeat verifies the jump, and the jumped reading counts as the first of the two
  // readings P2 needs: the alarm comes with the reading that confirms it, not a cycle later.
  ASSERT_TRUE(h.alert(RuleId::P2));
  EXPECT_EQ(h.alert(RuleId::P2)->state, AlertState::Active);
}

// T6: SpO2 probe off | > 30 s LOW; > 60 s during infusion MEDIUM
TEST(T6, ProbeOff) {
  Harness h;
  h.start_infusion();
  h.take(h.engine.on_device_event(device(h, DeviceEventKind::ProbeOff), h.now()));
  h.advance(30s);
  EXPECT_FALSE(h.alert(RuleId::T6));
  h.advance(1s);
  ASSERT_TRUE(h.alert(RuleId::T6));
  EXPECT_EQ(h.alert(RuleId::T6)->priority, Priority::Low);
  h.advance(30s);
  EXPECT_EQ(h.alert(RuleId::T6)->priority, Priority::Medium);
  h.reading(VitalKind::SpO2, 97);
  EXPECT_FALSE(h.alert(RuleId::T6));
}

TEST(T6, ProbeOnEventEndsIt) {
  Harness h;
  h.take(h.engine.on_device_event(device(h, DeviceEventKind::ProbeOff), h.now()));
  h.advance(2min);
  EXPECT_EQ(h.alert(RuleId::T6)->priority, Priority::Low);  // no infusion: stays LOW
  h.take(h.engine.on_device_event(device(h, DeviceEventKind::ProbeOn), h.now()));
  EXPECT_FALSE(h.alert(RuleId::T6));
}

// T7: monitor not bound to a session, or bound to two | before infusion start | MEDIUM
TEST(T7, SessionWithoutMonitorData) {
  Harness h;
  ASSERT_TRUE(h.act(SessionActionKind::Begin).ok);
  EXPECT_EQ(h.engine.phase(h.bed), Phase::Setup);
  h.advance(60s);
  EXPECT_FALSE(h.alert(RuleId::T7, "unbound"));
  h.advance(1s);
  ASSERT_TRUE(h.alert(RuleId::T7, "unbound"));
  EXPECT_EQ(h.alert(RuleId::T7, "unbound")->priority, Priority::Medium);
  h.reading(VitalKind::HeartRate, 80);
  EXPECT_EQ(h.engine.phase(h.bed), Phase::Baseline);
  h.advance(1s);
  EXPECT_FALSE(h.alert(RuleId::T7, "unbound"));
}

TEST(T7, OneMonitorFeedingTwoSessions) {
  Harness h;
  ASSERT_TRUE(h.act(SessionActionKind::Begin).ok);
  h.bed = "BED2";
  ASSERT_TRUE(h.act(SessionActionKind::Begin).ok);
  h.reading(VitalKind::HeartRate, 80, true, "BED1");
  h.reading(VitalKind::HeartRate, 80, true, "BED2");
  h.advance(1s);
  EXPECT_TRUE(h.alert(RuleId::T7, "shared:MON1"));
  h.bed = "BED1";
  EXPECT_TRUE(h.alert(RuleId::T7, "shared:MON1"));
}

// T8: log write failure MEDIUM, audio failure HIGH, clock skew > 2 s MEDIUM, on every chair
TEST(T8, SystemFailuresOnEveryChair) {
  Harness h;
  h.reading(VitalKind::HeartRate, 80, true, "BED1");
  h.reading(VitalKind::HeartRate, 80, true, "BED2");
  h.take(h.engine.on_system_event(SystemEvent{SystemEventKind::LogWriteFailed, 0, "disk full"}, h.now()));
  h.take(h.engine.on_system_event(SystemEvent{SystemEventKind::AudioFailed, 0, "no device"}, h.now()));
  h.take(h.engine.on_system_event(SystemEvent{SystemEventKind::ClockSkew, 1.5, {}}, h.now()));
  for (std::string bed : {"BED1", "BED2"}) {
    h.bed = bed;
    ASSERT_TRUE(h.alert(RuleId::T8, "log"));
    EXPECT_EQ(h.alert(RuleId::T8, "log")->priority, Priority::Medium);
    EXPECT_NE(h.alert(RuleId::T8, "log")->message.find("disk full"), std::string::npos);
    EXPECT_EQ(h.alert(RuleId::T8, "audio")->priority, Priority::High);
    EXPECT_FALSE(h.alert(RuleId::T8, "clock"));
  }
  h.take(h.engine.on_system_event(SystemEvent{SystemEventKind::ClockSkew, 2.5, {}}, h.now()));
  EXPECT_TRUE(h.alert(RuleId::T8, "clock"));
  h.take(h.engine.on_system_event(SystemEvent{SystemEventKind::LogWriteOk, 0, {}}, h.now()));
  EXPECT_FALSE(h.alert(RuleId::T8, "log"));
  EXPECT_TRUE(h.alert(RuleId::T8, "audio"));
}

}  // namespace
}  // namespace vigil::alerts::test
