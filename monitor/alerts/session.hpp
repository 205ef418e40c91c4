#pragma once
// An infusion session of one chair, as a plain state machine driven by nurse actions.
//
//   begin ──► SETUP ── monitor data seen ──► BASELINE ── start infusion ──► INFUSION
//               │                              │  (baseline present, gate passed    │  ▲
//               │                              │   or overridden)           pause │  │ resume
//               │                              │                                  ▼  │
//               │                              │                          INFUSION (paused)
//               │                              │                                  │
//               │                              │                   stop infusion  ▼
//               └──────── end ─────────────────┴──────────► CLOSED ◄── end ── RECOVERY
//
// End is refused during the infusion (stop it first). Recovery never ends by itself: the
// engine computes when the discharge criteria are met; ending is the nurse's action.
// SessionState is the serializable form: wall times only (monotonic anchors are rebuilt by
// restore()), so the daemon can persist it in SQLite and restore it after a restart.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "alerts/alert_types.hpp"
#include "alerts/baseline.hpp"

namespace vigil::alerts {

enum class SessionActionKind : std::uint8_t {
  Begin,
  OverrideBaseline,
  StartInfusion,
  PauseInfusion,
  ResumeInfusion,
  StopInfusion,
  End,
};
std::string_view to_string(SessionActionKind kind);  // "begin", "override_baseline", ...

/// A nurse action on a chair's session, as the daemon receives it from a client.
struct SessionAction {
  std::string bed;
  SessionActionKind kind = SessionActionKind::Begin;
  std::string user;                    // who; required
  std::string patient;                 // Begin: patient label
  int planned_minutes = 0;             // Begin: planned infusion length
  std::string profile;                 // Begin: rule profile name; empty = "default"
  std::optional<double> override_sys;  // OverrideBaseline
  std::optional<double> override_dia;
  bool accept_measured = false;  // OverrideBaseline: accept the measured baseline as it is
};

/// Who did what and when, kept with the session.
struct ActionRecord {
  SessionActionKind kind = SessionActionKind::Begin;
  std::string user;
  WallMillis at_ms = 0;
  std::string detail;
};

/// The serializable session: plain data, wall times only.
struct SessionState {
  std::string session_id;
  std::string bed;
  std::string patient;
  std::string profile;
  int planned_minutes = 0;
  Phase phase = Phase::Setup;
  WallMillis begun_at_ms = 0;
  WallMillis infusion_started_at_ms = 0;  // 0: not yet
  WallMillis infusion_stopped_at_ms = 0;
  WallMillis ended_at_ms = 0;
  std::int64_t infusion_elapsed_ms = 0;  // running time excluding pauses, as of snapshot_at_ms
  bool infusion_paused = false;
  WallMillis snapshot_at_ms = 0;
  Baseline baseline;
  bool gate_overridden = false;
  std::optional<WallMillis> discharge_criteria_met_at_ms;
  int recovery_readings_ok = 0;  // consecutive recovery readings meeting the criteria
  bool monitor_data_seen = false;
  std::vector<ActionRecord> actions;  // bounded (kMaxActions), the Begin record is kept
};

/// What happened to a session; the daemon persists the state it carries.
enum class SessionEventKind : std::uint8_t {
  Begun,
  PhaseChanged,
  BaselineUpdated,
  BaselineOverridden,
  InfusionStarted,
  InfusionPaused,
  InfusionResumed,
  InfusionStopped,
  DischargeCriteriaMet,
  DischargeCriteriaLost,
  Ended,
  Restored,
};
std::string_view to_string(SessionEventKind kind);

struct SessionEvent {
  SessionEventKind kind = SessionEventKind::Begun;
  std::string bed;
  std::string user;  // for nurse actions
  Now at;
  SessionState state;  // the state after the event
};

/// A live session: the state plus monotonic anchors for its timers.
class Session {
 public:
  static constexpr std::size_t kMaxActions = 256;

  /// A new session in SETUP (or BASELINE if the monitor is already sending).
  Session(const SessionAction& begin, std::string session_id, bool data_seen, Now now);
  /// Rebuilds a session from its stored state; monotonic anchors derive from wall times.
  Session(const SessionState& stored, Now now);

  const SessionState& state() const { return state_; }
  Phase phase() const { return state_.phase; }
  /// State with infusion_elapsed_ms and snapshot_at_ms brought up to `now`.
  SessionState snapshot(Now now) const;
  Duration infusion_elapsed(MonoTime now) const;
  /// When the infusion stopped (monotonic), once in recovery.
  std::optional<MonoTime> stopped_at() const { return stopped_mono_; }
  std::optional<MonoTime> infusion_started_at() const { return started_mono_; }
  MonoTime begun_at() const { return begun_mono_; }

  /// First monitor data for the chair: SETUP -> BASELINE. True if the phase changed.
  bool data_seen();
  void set_baseline(const Baseline& baseline);
  void override_baseline(const Baseline& baseline);
  /// Phase checks and the transition itself; empty string = done, else the refusal.
  std::string start_infusion(Now now);
  std::string pause_infusion(Now now);
  std::string resume_infusion(Now now);
  std::string stop_infusion(Now now);
  std::string end(Now now);
  void record(SessionActionKind kind, const std::string& user, WallMillis at, std::string detail = {});
  SessionState& mutable_state() { return state_; }

 private:
  SessionState state_;
  MonoTime begun_mono_{};
  std::optional<MonoTime> started_mono_;
  std::optional<MonoTime> stopped_mono_;
  std::optional<MonoTime> running_since_;  // infusion running (not paused) since
  Duration accumulated_{0};                // infusion time before running_since_
};

}  // namespace vigil::alerts
