#pragma once
// P6 (HR high), P7 (HR low), P8 (SpO2 low): continuous vitals with two levels each.
//
//   value beyond MEDIUM for medium_delay ──► alarm MEDIUM ── beyond HIGH for high_delay ──► HIGH
//   value beyond HIGH for high_delay (from nothing) ─────────────────────────────────────► HIGH
//   value on the safe side of clear_at for clear_delay ──► RESOLVED (MEDIUM, or acknowledged)
//                                                      └─► LATCHED (reached HIGH, unacknowledged)
// "Sustained" means every sample since the start met the condition and the latest sample
// is fresher than continuous_stale: a silent monitor sustains nothing (T1 covers silence).
//
// A spot-check monitor sends one HR (its cuff's pulse rate) or SpO2 with each cuff result,
// minutes apart: no delay can be watched, and a single value would otherwise never alarm.
// Its values are judged as NIBP readings are (P1/P2), each standing until the next:
//   value beyond HIGH ──────────────────────────────────────────────► alarm HIGH at once
//   value beyond MEDIUM ──► advisory "repeat NIBP now" ── next value beyond MEDIUM ──► MEDIUM
//                                                       └─ next value not beyond ──► RESOLVED
//   a value on the safe side of clear_at ──► clears (RESOLVED, or LATCHED after HIGH)

#include "alerts/bed_state.hpp"
#include "alerts/rule_profile.hpp"

namespace vigil::alerts {

/// Feeds one verified sample into a level tracker; `spot`: from a spot-check monitor.
void sample_level(LevelTracker& tracker, const LevelRule& rule, double value, MonoTime now,
                  bool spot = false);

/// Raises, rises, clears the rule's alert from the tracker's timers. Called on every sample
/// and every tick. `what` names the vital in messages ("HR", "SpO2").
void evaluate_level(AlertBook& book, LevelTracker& tracker, const LevelRule& rule, RuleId id,
                    const char* what, const AlarmSystemRules& alarm, Emit& emit);

/// Runs P6-P8 evaluation for a bed.
void evaluate_vital_rules(BedState& bed, const RuleProfile& profile, Emit& emit);

}  // namespace vigil::alerts
