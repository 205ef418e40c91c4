#pragma once
// The display rules of the ward model, as pure functions of values and an instant: how old
// is too old, which colour and flash phase an alert has, in which order alerts are listed,
// and how ages and clocks read. Both faces (vigilctl board, vigil-dashboard) use these.
//
// Flash timing (IEC 60601-1-8, duty cycle 20-60 % on):
//   HIGH   period 500 ms  (2 Hz):   lit 0..249 ms,  dark 250..499 ms
//   MEDIUM period 2000 ms (0.5 Hz): lit 0..999 ms,  dark 1000..1999 ms
//   LOW, advisories, acknowledged alerts: steady (always lit)

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "client/ward_views.hpp"

namespace vigil::client {

inline constexpr std::int64_t kHighFlashPeriodMs = 500;
inline constexpr std::int64_t kMediumFlashPeriodMs = 2000;

// The NIBP cadence a chair's rule profile expects (T3 of docs/alarms.md), as the daemon
// sends it with the chair's state and session events (proto NibpSchedule).
struct NibpCycles {
  std::int64_t infusion_ms = 0;        // infusion (and the baseline readings before it)
  std::int64_t recovery_early_ms = 0;  // recovery, the first recovery_early_span_ms
  std::int64_t recovery_early_span_ms = 0;
  std::int64_t recovery_late_ms = 0;  // recovery after that, and chairs without a session
};

// The alert engine judges P6/P7 on the ECG HR, and on the pulse rate (PULSE, from the
// oximeter or the cuff) once no valid ECG HR has arrived for the chair profile's
// alarm.continuous_stale (engine_vitals.cpp). The daemon sends that delay with the NIBP cadence
// (NibpSchedule.hr_from_pulse_after_s); a vigild that does not gets the default profile's.
inline constexpr std::int64_t kHrFromPulseAfterFallbackMs = 10'000;

// Whether a pulse rate arriving at `pulse_ms` is the heart rate the engine judges: no valid
// ECG HR arrived within `after_ms` before it (`last_ecg_hr_ms`: the newest one; none: never).
// An ECG HR at the same instant, or a later one, keeps it out.
bool pulse_counts_as_hr(std::optional<std::int64_t> last_ecg_hr_ms, std::int64_t pulse_ms,
                        std::int64_t after_ms);

// What a withdrawal of `kind` (proto Reading.withdrawn) takes back: reading.hpp
// withdrawal_takes (a NIBP part its whole measurement, other kinds only themselves). ward.js
// withdrawnKinds states the same.
std::vector<proto::VitalKind> withdrawn_kinds(proto::VitalKind kind);
// The device name as the trend points keep it (TrendPoint.source_hash): FNV-1a.
std::uint32_t source_hash(std::string_view source);

// Screen priority of a vocabulary priority; anything else counts as Low (shown, never hidden).
Priority to_view(proto::Priority priority);
// "HIGH", "MEDIUM", "LOW", "NONE".
std::string_view to_string(Priority priority);

// The IEC colour: HIGH red, MEDIUM yellow, LOW cyan; advisories their own colour.
AlertColour alert_colour(Priority priority, bool advisory);

// Whether an alert in `state` flashes at all (unacknowledged alarms of HIGH/MEDIUM).
bool alert_flashes(Priority priority, proto::AlertState state, bool advisory);

// The flash phase at `now_ms`: true in the lit part of the period.
bool flash_lit(Priority priority, proto::AlertState state, bool advisory, std::int64_t now_ms);

// The age after which a value of this kind is greyed. NIBP: the chair's profile cycle for
// its phase (`recovery_ms` since the infusion stopped picks early or late recovery); without
// cycles from the daemon, the shortest in use (5 min), so a value is never shown as current
// for longer than any profile allows. HR, SpO2 and the other continuous kinds: 1 min (a
// monitor sends them at least that often).
std::int64_t expected_cycle_ms(proto::VitalKind kind, proto::Phase phase,
                               const std::optional<NibpCycles>& cycles,
                               std::optional<std::int64_t> recovery_ms);

// "now", "12 s", "5 min", "2 h 05 min".
std::string age_text(std::int64_t age_ms);

// A value's age as every face prints it beside the value: "12 s" when fresh, "5 min ago" when
// older than its cycle (the words that go with greying it), "" when blank.
std::string shown_age(const VitalView& v);

// "42:10" (minutes:seconds), for the infusion clock.
std::string clock_text(std::int64_t ms);

// "14:02:10": a wall time (epoch ms) as the local time of day, as the alert list shows times.
std::string time_of_day_text(std::int64_t wall_ms);

// An alert's escalation line (AlertView::escalation): "escalated to nurse.lee's phone
// 14:02:10", "no one on call for tier 2 14:04:10", both joined by "; ", or "".
std::string escalation_text(const std::string& escalated_to, std::int64_t escalated_at_ms,
                            unsigned unreached_tier, std::int64_t unreached_at_ms);

// Display order: alarms before advisories; then HIGH, MEDIUM, LOW; then unacknowledged
// (ACTIVE, LATCHED) before AUDIO_PAUSED before ACKNOWLEDGED; then oldest onset; then id.
void sort_alerts(std::vector<AlertView>& alerts);

// "SBP 186 ≥ 180" from the daemon's message ("SBP 186 >= 180"): >= and <= become ≥ and ≤.
std::string display_text(std::string_view message);

}  // namespace vigil::client
