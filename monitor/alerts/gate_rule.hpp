#pragma once
// P9: the pre-infusion gate on the baseline.
//
//   baseline >= 180/110 ──► MEDIUM "hold"        ┐
//   baseline >= 160/100 ──► MEDIUM "not ready"   ├─ one P9 alert; its level follows the baseline
//   baseline >= 140/90  ──► LOW "prescriber review" ┘
//   baseline below 140/90, or an override recorded ──► RESOLVED
// Start infusion is refused while P9 is MEDIUM and no override is recorded.

#include <string>

#include "alerts/bed_state.hpp"
#include "alerts/rule_profile.hpp"

namespace vigil::alerts {

/// Re-evaluates P9 after the baseline changed (pre-infusion phases only).
void evaluate_gate(BedState& bed, const RuleProfile& profile, Emit& emit);

/// Why start infusion must be refused by the gate, or empty.
std::string gate_refusal(BedState& bed, const RuleProfile& profile);

}  // namespace vigil::alerts
