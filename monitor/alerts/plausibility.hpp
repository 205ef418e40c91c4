#pragma once
// T5: readings too odd to act on. They are marked unverified, shown as such, raise T5 (LOW)
// and fire no physiological rule except P1 (a true 200+ systolic must never wait).

#include <optional>
#include <string>

#include "alerts/nibp_measurement.hpp"
#include "alerts/rule_profile.hpp"

namespace vigil::alerts {

/// Why a NIBP measurement is implausible, or empty. `recent_sys` is the last verified
/// systolic within the jump window, if any.
std::string nibp_implausible(const NibpMeasurement& m, const T5Rule& rule, std::optional<double> recent_sys);

/// Why a single HR / pulse / SpO2 value is implausible, or empty (other kinds: empty).
std::string vital_implausible(VitalKind kind, double value, const T5Rule& rule);

}  // namespace vigil::alerts
