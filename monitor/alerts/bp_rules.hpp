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
// Unverified readings (T5): a physically impossible one, or one whose only fault is a jump
// from the last verified reading, never raises an alarm. If it meets P1 it raises a P1
// advisory ("repeat NIBP now"): the next verified reading confirms it as HIGH or dismisses it.
// Readings in the band between alarm and clear limits neither clear nor re-arm: they reset
// the clear count (the readings must come in a row).

#include "alerts/bed_state.hpp"
#include "alerts/rule_profile.hpp"

namespace vigil::alerts {

/// What T5 made of a measurement.
enum class NibpCheck { Verified, JumpOnly, Impossible };

/// Runs P1-P5 on a measurement. Unverified: at most a P1 advisory, and the reading counts
/// toward no confirmation or clearing. `after_jump`: the measurement is verified because it
/// repeats the unverified jump just before it; that one counts as its first reading.
void apply_bp_rules(BedState& bed, const NibpMeasurement& m, NibpCheck check, bool after_jump,
                    const RuleProfile& profile, Emit& emit);

}  // namespace vigil::alerts
