// T1-T8 from real signals: silence, missing receipts, stale NIBP, device events.
#include <limits>

#include "alert_harness.hpp"
#include "alerts/clock_skew.hpp"

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
  h.stream(VitalKind::HeartRate, 80);  // numerics, not a cuff's pulse rate: it streams
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
  // A monitor streaming numerics (a NIBP-only monitor is not lost between cuffs, nor is one
  // that sends its cuff's pulse rate with the result).
  h.stream(VitalKind::HeartRate, 80);
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
  h.stop_infusion_after(4min, 125, 80);
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

// An HL7 monitor says the same by sending its SpO2 flagged invalid (OBX-11 X) message after
// message: that went unalarmed, with P8 blind, while a serial monitor's probe-off raised T6.
TEST(T6, SaturationTheMonitorFlagsInvalidIsTheProbeOff) {
  Harness h;
  h.start_infusion();
  h.reading(VitalKind::SpO2, 97);
  for (int i = 0; i < 63; ++i) {  // over 60 s in infusion: MEDIUM
    h.advance(1s);
    h.reading(VitalKind::HeartRate, 72);
    EXPECT_FALSE(h.reading(VitalKind::SpO2, 0, false).verified);
  }
  ASSERT_TRUE(h.alert(RuleId::T6));
  EXPECT_EQ(h.alert(RuleId::T6)->priority, Priority::Medium);
  h.reading(VitalKind::SpO2, 96);
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
// (A chair whose monitor streams numerics: 60 s. A NIBP-only or not yet known monitor waits
// for its first cuff: alarm_load_test.cpp.)
TEST(T7, SessionWithoutMonitorData) {
  Harness h;
  h.reading(VitalKind::HeartRate, 80);
  h.advance(1min);
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

// Two monitors of one model without OBX-18 both send MSH-3 "SureSignsVS", each naming its
// own chair in PV1-3 (a gateway names every chair's the same way): the name is no device's,
// so it proves no monitor feeds two sessions. This raised T7 MEDIUM before every infusion.
TEST(T7, AnApplicationNameSharedByTwoChairsIsNotOneMonitor) {
  Harness h;
  h.source = "SureSignsVS";
  h.source_is_device = false;
  ASSERT_TRUE(h.act(SessionActionKind::Begin).ok);
  h.bed = "BED2";
  ASSERT_TRUE(h.act(SessionActionKind::Begin).ok);
  h.reading(VitalKind::HeartRate, 80, true, "BED1");
  h.reading(VitalKind::HeartRate, 80, true, "BED2");
  h.advance(1s);
  EXPECT_FALSE(h.alert(RuleId::T7, "shared:SureSignsVS"));
  h.bed = "BED1";
  EXPECT_FALSE(h.alert(RuleId::T7, "shared:SureSignsVS"));
  // The same name given as a device's own (OBX-18) is one monitor on two chairs.
  h.source_is_device = true;
  h.reading(VitalKind::HeartRate, 80, true, "BED1");
  h.reading(VitalKind::HeartRate, 80, true, "BED2");
  h.advance(1s);
  EXPECT_TRUE(h.alert(RuleId::T7, "shared:SureSignsVS"));
}

// T8: log write failure MEDIUM, audio failure HIGH, on every chair
TEST(T8, SystemFailuresOnEveryChair) {
  Harness h;
  h.reading(VitalKind::HeartRate, 80, true, "BED1");
  h.reading(VitalKind::HeartRate, 80, true, "BED2");
  h.take(h.engine.on_system_event(SystemEvent{SystemEventKind::LogWriteFailed, 0, "disk full"}, h.now()));
  h.take(h.engine.on_system_event(SystemEvent{SystemEventKind::AudioFailed, 0, "no device"}, h.now()));
  for (std::string bed : {"BED1", "BED2"}) {
    h.bed = bed;
    ASSERT_TRUE(h.alert(RuleId::T8, "log"));
    EXPECT_EQ(h.alert(RuleId::T8, "log")->priority, Priority::Medium);
    EXPECT_NE(h.alert(RuleId::T8, "log")->message.find("disk full"), std::string::npos);
    EXPECT_EQ(h.alert(RuleId::T8, "audio")->priority, Priority::High);
  }
  h.take(h.engine.on_system_event(SystemEvent{SystemEventKind::LogWriteOk, 0, {}}, h.now()));
  EXPECT_FALSE(h.alert(RuleId::T8, "log"));
  EXPECT_TRUE(h.alert(RuleId::T8, "audio"));
}

// T8 per chair and source: a monitor clock off from Vigil's, measured from its messages.
ReadingResult stamped(Harness& h, VitalKind kind, double value, WallMillis device_offset_ms) {
  Reading r;
  r.bed = h.bed;
  r.kind = kind;
  r.value = value;
  r.received_at_ms = h.now().wall_ms;
  r.measured_at_ms = h.now().wall_ms + device_offset_ms;
  r.source = h.source;
  ReadingResult res = h.engine.on_reading(r, h.now());
  h.take(res);
  return res;
}

TEST(T8, MonitorClockFiveHoursAheadRaisedOnItsChairAndEndsWhenFixed) {
  constexpr WallMillis kFiveHours = 5 * 3'600'000;
  Harness h;
  h.reading(VitalKind::HeartRate, 80, true, "BED2");  // another chair, its clock right
  h.bed = "BED1";
  h.source = "MON7";
  // Judged from 3 messages on, raised once the skew has held 30 s while the monitor sends.
  for (int i = 0; i < 20; ++i) {
    EXPECT_FALSE(h.alert(RuleId::T8, "clock:MON7")) << "after " << i << " messages";
    stamped(h, VitalKind::HeartRate, 80, kFiveHours);
    stamped(h, VitalKind::SpO2, 97, kFiveHours);  // same message: one sample
    h.advance(1s);
  }
  h.advance(15s);  // the tick raises it, the monitor still counting as sending
  const auto a = h.alert(RuleId::T8, "clock:MON7");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->priority, Priority::Medium);
  EXPECT_NE(a->message.find("monitor clock is off by 5 h 0 min"), std::string::npos) << a->message;
  EXPECT_NE(a->message.find("ahead"), std::string::npos) << a->message;
  h.bed = "BED2";
  EXPECT_FALSE(h.alert(RuleId::T8, "clock:MON7"));
  EXPECT_FALSE(h.alert(RuleId::T8, "clock:MON1"));
  // The clock is fixed: the alert ends once most recent messages agree.
  h.bed = "BED1";
  for (int i = 0; i < 15 && h.alert(RuleId::T8, "clock:MON7"); ++i) {
    stamped(h, VitalKind::HeartRate, 80, -400);  // 1 s stamps and delays: never a skew
    h.advance(2s);
  }
  EXPECT_FALSE(h.alert(RuleId::T8, "clock:MON7"));
}

TEST(T8, ShortSkewAndSilentSourceDoNotFire) {
  // A step of the daemon's own wall clock, undone after 10 s: nothing.
  Harness h;
  for (int i = 0; i < 40; ++i) {
    stamped(h, VitalKind::HeartRate, 80, (i >= 10 && i < 20) ? -3'600'000 : 0);
    h.advance(1s);
  }
  EXPECT_FALSE(h.alert(RuleId::T8, "clock:MON1"));
  // A skewed source that goes silent is T1's, not judged until it sends again.
  for (int i = 0; i < 5; ++i) {
    stamped(h, VitalKind::HeartRate, 80, 3'600'000);
    h.advance(1s);
  }
  h.advance(60s);
  EXPECT_FALSE(h.alert(RuleId::T8, "clock:MON1"));
}

TEST(T8, NormalDelaysAndOneOddStampDoNotFire) {
  Harness h;
  for (int i = 0; i < 20; ++i) {
    stamped(h, VitalKind::HeartRate, 80, -900);                     // 1 s stamp resolution
    if (i % 5 == 0) stamped(h, VitalKind::NibpSys, 120, -170'000);  // NIBP arrives after the cuff
    if (i == 7) stamped(h, VitalKind::SpO2, 97, 253'402'300'799'000 - h.now().wall_ms);  // year 9999
    h.advance(2s);
  }
  EXPECT_FALSE(h.alert(RuleId::T8, "clock:MON1"));
}

TEST(ClockSkew, YearsAndGarbageNeverOverflow) {
  ClockSkewMeter m;
  m.add(1'000, std::numeric_limits<WallMillis>::max());
  m.add(2'000, std::numeric_limits<WallMillis>::min());
  EXPECT_FALSE(m.estimate_ms());
  m.add(3'000, 253'402'300'799'000);  // 9999-12-31T23:59:59Z
  ASSERT_TRUE(m.estimate_ms());
  EXPECT_LT(*m.estimate_ms(), 0);
  EXPECT_EQ(skew_text(-5 * 3'600'000 + 700), "5 h 0 min");
  EXPECT_EQ(skew_text(450'000), "7 min 30 s");
  EXPECT_EQ(skew_text(12'400), "12 s");
  EXPECT_FALSE(skew_text(std::numeric_limits<std::int64_t>::min()).empty());
  EXPECT_FALSE(skew_text(std::numeric_limits<std::int64_t>::max()).empty());
}

// T8 "unreadable:<source>": a monitor sends observations Vigil cannot read | MEDIUM, per
// chair and source; ends after t8.unreadable_clear (10 min) without any from that source.
TEST(T8, UnreadableDataFromAMonitorUntilTenQuietMinutes) {
  Harness h;
  h.reading(VitalKind::HeartRate, 80);
  DeviceEvent e = device(h, DeviceEventKind::Unreadable);
  e.text = "OBX-3 101^HR";
  h.take(h.engine.on_device_event(e, h.now()));
  auto a = h.alert(RuleId::T8, "unreadable:MON1");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->priority, Priority::Medium);
  EXPECT_EQ(a->kind, AlertKind::Technical);
  EXPECT_EQ(a->message, "monitor on BED1 sends data Vigil cannot read: OBX-3 101^HR");
  // More unreadable data keeps it up; the quiet period counts from the last.
  h.advance(9min);
  e.text = "OBX-3 9001^SYS^LOCAL";
  h.take(h.engine.on_device_event(e, h.now()));
  h.advance(9min);
  ASSERT_TRUE(h.alert(RuleId::T8, "unreadable:MON1"));
  EXPECT_NE(h.alert(RuleId::T8, "unreadable:MON1")->message.find("9001^SYS^LOCAL"), std::string::npos);
  h.advance(61s);
  EXPECT_FALSE(h.alert(RuleId::T8, "unreadable:MON1"));
  EXPECT_EQ(h.count(RuleId::T8, TransitionKind::Resolved), 1);
}

}  // namespace
}  // namespace vigil::alerts::test
