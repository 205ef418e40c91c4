#include "alerts/plausibility.hpp"

#include <cmath>

#include "alerts/format.hpp"

namespace vigil::alerts {

namespace {

std::string impossible_reason(const NibpMeasurement& m, const T5Rule& r) {
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
    if (s - d > r.max_pulse_pressure)
      return "pulse pressure " + num(s - d) + " > " + num(r.max_pulse_pressure);
  }
  if (m.mean_mmhg && !std::isfinite(*m.mean_mmhg)) return "MAP not a number";
  return {};
}

}  // namespace

NibpJudgement judge_nibp(const NibpMeasurement& m, const T5Rule& r, const JumpReference& ref,
                         double agree_mmhg) {
  NibpJudgement j;
  j.reason = impossible_reason(m, r);
  if (!j.reason.empty()) {
    j.impossible = true;
    return j;
  }
  const double s = m.sys_mmhg;
  if (!ref.verified_sys || std::fabs(s - *ref.verified_sys) <= r.sys_jump_mmhg) return j;
  if (ref.jumped_sys && std::fabs(s - *ref.jumped_sys) <= agree_mmhg) {
    j.repeats_jump = true;
    return j;
  }
  j.reason =
      "SBP jump " + signed_num(s - *ref.verified_sys) + " from the last verified " + num(*ref.verified_sys) +
      " within " +
      num(static_cast<double>(std::chrono::duration_cast<std::chrono::seconds>(r.sys_jump_window).count()) /
          60) +
      " min";
  return j;
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
    default: return {};
  }
}

}  // namespace vigil::alerts
