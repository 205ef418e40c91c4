#pragma once
// The vocabulary of the alert engine: rule ids, priorities, alert states, and the transition
// record every engine call returns. Names on external surfaces (log, stream, JSON) come from
// the to_string functions here, in one place.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "alerts/time.hpp"
#include "reading/reading.hpp"

namespace vigil::alerts {

/// Rule ids as in alarms.md: P1..P9 physiological, T1..T8 technical.
enum class RuleId : std::uint8_t { P1, P2, P3, P4, P5, P6, P7, P8, P9, T1, T2, T3, T4, T5, T6, T7, T8 };

/// IEC 60601-1-8 priorities; the numeric order is the severity order.
enum class Priority : std::uint8_t { Low = 1, Medium = 2, High = 3 };

/// Physiological (the patient), technical (equipment, links) or advisory (an unconfirmed
/// NIBP crossing: "repeat NIBP now"; it never sounds and is not acknowledged).
enum class AlertKind : std::uint8_t { Physiological, Technical, Advisory };

/// Session phase of a chair; Monitoring = no session (absolute limits and technical alarms).
enum class Phase : std::uint8_t { Monitoring, Setup, Baseline, Infusion, Recovery, Closed };

/// Where an alert stands. Resolved alerts leave the active list after their transition.
enum class AlertState : std::uint8_t {
  Advisory,      // unconfirmed crossing shown at once; waits for the repeat reading
  Active,        // alarm condition present (or returned), not acknowledged, sounding
  AudioPaused,   // Active, but the chair's 2-minute audio pause silences it
  Acknowledged,  // a nurse acknowledged it; silent; still shown until it clears
  Latched,       // condition gone but nobody acknowledged: stays until acknowledged
  Resolved,      // over
};

/// What happened to an alert; one AlertTransition per change.
enum class TransitionKind : std::uint8_t {
  Raised,           // new advisory or alarm
  Confirmed,        // advisory confirmed by the repeat reading: now an alarm
  PriorityChanged,  // e.g. P2 MEDIUM -> HIGH, T1 LOW -> MEDIUM at infusion start
  Escalated,        // HIGH/MEDIUM unacknowledged too long: second display
  Acknowledged,
  AudioPaused,
  AudioResumed,  // the chair's audio pause expired or was overridden
  Reactivated,   // a latched alarm's condition came back
  Cleared,       // condition gone, alarm latched until acknowledged
  Resolved,
};

/// Which way a physiological alert's value crossed its limit; None for technical alerts.
enum class Direction : std::uint8_t { None, Above, Below };

std::string_view to_string(RuleId rule);
std::string_view to_string(Priority priority);    // "HIGH", "MEDIUM", "LOW"
std::string_view to_string(AlertKind kind);       // "physiological", "technical", "advisory"
std::string_view to_string(Phase phase);          // "monitoring", "setup", ...
std::string_view to_string(AlertState state);     // "ADVISORY", "ACTIVE", "AUDIO_PAUSED", ...
std::string_view to_string(TransitionKind kind);  // "raised", "confirmed", ...

/// One alert as the dashboard and the stream snapshot show it.
struct Alert {
  std::string id;  // unique and stable: "<bed>-<rule>-<n>"
  std::string bed;
  RuleId rule = RuleId::P1;
  std::string subject;  // which instance: device source (T1), "NIBP"/"HR" (T5), ...
  AlertKind kind = AlertKind::Physiological;
  Priority priority = Priority::Low;
  AlertState state = AlertState::Active;
  std::optional<double> value;      // the value that crossed, latest
  std::optional<double> limit;      // the limit it crossed
  std::optional<double> baseline;   // for baseline-relative rules
  std::optional<VitalKind> metric;  // the vital that crossed (physiological rules)
  Direction direction = Direction::None;
  std::string message;  // "SBP 186 >= 180"
  std::string limits;   // the limits in force, as text, for the log
  bool latching = false;
  bool escalated = false;
  std::string acknowledged_by;
  MonoTime onset{};  // first raised (advisory or alarm)
  WallMillis onset_wall_ms = 0;
  MonoTime alarm_since{};              // became an alarm (raised as one, or confirmed)
  int confirm_count = 0;               // readings agreeing so far (NIBP confirmation)
  int clear_count = 0;                 // readings meeting the clear criterion in a row
  Duration high_if_unacknowledged{0};  // P2: rises to HIGH when unacknowledged this long
};

/// One alert transition: the engine's only output about alerts. The daemon writes each one
/// to the log before any client sees it.
struct AlertTransition {
  std::uint64_t seq = 0;  // engine-wide order of transitions
  TransitionKind kind = TransitionKind::Raised;
  std::string alert_id;
  std::string bed;
  RuleId rule = RuleId::P1;
  std::string subject;
  Priority priority = Priority::Low;
  AlertState state = AlertState::Active;  // the state after this transition
  AlertKind alert_kind = AlertKind::Physiological;
  std::optional<double> value;
  std::optional<double> limit;
  std::optional<double> baseline;
  std::optional<VitalKind> metric;
  Direction direction = Direction::None;
  std::string message;
  std::string limits;   // limits in force
  std::string profile;  // rule profile in force
  std::string user;     // who acknowledged / paused / ended it by an override
  Phase phase = Phase::Monitoring;
  MonoTime mono{};
  WallMillis wall_ms = 0;
  // When the alert began (its first transition, advisory or alarm); for an alert restored from
  // the log (AlertEngine::restore_alert) what its stored record said, as are the two below.
  WallMillis onset_wall_ms = 0;
  bool escalated = false;
  std::string acknowledged_by;
};

/// An alert that was live in the log when the daemon stopped: the engine lost its state,
/// so it is kept as its last logged transition until a nurse acknowledges it (then it is
/// acknowledged and resolved at once) and never silently disappears.
struct RestoredAlert {
  AlertTransition last;      // as logged; onset_wall_ms, escalated, acknowledged_by set
  std::uint64_t log_id = 0;  // its row in the alert log
};

}  // namespace vigil::alerts
