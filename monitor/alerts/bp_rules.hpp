#pragma once
// P1-P5: the NIBP rules, evaluated once per assembled measurement.
//
// Per rule (alert state machine in alarm_state.hpp):
//   crossing, rule needs a repeat ──► ADVISORY ── next reading crosses ──► alarm (Confirmed)
//                                        └────── next reading does not ──► RESOLVED
//   crossing, no repeat needed (P1, P4) ──► alarm at once
//   alarm: N readings in a row meeting the clear criterion ──► LATCHED / RESOLVED
//   P2: still crossing at the reading after confirmation ──► HIGH
// Readings in the band between alarm and clear limits neither clear nor re-arm: they reset
// the clear count (the readings must come in a row).

#include "alerts/bed_state.hpp"
#include "alerts/rule_profile.hpp"

namespace vigil::alerts {

/// Runs P1-P5 on a measurement. `verified` false (T5 implausible): only P1 may fire, and
/// the reading counts toward no confirmation or clearing.
void apply_bp_rules(BedState& bed, const NibpMeasurement& m, bool verified, const RuleProfile& profile, Emit& emit);

}  // namespace vigil::alerts
