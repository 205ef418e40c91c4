// Alarm behaviour shared by all rules: audio pause, escalation, acknowledgment, ids, order.
#include <set>

#include "alert_harness.hpp"

namespace vigil::alerts::test {
namespace {

TEST(AudioPause, PausesTheSoundingAlarms) {
  Harness h;
  confirmed_p2(h);
  ASSERT_TRUE(h.pause("nurse3").ok);
  EXPECT_TRUE(h.engine.audio_paused(h.bed));
  EXPECT_EQ(h.alert(RuleId::P2)->state, AlertState::AudioPaused);
  ASSERT_EQ(h.count(RuleId::P2, TransitionKind::AudioPaused), 1);
  EXPECT_EQ(h.of(RuleId::P2).back().user, "nurse3");
}

TEST(AudioPause, ExpiresAfterTwoMinutes) {
  Harness h;
  confirmed_p2(h);
  ASSERT_FALSE(h.alert(RuleId::P4));  // covered by P2: only P2 in play
  ASSERT_TRUE(h.pause().ok);
  h.advance(119s);
  EXPECT_EQ(h.alert(RuleId::P2)->state, AlertState::AudioPaused);
  h.advance(1s);
  EXPECT_EQ(h.alert(RuleId::P2)->state, AlertState::Active);
  EXPECT_FALSE(h.engine.audio_paused(h.bed));
  EXPECT_EQ(h.count(RuleId::P2, TransitionKind::AudioResumed), 1);
}

TEST(AudioPause, NewEqualPriorityAlarmOverridesIt) {
  Harness h;
  confirmed_p2(h);  // MEDIUM
  ASSERT_TRUE(h.pause().ok);
  h.vital_for(VitalKind::HeartRate, 135, 16s);  // P6 MEDIUM
  ASSERT_TRUE(h.alert(RuleId::P6));
  EXPECT_EQ(h.alert(RuleId::P6)->state, AlertState::Active);
  EXPECT_EQ(h.alert(RuleId::P2)->state, AlertState::Active);
  EXPECT_FALSE(h.engine.audio_paused(h.bed));
  EXPECT_EQ(h.count(RuleId::P2, TransitionKind::AudioResumed), 1);
}

TEST(AudioPause, NewHigherPriorityAlarmOverridesIt) {
  Harness h;
  confirmed_p2(h);
  ASSERT_TRUE(h.pause().ok);
  h.nibp(205, 100);  // P1 HIGH (P2 also rises to HIGH: present at the next reading)
  EXPECT_EQ(h.alert(RuleId::P1)->state, AlertState::Active);
  EXPECT_FALSE(h.engine.audio_paused(h.bed));
}

TEST(AudioPause, NewLowerPriorityAlarmDoesNot) {
  Harness h;
  h.vital_for(VitalKind::HeartRate, 135, 16s);  // P6 MEDIUM
  ASSERT_TRUE(h.pause().ok);
  h.reading(VitalKind::HeartRate, 135);
  h.nibp(162, 85);  // P4 LOW
  ASSERT_TRUE(h.alert(RuleId::P4));
  EXPECT_EQ(h.alert(RuleId::P4)->state, AlertState::AudioPaused);
  EXPECT_EQ(h.alert(RuleId::P6)->state, AlertState::AudioPaused);
  EXPECT_TRUE(h.engine.audio_paused(h.bed));
}

TEST(AudioPause, PausedAlarmsStillEscalate) {
  Harness h;
  confirmed_p2(h);
  ASSERT_TRUE(h.pause().ok);
  h.advance(2min + 1s);
  EXPECT_EQ(h.count(RuleId::P2, TransitionKind::Escalated), 1);
}

TEST(Acknowledge, RefusedForUnknownIdsBedsAndTwice) {
  Harness h;
  confirmed_p2(h);
  auto r = h.ack("BED1-P2-999");
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.reason.find("no active alert"), std::string::npos);
  r = h.engine.acknowledge("BED77", h.alert(RuleId::P2)->id, "nurse1", h.now());
  EXPECT_FALSE(r.ok);
  const std::string id = h.alert(RuleId::P2)->id;
  ASSERT_TRUE(h.ack(id).ok);
  r = h.ack(id, "nurse2");
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.reason.find("already acknowledged by nurse1"), std::string::npos);
  EXPECT_FALSE(h.ack(id, "").ok);
}

TEST(Acknowledge, AcknowledgedAlarmMustBeAcknowledgedAgainWhenItRises) {
  Harness h;
  confirmed_p2(h);
  ASSERT_TRUE(h.ack(h.alert(RuleId::P2)->id).ok);
  h.nibp(188, 90);  // present at the next reading: HIGH
  EXPECT_EQ(h.alert(RuleId::P2)->priority, Priority::High);
  EXPECT_EQ(h.alert(RuleId::P2)->state, AlertState::Active);
}

TEST(ActiveAlerts, SortedByPriorityThenOnset) {
  Harness h;
  h.nibp(162, 85);  // P4 LOW first
  h.advance(10s);
  h.vital_for(VitalKind::SpO2, 88, 16s);        // P8 MEDIUM
  h.vital_for(VitalKind::HeartRate, 155, 16s);  // P6 HIGH
  const auto alerts = h.engine.active_alerts(h.bed);
  std::vector<RuleId> phys;
  for (const Alert& a : alerts) {
    if (a.kind == AlertKind::Physiological) phys.push_back(a.rule);
  }
  ASSERT_EQ(phys, (std::vector<RuleId>{RuleId::P6, RuleId::P8, RuleId::P4}));
  for (std::size_t i = 1; i < alerts.size(); ++i) {
    EXPECT_TRUE(alerts[i - 1].priority > alerts[i].priority ||
                (alerts[i - 1].priority == alerts[i].priority && alerts[i - 1].onset <= alerts[i].onset));
  }
}

// A face that first hears of an alert by a later transition (its confirmation, its rise to
// HIGH) orders it by when it began: every transition names the onset, not only the first.
// Without it, a P2 that rose to HIGH beside a new P1 sorted under it on a running board and
// above it on a freshly connected one.
TEST(Transitions, NameTheAlertsOnsetEveryTime) {
  Harness h;
  h.start_infusion();
  for (double sys : {186.0, 189.0, 190.0, 204.0}) {  // advisory, confirmed, then HIGH
    h.advance(5min);
    h.nibp(sys, 100);
  }
  const auto p2 = h.of(RuleId::P2);
  ASSERT_GE(p2.size(), 3u);
  const WallMillis onset = p2.front().wall_ms;
  EXPECT_EQ(p2.back().kind, TransitionKind::PriorityChanged);
  for (const AlertTransition& t : p2) {
    EXPECT_EQ(t.onset_wall_ms, onset) << static_cast<int>(t.kind);
  }
  EXPECT_GT(p2.back().wall_ms, onset);
}

TEST(Transitions, CarryEverythingTheLogNeeds) {
  Harness h;
  h.start_infusion();
  h.nibp(166, 85);
  h.nibp(166, 85);
  const auto p3 = h.of(RuleId::P3);
  ASSERT_EQ(p3.size(), 2u);
  const AlertTransition& t = p3[1];
  EXPECT_EQ(t.kind, TransitionKind::Confirmed);
  EXPECT_EQ(t.bed, "BED1");
  EXPECT_EQ(t.alert_id, p3[0].alert_id);
  EXPECT_EQ(t.priority, Priority::Medium);
  EXPECT_EQ(t.state, AlertState::Active);
  EXPECT_EQ(t.alert_kind, AlertKind::Physiological);
  EXPECT_EQ(t.value, 166);
  EXPECT_EQ(t.limit, 162);
  EXPECT_EQ(t.baseline, 122);
  EXPECT_EQ(t.profile, "default");
  EXPECT_EQ(t.phase, Phase::Infusion);
  EXPECT_EQ(t.wall_ms, h.now().wall_ms);
  EXPECT_EQ(t.mono, h.now().mono);
  EXPECT_NE(t.limits.find("B+40"), std::string::npos);
  EXPECT_EQ(p3[0].alert_kind, AlertKind::Advisory);
}

TEST(Burst, ThousandAlertsInOrderWithUniqueIds) {
  EngineLimits limits;
  limits.max_beds = 1000;
  AlertEngine engine({}, limits);
  Now now{MonoTime{} + 1h, 1'790'000'000'000};
  for (int i = 0; i < 1000; ++i) {
    Reading r;
    r.bed = "B" + std::to_string(i);
    r.kind = VitalKind::HeartRate;
    r.value = 80;
    r.source = "M" + std::to_string(i);
    ASSERT_TRUE(engine.on_reading(r, now).accepted);
  }
  EngineOutput out = engine.on_system_event(SystemEvent{SystemEventKind::AudioFailed, 0, "card gone"}, now);
  ASSERT_EQ(out.transitions.size(), 1000u);
  std::set<std::string> ids;
  for (std::size_t i = 0; i < out.transitions.size(); ++i) {
    const AlertTransition& t = out.transitions[i];
    EXPECT_EQ(t.rule, RuleId::T8);
    EXPECT_EQ(t.priority, Priority::High);
    if (i > 0) {
      EXPECT_GT(t.seq, out.transitions[i - 1].seq);
    }
    ids.insert(t.alert_id);
  }
  EXPECT_EQ(ids.size(), 1000u);
  // The 1001st bed is refused, not grown.
  Reading extra;
  extra.bed = "B-extra";
  EXPECT_FALSE(engine.on_reading(extra, now).accepted);
}

}  // namespace
}  // namespace vigil::alerts::test
