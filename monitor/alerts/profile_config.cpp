#include "alerts/profile_config.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace vigil::alerts {

namespace {

// Each setter names its field so a clinic sees which line of its file is wrong.
struct Applier {
  const std::string& profile;

  [[noreturn]] void fail(const char* field, const std::string& why) const {
    throw std::invalid_argument("rule profile '" + profile + "': " + field + ": " + why);
  }
  template <class Msg, class HasFn, class GetFn>
  void number(const Msg& m, HasFn has, GetFn get, double& out, const char* field) const {
    if (!(m.*has)()) return;
    const double v = (m.*get)();
    if (!std::isfinite(v)) fail(field, "not a number");
    out = v;
  }
  template <class Msg, class HasFn, class GetFn>
  void secs(const Msg& m, HasFn has, GetFn get, Duration& out, const char* field) const {
    if (!(m.*has)()) return;
    const double v = (m.*get)();
    // Bounded so the conversion to milliseconds cannot overflow.
    if (!std::isfinite(v) || v < 0 || v > 7 * 24 * 3600) fail(field, "must be 0..604800 s");
    out = Duration(static_cast<std::int64_t>(std::llround(v * 1000)));
  }
  template <class Msg, class HasFn, class GetFn>
  void count(const Msg& m, HasFn has, GetFn get, int& out, const char* field) const {
    if (!(m.*has)()) return;
    const auto v = (m.*get)();
    if (v < 1 || v > 100) fail(field, "must be 1..100");
    out = static_cast<int>(v);
  }
  template <class Msg, class HasFn, class GetFn>
  void flag(const Msg& m, HasFn has, GetFn get, bool& out) const {
    if ((m.*has)()) out = (m.*get)();
  }
  void priority(proto::AlertPriority p, Priority& out) const {
    switch (p) {
      case proto::ALERT_PRIORITY_LOW: out = Priority::Low; break;
      case proto::ALERT_PRIORITY_MEDIUM: out = Priority::Medium; break;
      case proto::ALERT_PRIORITY_HIGH: out = Priority::High; break;
      default: break;  // unspecified (or unknown from a newer file): keep the base
    }
  }
  void limits(const proto::BpLimits& m, SysDia& out, const char* field) const {
    using M = proto::BpLimits;
    number(m, &M::has_sys_mmhg, &M::sys_mmhg, out.sys_mmhg, field);
    number(m, &M::has_dia_mmhg, &M::dia_mmhg, out.dia_mmhg, field);
  }
  void level(const proto::LevelConfig& m, LevelRule& r, const char* field) const {
    using M = proto::LevelConfig;
    flag(m, &M::has_enabled, &M::enabled, r.enabled);
    number(m, &M::has_medium, &M::medium, r.medium, field);
    number(m, &M::has_high, &M::high, r.high, field);
    secs(m, &M::has_medium_delay_s, &M::medium_delay_s, r.medium_delay, field);
    secs(m, &M::has_high_delay_s, &M::high_delay_s, r.high_delay, field);
    number(m, &M::has_clear_at, &M::clear_at, r.clear_at, field);
    secs(m, &M::has_clear_delay_s, &M::clear_delay_s, r.clear_delay, field);
    flag(m, &M::has_latch_medium, &M::latch_medium, r.latch_medium);
    flag(m, &M::has_latch_high, &M::latch_high, r.latch_high);
  }
};

void apply_bp(const Applier& a, const proto::RuleProfileConfig& c, RuleProfile& p) {
  {
    using M = proto::P1Config;
    const M& m = c.p1();
    a.flag(m, &M::has_enabled, &M::enabled, p.p1.enabled);
    a.limits(m.alarm(), p.p1.alarm, "p1.alarm");
    a.count(m, &M::has_clear_readings, &M::clear_readings, p.p1.clear_readings, "p1.clear_readings");
    a.priority(m.priority(), p.p1.priority);
    a.flag(m, &M::has_latching, &M::latching, p.p1.latching);
  }
  {
    using M = proto::P2Config;
    const M& m = c.p2();
    a.flag(m, &M::has_enabled, &M::enabled, p.p2.enabled);
    a.limits(m.alarm(), p.p2.alarm, "p2.alarm");
    a.count(m, &M::has_confirm_readings, &M::confirm_readings, p.p2.confirm_readings, "p2.confirm_readings");
    a.limits(m.clear(), p.p2.clear, "p2.clear");
    a.count(m, &M::has_clear_readings, &M::clear_readings, p.p2.clear_readings, "p2.clear_readings");
    a.priority(m.priority(), p.p2.priority);
    a.flag(m, &M::has_high_if_present_next_reading, &M::high_if_present_next_reading,
           p.p2.high_if_present_next_reading);
    a.secs(m, &M::has_high_if_unacknowledged_s, &M::high_if_unacknowledged_s, p.p2.high_if_unacknowledged,
           "p2.high_if_unacknowledged_s");
    a.flag(m, &M::has_latching, &M::latching, p.p2.latching);
    a.number(m, &M::has_confirm_band_mmhg, &M::confirm_band_mmhg, p.p2.confirm_band_mmhg,
             "p2.confirm_band_mmhg");
  }
  {
    using M = proto::P3Config;
    const M& m = c.p3();
    a.flag(m, &M::has_enabled, &M::enabled, p.p3.enabled);
    a.limits(m.rise(), p.p3.rise, "p3.rise");
    a.count(m, &M::has_confirm_readings, &M::confirm_readings, p.p3.confirm_readings, "p3.confirm_readings");
    a.limits(m.clear_rise(), p.p3.clear_rise, "p3.clear_rise");
    a.count(m, &M::has_clear_readings, &M::clear_readings, p.p3.clear_readings, "p3.clear_readings");
    a.priority(m.priority(), p.p3.priority);
    a.flag(m, &M::has_latching, &M::latching, p.p3.latching);
    a.number(m, &M::has_confirm_band_mmhg, &M::confirm_band_mmhg, p.p3.confirm_band_mmhg,
             "p3.confirm_band_mmhg");
  }
  {
    using M = proto::P4Config;
    const M& m = c.p4();
    a.flag(m, &M::has_enabled, &M::enabled, p.p4.enabled);
    a.limits(m.alarm(), p.p4.alarm, "p4.alarm");
    a.number(m, &M::has_sys_rise_mmhg, &M::sys_rise_mmhg, p.p4.sys_rise_mmhg, "p4.sys_rise_mmhg");
    a.number(m, &M::has_clear_band_mmhg, &M::clear_band_mmhg, p.p4.clear_band_mmhg, "p4.clear_band_mmhg");
    a.secs(m, &M::has_quiet_if_cycle_within_s, &M::quiet_if_cycle_within_s, p.p4.quiet_if_cycle_within,
           "p4.quiet_if_cycle_within_s");
    a.priority(m.priority(), p.p4.priority);
  }
  {
    using M = proto::P5Config;
    const M& m = c.p5();
    a.flag(m, &M::has_enabled, &M::enabled, p.p5.enabled);
    a.number(m, &M::has_sys_below_mmhg, &M::sys_below_mmhg, p.p5.sys_below_mmhg, "p5.sys_below_mmhg");
    if (m.has_map_drop_percent()) {
      double pct = 0;
      a.number(m, &M::has_map_drop_percent, &M::map_drop_percent, pct, "p5.map_drop_percent");
      p.p5.map_drop_fraction = pct / 100.0;
    }
    a.count(m, &M::has_confirm_readings, &M::confirm_readings, p.p5.confirm_readings, "p5.confirm_readings");
    a.count(m, &M::has_clear_readings, &M::clear_readings, p.p5.clear_readings, "p5.clear_readings");
    a.priority(m.priority(), p.p5.priority);
    a.flag(m, &M::has_latching, &M::latching, p.p5.latching);
    a.number(m, &M::has_confirm_band_mmhg, &M::confirm_band_mmhg, p.p5.confirm_band_mmhg,
             "p5.confirm_band_mmhg");
  }
  a.level(c.p6(), p.p6, "p6");
  a.level(c.p7(), p.p7, "p7");
  a.level(c.p8(), p.p8, "p8");
  {
    using M = proto::P9Config;
    const M& m = c.p9();
    a.flag(m, &M::has_enabled, &M::enabled, p.p9.enabled);
    a.limits(m.review(), p.p9.review, "p9.review");
    a.limits(m.not_ready(), p.p9.not_ready, "p9.not_ready");
    a.limits(m.hold(), p.p9.hold, "p9.hold");
    a.priority(m.review_priority(), p.p9.review_priority);
    a.priority(m.not_ready_priority(), p.p9.not_ready_priority);
    a.priority(m.hold_priority(), p.p9.hold_priority);
    a.flag(m, &M::has_blocks_infusion, &M::blocks_infusion, p.p9.blocks_infusion);
  }
}

void apply_technical(const Applier& a, const proto::RuleProfileConfig& c, RuleProfile& p) {
  {
    using M = proto::T1Config;
    a.secs(c.t1(), &M::has_silence_s, &M::silence_s, p.t1.silence, "t1.silence_s");
    a.priority(c.t1().infusion_priority(), p.t1.infusion);
    a.priority(c.t1().other_priority(), p.t1.other);
    a.secs(c.t1(), &M::has_after_session_end_s, &M::after_session_end_s, p.t1.after_session_end,
           "t1.after_session_end_s");
  }
  {
    using M = proto::T2Config;
    a.flag(c.t2(), &M::has_enabled, &M::enabled, p.t2.enabled);
    a.secs(c.t2(), &M::has_unconfirmed_s, &M::unconfirmed_s, p.t2.unconfirmed, "t2.unconfirmed_s");
    a.priority(c.t2().priority(), p.t2.priority);
  }
  {
    using M = proto::T3Config;
    const M& m = c.t3();
    a.secs(m, &M::has_infusion_cycle_s, &M::infusion_cycle_s, p.t3.infusion_cycle, "t3.infusion_cycle_s");
    a.secs(m, &M::has_recovery_early_cycle_s, &M::recovery_early_cycle_s, p.t3.recovery_early_cycle,
           "t3.recovery_early_cycle_s");
    a.secs(m, &M::has_recovery_early_span_s, &M::recovery_early_span_s, p.t3.recovery_early_span,
           "t3.recovery_early_span_s");
    a.secs(m, &M::has_recovery_late_cycle_s, &M::recovery_late_cycle_s, p.t3.recovery_late_cycle,
           "t3.recovery_late_cycle_s");
    a.secs(m, &M::has_grace_s, &M::grace_s, p.t3.grace, "t3.grace_s");
    a.priority(m.infusion_priority(), p.t3.infusion);
    a.priority(m.recovery_priority(), p.t3.recovery);
  }
  {
    using M = proto::T4Config;
    a.count(c.t4(), &M::has_medium_after_failures, &M::medium_after_failures, p.t4.medium_after_failures,
            "t4.medium_after_failures");
    a.priority(c.t4().first_priority(), p.t4.first);
    a.priority(c.t4().repeated_priority(), p.t4.repeated);
  }
  {
    using M = proto::T5Config;
    const M& m = c.t5();
    a.number(m, &M::has_sys_min, &M::sys_min, p.t5.sys_min, "t5.sys_min");
    a.number(m, &M::has_sys_max, &M::sys_max, p.t5.sys_max, "t5.sys_max");
    a.number(m, &M::has_dia_min, &M::dia_min, p.t5.dia_min, "t5.dia_min");
    a.number(m, &M::has_dia_max, &M::dia_max, p.t5.dia_max, "t5.dia_max");
    a.number(m, &M::has_min_pulse_pressure, &M::min_pulse_pressure, p.t5.min_pulse_pressure,
             "t5.min_pulse_pressure");
    a.number(m, &M::has_max_pulse_pressure, &M::max_pulse_pressure, p.t5.max_pulse_pressure,
             "t5.max_pulse_pressure");
    a.number(m, &M::has_hr_min, &M::hr_min, p.t5.hr_min, "t5.hr_min");
    a.number(m, &M::has_hr_max, &M::hr_max, p.t5.hr_max, "t5.hr_max");
    a.number(m, &M::has_sys_jump_mmhg, &M::sys_jump_mmhg, p.t5.sys_jump_mmhg, "t5.sys_jump_mmhg");
    a.secs(m, &M::has_sys_jump_window_s, &M::sys_jump_window_s, p.t5.sys_jump_window, "t5.sys_jump_window_s");
    a.priority(m.priority(), p.t5.priority);
  }
  {
    using M = proto::T6Config;
    a.secs(c.t6(), &M::has_low_after_s, &M::low_after_s, p.t6.low_after, "t6.low_after_s");
    a.secs(c.t6(), &M::has_infusion_medium_after_s, &M::infusion_medium_after_s, p.t6.infusion_medium_after,
           "t6.infusion_medium_after_s");
  }
  {
    using M = proto::T7Config;
    a.secs(c.t7(), &M::has_unbound_after_s, &M::unbound_after_s, p.t7.unbound_after, "t7.unbound_after_s");
    a.secs(c.t7(), &M::has_unbound_spot_check_after_s, &M::unbound_spot_check_after_s,
           p.t7.unbound_spot_check_after, "t7.unbound_spot_check_after_s");
    a.secs(c.t7(), &M::has_shared_window_s, &M::shared_window_s, p.t7.shared_window, "t7.shared_window_s");
    a.priority(c.t7().priority(), p.t7.priority);
  }
  {
    using M = proto::T8Config;
    a.number(c.t8(), &M::has_max_clock_skew_s, &M::max_clock_skew_s, p.t8.max_clock_skew_s,
             "t8.max_clock_skew_s");
    a.priority(c.t8().log_failure_priority(), p.t8.log_failure);
    a.priority(c.t8().audio_failure_priority(), p.t8.audio_failure);
    a.priority(c.t8().clock_skew_priority(), p.t8.clock_skew);
  }
}

void apply_system(const Applier& a, const proto::RuleProfileConfig& c, RuleProfile& p) {
  {
    using M = proto::AlarmSystemConfig;
    const M& m = c.alarm();
    a.secs(m, &M::has_escalate_unacknowledged_s, &M::escalate_unacknowledged_s,
           p.alarm.escalate_unacknowledged, "alarm.escalate_unacknowledged_s");
    a.secs(m, &M::has_audio_pause_s, &M::audio_pause_s, p.alarm.audio_pause, "alarm.audio_pause_s");
    a.secs(m, &M::has_continuous_stale_s, &M::continuous_stale_s, p.alarm.continuous_stale,
           "alarm.continuous_stale_s");
  }
  {
    using M = proto::BaselineConfig;
    a.number(c.baseline(), &M::has_max_sys_spread_mmhg, &M::max_sys_spread_mmhg,
             p.baseline.max_sys_spread_mmhg, "baseline.max_sys_spread_mmhg");
    a.secs(c.baseline(), &M::has_vital_window_s, &M::vital_window_s, p.baseline.vital_window,
           "baseline.vital_window_s");
  }
  {
    using M = proto::RecoveryConfig;
    const M& m = c.recovery();
    a.secs(m, &M::has_min_after_stop_s, &M::min_after_stop_s, p.recovery.min_after_stop,
           "recovery.min_after_stop_s");
    a.count(m, &M::has_readings, &M::readings, p.recovery.readings, "recovery.readings");
    a.number(m, &M::has_sys_over_baseline_mmhg, &M::sys_over_baseline_mmhg, p.recovery.sys_over_baseline_mmhg,
             "recovery.sys_over_baseline_mmhg");
    a.limits(m.absolute(), p.recovery.absolute, "recovery.absolute");
  }
}

}  // namespace

RuleProfile profile_from_config(const proto::RuleProfileConfig& c, const RuleProfile& base) {
  if (c.name().empty()) throw std::invalid_argument("rule profile without a name");
  RuleProfile p = base;
  p.name = c.name();
  const Applier a{p.name};
  apply_bp(a, c, p);
  apply_technical(a, c, p);
  apply_system(a, c, p);
  if (std::string err = validate(p); !err.empty())
    throw std::invalid_argument("rule profile '" + p.name + "': " + err);
  return p;
}

std::vector<RuleProfile> profiles_from_config(const proto::AlertConfig& config) {
  return profiles_from_config(config.profile());
}

std::vector<RuleProfile> profiles_from_config(
    const google::protobuf::RepeatedPtrField<proto::RuleProfileConfig>& profiles) {
  std::vector<RuleProfile> out;
  const RuleProfile builtin;
  const auto find = [&](const std::string& name) -> const RuleProfile* {
    for (const RuleProfile& p : out) {
      if (p.name == name) return &p;
    }
    return name == "default" ? &builtin : nullptr;
  };
  for (const proto::RuleProfileConfig& c : profiles) {
    const std::string base_name = c.based_on().empty() ? "default" : c.based_on();
    const RuleProfile* base = find(base_name);
    if (base == nullptr)
      throw std::invalid_argument("rule profile '" + c.name() + "': based_on '" + base_name +
                                  "' is not defined before it");
    for (const RuleProfile& p : out) {
      if (p.name == c.name()) throw std::invalid_argument("rule profile '" + c.name() + "' defined twice");
    }
    RuleProfile made = profile_from_config(c, *base);
    out.push_back(std::move(made));
  }
  if (std::none_of(out.begin(), out.end(), [](const RuleProfile& p) { return p.name == "default"; }))
    out.push_back(builtin);
  return out;
}

}  // namespace vigil::alerts
