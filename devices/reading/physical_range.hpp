#pragma once
// What a body can produce, per vital sign, in its canonical unit: a device sending a value
// outside is sending something other than a measurement, whatever its protocol, and such a
// value is never stored or shown as valid. Chosen wide on purpose (docs/alarms.md, "Physical
// ranges"); T5 judges plausibility inside them.

#include "reading/reading.hpp"

namespace vigil {

/// The inclusive physical bounds of a kind.
struct PhysicalRange {
  double low, high;
};

constexpr PhysicalRange physical_range(VitalKind kind) {
  switch (kind) {
    case VitalKind::NibpSys:
    case VitalKind::NibpDia:
    case VitalKind::NibpMean: return {0, 400};  // mmHg
    case VitalKind::HeartRate:
    case VitalKind::PulseRate: return {0, 350};    // /min
    case VitalKind::RespRate: return {0, 200};     // /min (high-frequency ventilation tops out near 150)
    case VitalKind::SpO2: return {0, 100};         // %
    case VitalKind::Temperature: return {10, 47};  // degC (survived extremes: 13.7 and 46.5)
  }
  return {0, 400};
}

/// True when `value` (canonical unit) is a number inside the kind's bounds.
constexpr bool within_physical_range(VitalKind kind, double value) {
  const PhysicalRange r = physical_range(kind);
  return value >= r.low && value <= r.high;  // false for NaN
}

}  // namespace vigil
