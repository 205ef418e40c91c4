#pragma once
// P1-P5: the NIBP rules, evaluated once per assembled measurement.
//
// Per rule (alert state machine in alarm_state.hpp):
//   crossing, rule needs a repeat ──► ADVISORY ── next reading crosses ──► alarm (Confirmed)
//                                        └────── next reading does not ──► RESOLVED
//   crossing, no repeat needed (P1, P4) ──► alarm at once
//   alarm: N readings in a row meeting the clear criterion ──► LATCHED / RESOLVED
//   P2: still crossing at the reading after confirmation ──► HIGH
//   acknowledged alarm, a new reading meets the rule again ──► ACTIVE (Reactivated, sounds)
// Confirmation band: a repeat within confirm_band_mmhg of the limit (on the safe side)
// still confirms an advisory; a reading that far from the limit is no evidence against it.
// The same holds for the verified reading before: within the band, then a reading meeting the
// limit, is two readings agreeing, and the rule alarms at once (no advisory).
// Unverified readings (T5) never reach these rules: no alarm and no advisory from them; T5
// alone asks for the repeat.
// P4 is not raised while P1-P3 is live (the higher item covers it), before the infusion
// (the P9 gate judges the baseline), nor when the cuff already cycles as often as P4 asks
// (p4.quiet_if_cycle_within); it clears below its limits by clear_band_mmhg.
// Readings in the band between alarm and clear limits neither clear nor re-arm: they reset
// the clear count (the readings must come in a row).

#include <optional>
#include <string>

#include "alerts/bed_state.hpp"
#include "alerts/rule_profile.hpp"

namespace vigil::alerts {

/// Runs P1-P5 on a verified measurement (an unverified one raises only T5: engine_nibp.cpp).
/// `previous`: the verified measurement before it (within the T5 jump window), if any; one
/// within a rule's confirmation band of its limit counts as the first of the readings P2, P3
/// and P5 need. `after_jump`: the measurement is verified because it repeats the unverified
/// jump just before it; that one counts as its first reading. `cycle`: the time since the
/// chair's previous NIBP measurement (none: the first, or unknown).
void apply_bp_rules(BedState& bed, const NibpMeasurement& m, const NibpMeasurement* previous, bool after_jump,
                    std::optional<Duration> cycle, const RuleProfile& profile, Emit& emit);

/// What a doubted pressure would mean for P1 if it were real, for T5's request to repeat:
/// "SBP 206 >= 200 (P1)" (the SBP first), "DBP 126 >= 120 (P1)", or "" (it would not meet P1,
/// or P1 is off).
std::string p1_at_stake(const RuleProfile& profile, std::optional<double> sys_mmhg,
                        std::optional<double> dia_mmhg);

}  // namespace vigil::alerts
