#pragma once
// Test harness for the alert engine: a fake clock that only moves when a test says so,
// helpers that feed readings the way a monitor sends them, and a log of every transition.

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "alerts/alert_engine.hpp"

namespace vigil::alerts::test {

using namespace std::chrono_literals;

class Harness {
 public:
  explicit Harness(std::vector<RuleProfile> profiles = {}) : engine(std::move(profiles)) {}

  AlertEngine engine;
  std::string bed = "BED1";
  std::string source = "MON1";
  bool source_is_device = true;  // false: `source` is only a sending application (MSH-3)
  Duration elapsed{0};
  std::vector<AlertTransition> log;
  std::vector<SessionEvent> events;
  std::vector<NibpVerdict> verdicts;
  static constexpr WallMillis kWall0 = 1'790'000'000'000;  // 2026-09-21
  /// A host clock step (NTP): moves wall time only, never `mono` (clock_step_test.cpp).
  WallMillis wall_step_ms = 0;

  Now now() const { return Now{MonoTime{} + 1h + elapsed, kWall0 + elapsed.count() + wall_step_ms}; }

  void take(const EngineOutput& out) {
    log.insert(log.end(), out.transitions.begin(), out.transitions.end());
    events.insert(events.end(), out.session_events.begin(), out.session_events.end());
    verdicts.insert(verdicts.end(), out.nibp_verdicts.begin(), out.nibp_verdicts.end());
  }

  /// Moves the fake clock forward, ticking every 250 ms like the daemon does.
  void advance(Duration d) {
    const Duration end = elapsed + d;
    while (elapsed < end) {
      elapsed = std::min(end, elapsed + Duration(250));
      take(engine.tick(now()));
    }
  }

  ReadingResult reading(VitalKind kind, double value, bool valid = true, const std::string& bed_name = {}) {
    Reading r;
    r.bed = bed_name.empty() ? bed : bed_name;
    r.kind = kind;
    r.value = value;
    r.measured_at_ms = now().wall_ms;
    r.received_at_ms = now().wall_ms;
    r.source = source;
    r.source_is_device = source_is_device;
    r.valid = valid;
    ReadingResult res = engine.on_reading(r, now());
    take(res);
    return res;
  }

  /// A NIBP measurement stamped by the monitor at `measured_ms` (wall), arriving now: a
  /// monitor sending an earlier result again passes that result's time.
  ReadingResult nibp_measured_at(double sys, double dia, WallMillis measured_ms) {
    ReadingResult res;
    for (auto [kind, value] : {std::pair{VitalKind::NibpSys, sys}, std::pair{VitalKind::NibpDia, dia},
                               std::pair{VitalKind::NibpMean, dia + (sys - dia) / 3.0}}) {
      Reading r;
      r.bed = bed;
      r.kind = kind;
      r.value = value;
      r.measured_at_ms = measured_ms;
      r.received_at_ms = now().wall_ms;
      r.source = source;
      res = engine.on_reading(r, now());
      take(res);
    }
    return res;
  }

  /// The monitor takes back its NIBP result stamped `measured_ms` (OBX-11 W, or D): its three
  /// parts, each withdrawn, as a correction arrives.
  ReadingResult withdraw_nibp(WallMillis measured_ms, const std::string& status = "W") {
    ReadingResult res;
    for (VitalKind kind : {VitalKind::NibpSys, VitalKind::NibpDia, VitalKind::NibpMean}) {
      Reading r;
      r.bed = bed;
      r.kind = kind;
      r.value = 0;
      r.measured_at_ms = measured_ms;
      r.received_at_ms = now().wall_ms;
      r.source = source;
      r.valid = false;
      r.status = status;
      res = engine.on_reading(r, now());
      take(res);
    }
    return res;
  }

  /// One NIBP measurement: SYS, DIA and MEAN as a monitor sends them.
  ReadingResult nibp(double sys, double dia, const std::string& bed_name = {}) {
    reading(VitalKind::NibpSys, sys, true, bed_name);
    reading(VitalKind::NibpDia, dia, true, bed_name);
    return reading(VitalKind::NibpMean, dia + (sys - dia) / 3.0, true, bed_name);
  }

  /// A monitor streaming this vital at 1 Hz for a few seconds, one message a second without
  /// a cuff's result (what makes T1 treat it as streaming). Ends at its last reading.
  void stream(VitalKind kind, double value, const std::string& bed_name = {}) {
    for (int i = 0; i < 3; ++i) {
      if (i > 0) advance(1s);
      reading(kind, value, true, bed_name);
    }
  }

  /// A continuous vital sampled every second for `d`.
  void vital_for(VitalKind kind, double value, Duration d) {
    const Duration end = elapsed + d;
    while (elapsed < end) {
      reading(kind, value);
      advance(1s);
    }
  }

  ActionResult act(SessionActionKind kind, const std::string& user = "nurse1") {
    SessionAction a;
    a.bed = bed;
    a.kind = kind;
    a.user = user;
    a.patient = "patient A";
    a.planned_minutes = 40;
    ActionResult r = engine.session_action(a, now());
    take(r);
    return r;
  }

  ActionResult override_baseline(double sys, double dia, const std::string& user = "dr1") {
    SessionAction a;
    a.bed = bed;
    a.kind = SessionActionKind::OverrideBaseline;
    a.user = user;
    a.override_sys = sys;
    a.override_dia = dia;
    ActionResult r = engine.session_action(a, now());
    take(r);
    return r;
  }

  ActionResult ack(const std::string& id, const std::string& user = "nurse1") {
    ActionResult r = engine.acknowledge(bed, id, user, now());
    take(r);
    return r;
  }

  ActionResult pause(const std::string& user = "nurse1") {
    ActionResult r = engine.pause_audio(bed, user, now());
    take(r);
    return r;
  }

  /// Session begun, baseline from two agreeing readings (120/80, 124/82), infusion started.
  void start_infusion(double sys = 120, double dia = 80) {
    ASSERT_TRUE(act(SessionActionKind::Begin).ok);
    nibp(sys, dia);
    advance(3min);
    nibp(sys + 4, dia + 2);
    ActionResult r = act(SessionActionKind::StartInfusion);
    ASSERT_TRUE(r.ok) << r.reason;
  }

  /// One infusion reading `after` later, then the infusion stopped: the chair in recovery.
  void stop_infusion_after(Duration after, double sys, double dia) {
    advance(after);
    nibp(sys, dia);
    ActionResult r = act(SessionActionKind::StopInfusion);
    ASSERT_TRUE(r.ok) << r.reason;
  }

  /// The live alert of a rule on the harness bed, or nullopt.
  std::optional<Alert> alert(RuleId rule, const std::string& subject = {}) const {
    for (const Alert& a : engine.active_alerts(bed)) {
      if (a.rule == rule && a.subject == subject) return a;
    }
    return std::nullopt;
  }

  /// Transitions of a rule (optionally of one kind) logged so far.
  std::vector<AlertTransition> of(RuleId rule) const {
    std::vector<AlertTransition> out;
    for (const auto& t : log) {
      if (t.rule == rule) out.push_back(t);
    }
    return out;
  }
  int count(RuleId rule, TransitionKind kind) const {
    return static_cast<int>(std::count_if(
        log.begin(), log.end(), [&](const AlertTransition& t) { return t.rule == rule && t.kind == kind; }));
  }
  /// Any physiological alarm (not advisory) above LOW ever raised or confirmed.
  bool any_alarm_above_low() const {
    return std::any_of(log.begin(), log.end(), [](const AlertTransition& t) {
      return t.alert_kind != AlertKind::Advisory && t.priority > Priority::Low &&
             (t.kind == TransitionKind::Raised || t.kind == TransitionKind::Confirmed ||
              t.kind == TransitionKind::PriorityChanged);
    });
  }
};

/// A P2 (two NIBP readings at 184-186 systolic) raised and active.
inline void confirmed_p2(Harness& h) {
  h.nibp(184, 90);
  h.nibp(186, 90);
  ASSERT_EQ(h.alert(RuleId::P2)->state, AlertState::Active);
}

}  // namespace vigil::alerts::test
