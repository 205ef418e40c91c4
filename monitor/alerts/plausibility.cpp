#include "alerts/plausibility.hpp"

#include <cmath>

#include "alerts/format.hpp"

namespace vigil::alerts {

std::string nibp_implausible(const NibpMeasurement& m, const T5Rule& r, std::optional<double> recent_sys) {
  const double s = m.sys_mmhg;
  if (!std::isfinite(s)) return "SBP not a number";
  if (s < r.sys_min || s > r.sys_max)
    return "SBP " + num(s) + " outside " + num(r.sys_min) + "-" + num(r.sys_max);
  if (m.dia_mmhg) {
    const double d = *m.dia_mmhg;
    if (!std::isfinite(d)) return "DBP not a number";
    if (d < r.dia_min || d > r.dia_max)
      return "DBP " + num(d) + " outside " + num(r.dia_min) + "-" + num(r.dia_max);
    if (s <= d) return "SBP " + num(s) + " <= DBP " + num(d);
    if (s - d < r.min_pulse_pressure)
      return "pulse pressure " + num(s - d) + " < " + num(r.min_pulse_pressure);
  }
  if (m.mean_mmhg && !std::isfinite(*m.mean_mmhg)) return "MAP not a number";
  if (recent_sys && std::fabs(s - *recent_sys) > r.sys_jump_mmhg)
    return "SBP jump " + signed_num(s - *recent_sys) + " within " +
           num(static_cast<double>(std::chrono::duration_cast<std::chrono::minutes>(r.sys_jump_window).count())) + " min";
  return {};
}

std::string vital_implausible(VitalKind kind, double v, const T5Rule& r) {
  switch (kind) {
    case VitalKind::HeartRate:
    case VitalKind::PulseRate:
      if (!std::isfinite(v) || v < r.hr_min || v > r.hr_max)
        return "HR " + num(v) + " outside " + num(r.hr_min) + "-" + num(r.hr_max);
      return {};
    case VitalKind::SpO2:
      if (!std::isfinite(v) || v < 0 || v > 100) return "SpO2 " + num(v) + " outside 0-100";
      return {};
    default:
      return {};
  }
}

}  // namespace vigil::alerts
