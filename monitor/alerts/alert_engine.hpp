#pragma once
// The alert engine: sessions and alarms of every chair, as pure domain code.
//
// Inputs: readings, device events, system events, dashboard receipts, nurse actions and a
// periodic tick, each with the current time (monotonic for delays, wall only as data).
// Outputs: the alert transitions and session events each call caused, returned in order;
// the engine has no side effects, so the daemon can write them to its log before any
// client sees them. Queries give the current alerts, session and baseline of a chair.
//
// Per chair:  no session ──► phase "monitoring": absolute limits (P1, P2, P4, P5 SBP, P6-P8)
//                            and technical alarms only
//             session    ──► SETUP / BASELINE (P9 gate, T7) ──► INFUSION (P3, relative P4/P5,
//                            T2, T3) ──► RECOVERY (discharge criteria) ──► CLOSED
// (session.hpp, alarm_state.hpp, bp_rules.hpp, vital_rules.hpp, technical_rules.hpp draw
// the individual state machines.)
//
// Threading: not thread-safe. The daemon owns one engine on its io thread and calls it
// from there only; every call is short and never blocks.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "alerts/alert_types.hpp"
#include "alerts/baseline.hpp"
#include "alerts/events.hpp"
#include "alerts/late_readings.hpp"
#include "alerts/rule_profile.hpp"
#include "alerts/session.hpp"
#include "alerts/technical_rules.hpp"

namespace vigil::alerts {

struct BedState;

/// What one NIBP measurement was judged to be (for the reading log and the display).
struct NibpVerdict {
  std::string bed;
  WallMillis measured_at_ms = 0;
  double sys_mmhg = 0;
  std::optional<double> dia_mmhg;
  std::optional<double> mean_mmhg;
  bool verified = true;
  std::string reason;  // why unverified
  // The last judged measurement sent again (same device, time and values): not judged again,
  // and the daemon does not store it again.
  bool resend = false;
};

/// Everything a call produced, in order.
struct EngineOutput {
  std::vector<AlertTransition> transitions;
  std::vector<SessionEvent> session_events;
  std::vector<NibpVerdict> nibp_verdicts;  // NIBP measurements completed by this call
};

/// on_reading: the output plus how the reading itself is to be shown and logged.
struct ReadingResult : EngineOutput {
  bool accepted = true;  // false: not attributable (no bed, too many beds)
  bool verified = true;  // false: device-flagged, implausible (T5) or late
  // An old result sent again (late_readings.hpp): kept in the record, not judged by any
  // rule, never the chair's current value. Also unverified.
  bool late = false;
  std::string reason;  // why not accepted / not verified
  Phase phase = Phase::Monitoring;
  std::optional<Baseline> baseline;  // the chair's baseline, shown with every reading
};

/// A nurse action's outcome; `reason` says why it was refused (ok false).
/// Why an action was refused, for callers that act on it (the reason text is for people).
enum class Refusal : std::uint8_t {
  None,             // not refused
  PreInfusionGate,  // start refused while P9 holds the gate: a baseline override releases it
  Other,
};

struct ActionResult : EngineOutput {
  bool ok = true;
  std::string reason;
  Refusal refusal = Refusal::None;
};

/// A session as the dashboard shows it: the stored state plus live timings.
struct SessionView {
  SessionState state;  // infusion_elapsed_ms as of the query
  std::optional<Duration> time_since_stop;
};

/// Bounds on what outside input can make the engine hold.
struct EngineLimits {
  std::size_t max_beds = 256;
  std::size_t max_text = 256;  // user, patient label, profile name, device strings
};

class AlertEngine {
 public:
  /// `profiles`: the clinic's rule profiles; a "default" profile with the alarms.md
  /// defaults is added if none is named so. Throws std::invalid_argument on an invalid
  /// profile or duplicate name (start-up only).
  explicit AlertEngine(std::vector<RuleProfile> profiles = {}, EngineLimits limits = {});
  ~AlertEngine();
  AlertEngine(const AlertEngine&) = delete;
  AlertEngine& operator=(const AlertEngine&) = delete;

  /// A reading already resolved to a chair (Reading::bed).
  ReadingResult on_reading(const Reading& reading, Now now);
  /// After the last reading of one message for `bed`: a cuff result that came without its
  /// systolic value (DBP and MAP only) is judged now, as unverified with T5 asking for a
  /// repeat, so its parts are stored unverified with the rest of the message. A monitor may
  /// order a result's parts as it likes within a message, so this cannot be told earlier.
  EngineOutput end_of_message(const std::string& bed, Now now);
  /// Timers: delays, T1 silence, T2, T3 stale, T6, T7, escalation, audio pause expiry,
  /// discharge criteria; also hands pending NIBP measurements to the rules. Call ~4 Hz.
  EngineOutput tick(Now now);
  /// The same tick in slices, for a daemon with thousands of chairs: one call ticks at most
  /// `max_beds` chairs after `round.after`, in name order, so the io thread answers monitors
  /// between slices instead of stalling for a whole round (~2 us a chair). The first call of
  /// a round (round.open false) counts T7's shared monitors for the whole round; round.open
  /// is false again when the round reached the last chair.
  struct TickRound {
    bool open = false;
    std::optional<std::string> after;  // the last chair ticked in this round
    std::map<std::string, int, std::less<>> in_sessions;
  };
  EngineOutput tick_some(Now now, TickRound& round, std::size_t max_beds);
  /// Heartbeats, failed NIBP measurements (T4), SpO2 probe off/on (T6) from a device.
  EngineOutput on_device_event(const DeviceEvent& event, Now now);
  /// Daemon health (T8 on every chair).
  EngineOutput on_system_event(const SystemEvent& event, Now now);
  /// A dashboard confirmed receipt of the stream (T2).
  EngineOutput on_dashboard_confirmed(Now now);

  /// Nurse actions on sessions; refused with a reason when invalid.
  ActionResult session_action(const SessionAction& action, Now now);
  /// Acknowledges one alert of a chair: a live one, or a restored one (restore_alert), which
  /// is then acknowledged and resolved at once (its state died with the old process).
  ActionResult acknowledge(std::string_view bed, std::string_view alert_id, const std::string& user, Now now);
  /// Pauses the chair's audio for the profile's audio_pause (2 min).
  ActionResult pause_audio(std::string_view bed, const std::string& user, Now now);

  /// Puts a persisted session back (after a daemon restart), mid-phase, with its baseline
  /// and timers rebuilt from its wall times. Refused if the chair has a session already.
  ActionResult restore(const SessionState& state, Now now);

  /// Puts an alert that was live in the log back (after a daemon restart), so that it is
  /// listed (restored_alerts) until a nurse acknowledges it through acknowledge(), like
  /// any other. Bounded by the log: only the start-up restore adds them.
  void restore_alert(RestoredAlert alert);
  /// The restored alerts not yet acknowledged, by id.
  std::vector<RestoredAlert> restored_alerts() const;

  /// Drops an idle chair's state: only when it has no session and no live alert. False
  /// when it was kept for that reason (a restored alert keeps it too); true when gone (or never known).
  bool forget_bed(std::string_view name);

  /// Live alerts of a chair, highest priority first, then oldest onset first.
  std::vector<Alert> active_alerts(std::string_view bed) const;
  /// The chair's open session, if any.
  std::optional<SessionView> session(std::string_view bed, Now now) const;
  /// The chair's phase; Monitoring when it has no session (or is unknown).
  Phase phase(std::string_view bed) const;
  /// The chair's baseline (computed or overridden), if the session has one.
  std::optional<Baseline> baseline(std::string_view bed) const;
  /// True while the chair's 2-minute audio pause runs.
  bool audio_paused(std::string_view bed) const;
  /// Every chair the engine knows (from readings, events or sessions), sorted.
  std::vector<std::string> beds() const;
  /// A profile by name, or nullptr.
  const RuleProfile* profile(std::string_view name) const;

  /// Alert ids are "<bed>-<rule>-<n>"; the daemon persists n across restarts so ids stay
  /// unique in its log (restore with set_next_alert_number).
  std::uint64_t next_alert_number() const { return counters_.next_alert_number; }
  void set_next_alert_number(std::uint64_t n) { counters_.next_alert_number = n; }

 private:
  BedState* bed_for(std::string_view name, bool create);
  const BedState* find_bed(std::string_view name) const;
  const RuleProfile& profile_for(const BedState& bed) const;
  Emit emit_for(const BedState& bed, Now now, EngineOutput& out);
  void process_nibp_part(BedState& bed, const Reading& r, Now now, ReadingResult& out);
  void process_nibp(BedState& bed, const NibpMeasurement& m, Now now, EngineOutput& out);
  void process_vital(BedState& bed, const Reading& r, Now now, ReadingResult& out);
  // The device took back its NIBP result of that time (reading.hpp, is_withdrawal): what the
  // result set and raised is undone, and T5 asks for a repeat.
  void withdraw_nibp(BedState& bed, const Reading& r, Now now, ReadingResult& out);
  // A value of `source` comes from a spot-check monitor (vital_rules.hpp).
  bool spot_value(const BedState& bed, const std::string& source) const;
  // The values a source sent before its cuff's result in the same message, judged again as
  // spot values now that the result shows it is a spot-check monitor (vital_rules.hpp).
  void respot_vitals(BedState& bed, Now now, ReadingResult& res);
  // What every reading's result carries, judged or not: the chair's phase and baseline.
  void finish_reading(BedState& bed, ReadingResult& res);
  // What a device's data says of its cadence (SourceSeen::continuous).
  // A withdrawal says the device is there, nothing of how often it measures.
  enum class SourceData { Nibp, Vital, Heartbeat, Withdrawal, Resent };
  // `names_device`: what a reading says of its source's name (events say nothing).
  // `stamp`: a NIBP part's measurement time (a result already seen in an earlier message
  // counts as vitals, not as a cuff completing).
  void note_source(BedState& bed, const std::string& source, MonoTime now, SourceData data,
                   std::optional<bool> names_device = std::nullopt, WallMillis stamp = 0);
  // Why and by how much a reading is late, sent again or delayed (late_readings.hpp); none
  // when it is current.
  std::optional<StampOrder::Late> late_by(BedState& bed, const Reading& r, Now now, WallMillis received);
  void late_reading(BedState& bed, const Reading& r, StampOrder::Late late, WallMillis received, Now now,
                    ReadingResult& res);
  // Whether a baseline the computation no longer gives stays (more readings may come) or goes
  // (a reading it rested on was withdrawn).
  enum class BaselineGone { Keep, Forget };
  void update_baseline(BedState& bed, Now now, EngineOutput& out, BaselineGone gone = BaselineGone::Keep);
  void evaluate_discharge(BedState& bed, Now now, EngineOutput& out);
  void tick_bed(BedState& bed, Now now, EngineOutput& out);
  void tick_bed(BedState& bed, Now now, EngineOutput& out,
                const std::map<std::string, int, std::less<>>& in_sessions);
  std::map<std::string, int, std::less<>> sources_in_sessions(MonoTime now) const;
  std::vector<std::string> shared_sources(const BedState& bed, MonoTime now,
                                          const std::map<std::string, int, std::less<>>& in_sessions) const;
  void session_event(BedState& bed, SessionEventKind kind, const std::string& user, Now now,
                     EngineOutput& out);
  std::string begin_session(const SessionAction& a, Now now, ActionResult& out);
  std::string act_on_session(BedState& bed, const SessionAction& a, Now now, ActionResult& out);
  void finish(BedState& bed);
  bool acknowledge_restored(std::string_view bed, std::string_view alert_id, const std::string& user, Now now,
                            ActionResult& out);

  std::map<std::string, RuleProfile, std::less<>> profiles_;
  // profiles_["default"], looked up once: a chair without a session asks for it with every
  // reading. Fixed after construction (a map's nodes stay put, also when it is moved).
  const RuleProfile* default_profile_ = nullptr;
  EngineLimits limits_;
  std::map<std::string, std::unique_ptr<BedState>, std::less<>> beds_;
  Counters counters_;
  std::map<std::string, RestoredAlert, std::less<>> restored_;  // by alert id
  std::optional<MonoTime> last_dashboard_confirmed_;
  SystemHealth health_;
};

}  // namespace vigil::alerts
