#pragma once
// The display rules, as pure functions of values and an instant: how old is too old, which
// colour and flash phase an alert has, and in which order alerts are listed.
//
// Flash timing (IEC 60601-1-8, duty cycle 20-60 % on):
//   HIGH   period 500 ms  (2 Hz):   lit 0..249 ms,  dark 250..499 ms
//   MEDIUM period 2000 ms (0.5 Hz): lit 0..999 ms,  dark 1000..1999 ms
//   LOW, advisories, acknowledged alerts: steady (always lit)

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "model/model_views.hpp"

namespace vigil::dashboard {

inline constexpr std::int64_t kHighFlashPeriodMs = 500;
inline constexpr std::int64_t kMediumFlashPeriodMs = 2000;

// "HIGH" -> High ...; anything unknown counts as Low (shown, never hidden).
Priority priority_from_string(std::string_view text);
std::string_view to_string(Priority priority);

// The IEC colour: HIGH red, MEDIUM yellow, LOW cyan; advisories their own colour.
AlertColour alert_colour(Priority priority, bool advisory);

// Whether an alert in `state` flashes at all (unacknowledged alarms of HIGH/MEDIUM).
bool alert_flashes(Priority priority, std::string_view state, bool advisory);

// The flash phase at `now_ms`: true in the lit part of the period.
bool flash_lit(Priority priority, std::string_view state, bool advisory, std::int64_t now_ms);

// The cycle after which a value of this kind is greyed (alarms.md: NIBP every 5 min in
// baseline and infusion, 10 min in recovery; HR/SpO2 continuous, sent at least each minute).
std::int64_t expected_cycle_ms(std::string_view vital, std::string_view phase);

// "now", "12 s", "5 min", "2 h 05 min".
std::string age_text(std::int64_t age_ms);

// "42:10" (minutes:seconds), for the infusion clock.
std::string clock_text(std::int64_t ms);

// Display order: alarms before advisories; then HIGH, MEDIUM, LOW; then unacknowledged
// (ACTIVE, LATCHED) before AUDIO_PAUSED before ACKNOWLEDGED; then oldest onset; then id.
void sort_alerts(std::vector<AlertView>& alerts);

// "SBP 186 ≥ 180" from the daemon's message ("SBP 186 >= 180"): >= and <= become ≥ and ≤.
std::string display_text(std::string_view message);

}  // namespace vigil::dashboard
