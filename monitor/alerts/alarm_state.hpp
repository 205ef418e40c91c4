#pragma once
// The alarm state machine of one chair: every alert of the bed, the chair's audio pause and
// escalation timers. Rules decide *when* a condition holds; this class decides what that
// means for the alert and records every change as an AlertTransition.
//
//   condition (needs confirmation)       repeat reading agrees
//   ─────────────────────────────► ADVISORY ─────────────────────────┐ (Confirmed)
//                                     │ repeat reading disagrees     │
//                                     └──────────────► RESOLVED      ▼
//   condition (no confirmation) ────────────────────────────────► ACTIVE ◄────────────┐
//                                                    pause_audio │  ▲ pause expires /  │
//                                                                ▼  │ overridden       │
//                                                            AUDIO_PAUSED              │
//   ACTIVE / AUDIO_PAUSED ── acknowledge ──► ACKNOWLEDGED ── clear criteria ──► RESOLVED│
//   ACTIVE / AUDIO_PAUSED ── clear criteria, latching ──► LATCHED ── acknowledge ──► RESOLVED
//   ACTIVE / AUDIO_PAUSED ── clear criteria, not latching ──► RESOLVED                 │
//   LATCHED ── condition returns (Reactivated) ────────────────────────────────────────┘
//   ACKNOWLEDGED ── priority raised (P2 -> HIGH) ──► ACTIVE (must be acknowledged again)
//   ACKNOWLEDGED ── a new NIBP reading meets the rule (Reactivated) ──► ACTIVE
//
// Audio pause (per chair, 2 min): pauses the alarms sounding now. An alarm that starts to
// sound during the pause with a priority >= the highest paused one ends the pause for the
// chair (everything sounds again); a lower one joins the pause.
// Escalation: HIGH/MEDIUM alarms unacknowledged for 2 min get one Escalated transition; the
// 2 min count from when the alarm last started to sound (raised, confirmed, priority raised,
// reactivated), so an alarm never escalates seconds after a re-sound.
//
// Threading: none. The engine calls it from one thread (the daemon's io thread).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "alerts/alert_types.hpp"
#include "alerts/rule_profile.hpp"

namespace vigil::alerts {

/// What a rule hands over when it raises or refreshes an alert.
struct AlertSpec {
  RuleId rule = RuleId::P1;
  std::string subject;
  AlertKind kind = AlertKind::Physiological;  // Physiological or Technical (advisory is a state)
  Priority priority = Priority::Low;
  std::optional<double> value;
  std::optional<double> limit;
  std::optional<double> baseline;
  std::optional<VitalKind> metric;        // physiological rules: the vital that crossed,
  Direction direction = Direction::None;  // and which way
  std::string message;
  std::string limits;
  bool latching = false;
  Duration high_if_unacknowledged{0};  // 0: no time-based rise to HIGH (P2 uses 5 min)
};

/// An AlertSpec with what every rule sets; the rule fills in value, limit and text.
inline AlertSpec make_spec(RuleId rule, std::string subject, AlertKind kind, Priority priority) {
  AlertSpec s;
  s.rule = rule;
  s.subject = std::move(subject);
  s.kind = kind;
  s.priority = priority;
  return s;
}

/// Engine-wide counters shared by all beds: transition order and alert numbers.
struct Counters {
  std::uint64_t next_seq = 1;
  std::uint64_t next_alert_number = 1;
};

/// Everything a transition needs besides the alert: when, in what phase and profile, and
/// where to append it.
struct Emit {
  Now now;
  Phase phase = Phase::Monitoring;
  std::string profile;
  Counters* counters = nullptr;
  std::vector<AlertTransition>* out = nullptr;
};

class AlertBook {
 public:
  explicit AlertBook(std::string bed) : bed_(std::move(bed)) {}

  /// The live (not resolved) alert of a rule and subject, or nullptr.
  Alert* find(RuleId rule, std::string_view subject = {});
  const Alert* find_id(std::string_view id) const;

  /// A new alert: an advisory (waits for confirmation) or an alarm at once.
  Alert& raise(const AlertSpec& spec, bool advisory, Emit& emit);
  /// ADVISORY -> ACTIVE at the spec's priority.
  void confirm(Alert& alert, const AlertSpec& spec, Emit& emit);
  /// Refreshes value and message without a transition (the condition simply persists).
  static void refresh(Alert& alert, const AlertSpec& spec);
  /// Priority change; a raise re-arms acknowledgment and may override the audio pause.
  void set_priority(Alert& alert, Priority priority, std::string message, Emit& emit);
  /// LATCHED -> ACTIVE when the condition comes back.
  void reactivate(Alert& alert, const AlertSpec& spec, Emit& emit);
  /// Clear criteria met: RESOLVED if acknowledged or not latching, else LATCHED.
  void condition_gone(Alert& alert, std::string message, Emit& emit);
  /// Straight to RESOLVED (advisory not confirmed, override recorded, ...).
  /// `user`: who ended it by an action (a prescriber's override), for the alert log.
  void resolve(Alert& alert, std::string message, Emit& emit, const std::string& user = {});

  /// Nurse acknowledges one alert. Empty string = done, else why it was refused.
  std::string acknowledge(std::string_view alert_id, const std::string& user, Emit& emit);
  /// Nurse pauses the chair's audio for `length`.
  void pause_audio(const std::string& user, Duration length, Emit& emit);
  /// Timers: audio pause expiry, escalation, time-based rise to HIGH.
  void tick(const AlarmSystemRules& rules, Emit& emit);
  /// Drops resolved alerts; the engine calls it at the end of each call.
  void purge();

  /// Live alerts sorted by priority (highest first), then onset (oldest first).
  std::vector<Alert> active() const;
  /// Subjects of the rule's live alerts (e.g. which devices have a T1).
  std::vector<std::string> subjects(RuleId rule) const;
  /// True if an alarm (not an advisory) waits for acknowledgment.
  bool any_unacknowledged() const;
  bool audio_paused() const { return pause_until_.has_value(); }
  const std::string& bed() const { return bed_; }

 private:
  void emit_transition(const Alert& alert, TransitionKind kind, Emit& emit, const std::string& user = {});
  // An alarm starts (or starts again) to sound: honour or override the audio pause.
  void start_sounding(Alert& alert, Emit& emit);
  void end_pause(const std::string& why, Emit& emit);

  std::string bed_;
  std::vector<Alert> alerts_;  // a handful per bed; bounded by rules x subjects (see engine)
  std::optional<MonoTime> pause_until_;
  std::optional<Priority> pause_reference_;  // highest priority paused by the nurse
};

}  // namespace vigil::alerts
