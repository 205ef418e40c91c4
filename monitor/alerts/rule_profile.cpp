#include "alerts/rule_profile.hpp"

namespace vigil::alerts {

namespace {

bool negative(Duration d) { return d.count() < 0; }

}  // namespace

std::string validate(const RuleProfile& p) {
  if (p.name.empty()) return "profile has no name";
  if (p.p2.confirm_readings < 1 || p.p3.confirm_readings < 1 || p.p5.confirm_readings < 1)
    return "confirm_readings must be >= 1";
  if (p.p1.clear_readings < 1 || p.p2.clear_readings < 1 || p.p3.clear_readings < 1 ||
      p.p5.clear_readings < 1 || p.recovery.readings < 1)
    return "clear readings must be >= 1";
  if (p.p2.clear.sys_mmhg > p.p2.alarm.sys_mmhg || p.p2.clear.dia_mmhg > p.p2.alarm.dia_mmhg)
    return "P2 clear limits must not exceed its alarm limits";
  if (p.p3.clear_rise.sys_mmhg > p.p3.rise.sys_mmhg || p.p3.clear_rise.dia_mmhg > p.p3.rise.dia_mmhg)
    return "P3 clear rise must not exceed its alarm rise";
  // A band as wide as the gap to the clear limit would confirm on readings that clear.
  for (double band : {p.p2.confirm_band_mmhg, p.p3.confirm_band_mmhg, p.p5.confirm_band_mmhg}) {
    if (!(band >= 0 && band <= 20)) return "confirm_band_mmhg must be 0..20";
  }
  if (!(p.p4.clear_band_mmhg >= 0 && p.p4.clear_band_mmhg <= 20)) return "p4.clear_band_mmhg must be 0..20";
  if (p.p5.map_drop_fraction < 0 || p.p5.map_drop_fraction >= 1)
    return "P5 map_drop_fraction must be in [0, 1)";
  for (const LevelRule* r : {&p.p6, &p.p7, &p.p8}) {
    if (negative(r->medium_delay) || negative(r->high_delay) || negative(r->clear_delay))
      return "P6-P8 delays must be >= 0";
    if (r->above ? r->high < r->medium : r->high > r->medium)
      return "P6-P8 HIGH level must be beyond the MEDIUM level";
  }
  if (negative(p.p2.high_if_unacknowledged) || negative(p.t1.silence) || negative(p.t1.after_session_end) ||
      negative(p.t2.unconfirmed) || negative(p.t3.grace) || p.t3.infusion_cycle.count() <= 0 ||
      p.t3.recovery_early_cycle.count() <= 0 || p.t3.recovery_late_cycle.count() <= 0 ||
      negative(p.t6.low_after) || negative(p.t6.infusion_medium_after) || negative(p.t7.unbound_after) ||
      negative(p.t7.unbound_spot_check_after) || negative(p.p4.quiet_if_cycle_within) ||
      negative(p.alarm.escalate_unacknowledged) || negative(p.alarm.audio_pause) ||
      p.alarm.continuous_stale.count() <= 0 || p.baseline.vital_window.count() <= 0 ||
      negative(p.recovery.min_after_stop))
    return "delays must be >= 0 (cycles and windows > 0)";
  if (p.t4.medium_after_failures < 1) return "T4 medium_after_failures must be >= 1";
  if (p.t5.sys_min >= p.t5.sys_max || p.t5.dia_min >= p.t5.dia_max || p.t5.hr_min >= p.t5.hr_max ||
      p.t5.min_pulse_pressure >= p.t5.max_pulse_pressure)
    return "T5 plausible ranges must have min < max";
  return {};
}

}  // namespace vigil::alerts
