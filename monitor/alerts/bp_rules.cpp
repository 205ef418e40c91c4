#include "alerts/bp_rules.hpp"

#include "alerts/format.hpp"

namespace vigil::alerts {

namespace {

// A rule's verdict on one measurement.
struct BpEval {
  bool crossing = false;
  bool clear_ok = false;
  AlertSpec spec;
};

struct Flow {       // how a rule confirms and clears
  int confirm = 1;
  int clear = 1;
  bool high_if_present_next = false;
};

std::string bp_text(const NibpMeasurement& m) {
  return num(m.sys_mmhg) + "/" + (m.dia_mmhg ? num(*m.dia_mmhg) : std::string("-"));
}

double dia_or(const NibpMeasurement& m, double fallback) { return m.dia_mmhg.value_or(fallback); }

// "SBP 186 >= 180" or "DBP 112 >= 110", whichever crossed (SBP first). With a session
// baseline the alert also carries the matching baseline value, so the log and the display
// show how far above their own normal the patient is (the alert line contract's "baseline").
void absolute_crossing(BpEval& e, const NibpMeasurement& m, const SysDia& lim, const Baseline* b) {
  if (m.sys_mmhg >= lim.sys_mmhg) {
    e.crossing = true;
    e.spec.value = m.sys_mmhg;
    e.spec.limit = lim.sys_mmhg;
    if (b) e.spec.baseline = b->sys_mmhg;
    e.spec.metric = VitalKind::NibpSys;
    e.spec.direction = Direction::Above;
    e.spec.message = "SBP " + num(m.sys_mmhg) + " >= " + num(lim.sys_mmhg);
  } else if (m.dia_mmhg && *m.dia_mmhg >= lim.dia_mmhg) {
    e.crossing = true;
    e.spec.value = *m.dia_mmhg;
    e.spec.limit = lim.dia_mmhg;
    if (b) e.spec.baseline = b->dia_mmhg;
    e.spec.metric = VitalKind::NibpDia;
    e.spec.direction = Direction::Above;
    e.spec.message = "DBP " + num(*m.dia_mmhg) + " >= " + num(lim.dia_mmhg);
  }
}

BpEval p1(const NibpMeasurement& m, const Baseline* b, const RuleProfile& p) {
  BpEval e;
  e.spec = make_spec(RuleId::P1, {}, AlertKind::Physiological, p.p1.priority);
  e.spec.latching = p.p1.latching;
  e.spec.limits = "SBP>=" + num(p.p1.alarm.sys_mmhg) + " or DBP>=" + num(p.p1.alarm.dia_mmhg) +
                  "; clears " + std::to_string(p.p1.clear_readings) + " readings <" +
                  num(p.p2.alarm.sys_mmhg) + "/" + num(p.p2.alarm.dia_mmhg) + " + ack";
  absolute_crossing(e, m, p.p1.alarm, b);
  e.clear_ok = m.sys_mmhg < p.p2.alarm.sys_mmhg && dia_or(m, 0) < p.p2.alarm.dia_mmhg;
  return e;
}

BpEval p2(const NibpMeasurement& m, const Baseline* b, const RuleProfile& p) {
  BpEval e;
  e.spec = make_spec(RuleId::P2, {}, AlertKind::Physiological, p.p2.priority);
  e.spec.latching = p.p2.latching;
  e.spec.high_if_unacknowledged = p.p2.high_if_unacknowledged;
  e.spec.limits = "SBP>=" + num(p.p2.alarm.sys_mmhg) + " or DBP>=" + num(p.p2.alarm.dia_mmhg) +
                  "; confirm " + std::to_string(p.p2.confirm_readings) + " readings; clears " +
                  std::to_string(p.p2.clear_readings) + " readings <=" + num(p.p2.clear.sys_mmhg) +
                  "/" + num(p.p2.clear.dia_mmhg) + " + ack";
  absolute_crossing(e, m, p.p2.alarm, b);
  e.clear_ok = m.sys_mmhg <= p.p2.clear.sys_mmhg && dia_or(m, 0) <= p.p2.clear.dia_mmhg;
  return e;
}

BpEval p3(const NibpMeasurement& m, const Baseline& b, const RuleProfile& p) {
  BpEval e;
  e.spec = make_spec(RuleId::P3, {}, AlertKind::Physiological, p.p3.priority);
  e.spec.latching = p.p3.latching;
  const double bs = *b.sys_mmhg;
  e.spec.limits = "SBP>=B+" + num(p.p3.rise.sys_mmhg) + " or DBP>=B+" + num(p.p3.rise.dia_mmhg) +
                  " (B " + num(bs) + "/" + (b.dia_mmhg ? num(*b.dia_mmhg) : "-") + "); clears " +
                  std::to_string(p.p3.clear_readings) + " readings <B+" + num(p.p3.clear_rise.sys_mmhg) +
                  "/B+" + num(p.p3.clear_rise.dia_mmhg) + " + ack";
  if (m.sys_mmhg >= bs + p.p3.rise.sys_mmhg) {
    e.crossing = true;
    e.spec.value = m.sys_mmhg;
    e.spec.limit = bs + p.p3.rise.sys_mmhg;
    e.spec.baseline = bs;
    e.spec.metric = VitalKind::NibpSys;
    e.spec.direction = Direction::Above;
    e.spec.message = "SBP " + signed_num(m.sys_mmhg - bs) + " over baseline " + num(bs) + " (SBP " +
                     num(m.sys_mmhg) + " >= " + num(bs + p.p3.rise.sys_mmhg) + ")";
  } else if (m.dia_mmhg && b.dia_mmhg && *m.dia_mmhg >= *b.dia_mmhg + p.p3.rise.dia_mmhg) {
    const double bd = *b.dia_mmhg;
    e.crossing = true;
    e.spec.value = *m.dia_mmhg;
    e.spec.limit = bd + p.p3.rise.dia_mmhg;
    e.spec.baseline = bd;
    e.spec.metric = VitalKind::NibpDia;
    e.spec.direction = Direction::Above;
    e.spec.message = "DBP " + signed_num(*m.dia_mmhg - bd) + " over baseline " + num(bd) + " (DBP " +
                     num(*m.dia_mmhg) + " >= " + num(bd + p.p3.rise.dia_mmhg) + ")";
  }
  const bool dia_ok = !m.dia_mmhg || !b.dia_mmhg || *m.dia_mmhg < *b.dia_mmhg + p.p3.clear_rise.dia_mmhg;
  e.clear_ok = m.sys_mmhg < bs + p.p3.clear_rise.sys_mmhg && dia_ok;
  return e;
}

BpEval p4(const NibpMeasurement& m, const Baseline* b, const RuleProfile& p) {
  BpEval e;
  e.spec = make_spec(RuleId::P4, {}, AlertKind::Physiological, p.p4.priority);
  e.spec.latching = false;
  e.spec.limits = "SBP>=" + num(p.p4.alarm.sys_mmhg) + " or DBP>=" + num(p.p4.alarm.dia_mmhg) +
                  " or SBP>=B+" + num(p.p4.sys_rise_mmhg) + "; clears next reading below";
  absolute_crossing(e, m, p.p4.alarm, b);
  if (!e.crossing && b && m.sys_mmhg >= *b->sys_mmhg + p.p4.sys_rise_mmhg) {
    e.crossing = true;
    e.spec.value = m.sys_mmhg;
    e.spec.limit = *b->sys_mmhg + p.p4.sys_rise_mmhg;
    e.spec.baseline = *b->sys_mmhg;
    e.spec.metric = VitalKind::NibpSys;
    e.spec.direction = Direction::Above;
    e.spec.message = "SBP " + signed_num(m.sys_mmhg - *b->sys_mmhg) + " over baseline " + num(*b->sys_mmhg);
  }
  if (e.crossing) e.spec.message += ": consider NIBP every 3-5 min";
  e.clear_ok = !e.crossing;
  return e;
}

BpEval p5(const NibpMeasurement& m, const Baseline* b, const RuleProfile& p) {
  BpEval e;
  e.spec = make_spec(RuleId::P5, {}, AlertKind::Physiological, p.p5.priority);
  e.spec.latching = p.p5.latching;
  e.spec.limits = "SBP<" + num(p.p5.sys_below_mmhg) + " or MAP<B-" + num(p.p5.map_drop_fraction * 100) +
                  "%; confirm " + std::to_string(p.p5.confirm_readings) + " readings; clears " +
                  std::to_string(p.p5.clear_readings) + " readings above + ack";
  const auto map = m.map_mmhg();
  if (m.sys_mmhg < p.p5.sys_below_mmhg) {
    e.crossing = true;
    e.spec.value = m.sys_mmhg;
    e.spec.limit = p.p5.sys_below_mmhg;
    e.spec.metric = VitalKind::NibpSys;
    e.spec.direction = Direction::Below;
    e.spec.message = "SBP " + num(m.sys_mmhg) + " < " + num(p.p5.sys_below_mmhg);
  } else if (b && b->map_mmhg && map && *map < *b->map_mmhg * (1 - p.p5.map_drop_fraction)) {
    const double limit = *b->map_mmhg * (1 - p.p5.map_drop_fraction);
    e.crossing = true;
    e.spec.value = *map;
    e.spec.limit = limit;
    e.spec.baseline = *b->map_mmhg;
    e.spec.metric = VitalKind::NibpMean;
    e.spec.direction = Direction::Below;
    e.spec.message = "MAP " + num(*map) + " < " + num(limit) + " (baseline " + num(*b->map_mmhg) + " -" +
                     num(p.p5.map_drop_fraction * 100) + "%)";
  }
  e.clear_ok = !e.crossing;
  return e;
}

// A reading within the band of the limit on the safe side, judged as if it had crossed.
NibpMeasurement shifted(const NibpMeasurement& m, double by) {
  NibpMeasurement out = m;
  out.sys_mmhg += by;
  if (out.dia_mmhg) *out.dia_mmhg += by;
  if (out.mean_mmhg) *out.mean_mmhg += by;
  return out;
}

std::string without_repeat_request(std::string message) {
  const std::string suffix = ": repeat NIBP now";
  const auto at = message.find(suffix);
  return at == std::string::npos ? message : message.substr(0, at);
}

// The advisory's own crossing stays the alarm's text; the repeat that confirmed it within the
// band is named, so the nurse sees both numbers.
AlertSpec band_confirmation(const Alert& advisory, const BpEval& e, const NibpMeasurement& m, double band) {
  AlertSpec spec = e.spec;
  spec.value = advisory.value;
  spec.limit = advisory.limit;
  spec.baseline = advisory.baseline;
  spec.metric = advisory.metric;
  spec.direction = advisory.direction;
  spec.message = without_repeat_request(advisory.message) + "; repeat " + bp_text(m) + " within " + num(band) +
                 " mmHg of the limit confirms";
  return spec;
}

// `near`: the rule judged on the reading moved `band` toward the alarm side (null: no band).
// `after_jump`: this reading confirmed the unverified jump just before it (it counts as the
// first reading of the confirmation).
void apply(AlertBook& book, const NibpMeasurement& m, const BpEval& e, const BpEval* near, double band,
           const Flow& flow, bool after_jump, Emit& emit) {
  Alert* a = book.find(e.spec.rule);
  if (a == nullptr) {
    if (!e.crossing) return;
    Alert& raised = book.raise(e.spec, flow.confirm > 1 && !(after_jump && flow.confirm <= 2), emit);
    if (raised.state == AlertState::Advisory && after_jump) ++raised.confirm_count;
    return;
  }
  if (a->state == AlertState::Advisory) {
    const bool near_crossing = near != nullptr && near->crossing;
    if (!e.crossing && !near_crossing) {
      book.resolve(*a, "not confirmed by repeat reading " + bp_text(m), emit);
    } else if (++a->confirm_count >= flow.confirm) {
      book.confirm(*a, e.crossing ? e.spec : band_confirmation(*a, *near, m, band), emit);
    } else if (e.crossing) {
      AlertBook::refresh(*a, e.spec);
      a->message += ": repeat NIBP now";
    }
    return;
  }
  if (e.crossing) {
    a->clear_count = 0;
    if (a->state == AlertState::Latched) {
      book.reactivate(*a, e.spec, emit);
      return;
    }
    const bool acknowledged = a->state == AlertState::Acknowledged;
    AlertBook::refresh(*a, e.spec);
    if (flow.high_if_present_next && a->priority < Priority::High) {
      book.set_priority(*a, Priority::High, e.spec.message + " (still present at next reading)", emit);
    } else if (acknowledged && a->priority >= Priority::Medium) {
      // A new measurement meeting the rule is news the nurse has not seen: it sounds again
      // and must be acknowledged again, never a silent update of an acknowledged alarm.
      // (P4, LOW, is awareness: "consider a shorter cycle" once is enough.)
      book.reactivate(*a, e.spec, emit);
    }
    return;
  }
  if (a->state == AlertState::Latched) return;
  if (!e.clear_ok) {
    a->clear_count = 0;
  } else if (++a->clear_count >= flow.clear) {
    book.condition_gone(*a, a->message + "; clear criteria met at " + bp_text(m), emit);
  }
}

}  // namespace

void apply_bp_rules(BedState& bed, const NibpMeasurement& m, NibpCheck check, bool after_jump, const RuleProfile& p,
                    Emit& emit) {
  const Baseline* b = bed.relative_baseline();
  if (check != NibpCheck::Verified) {
    // No alarm from a reading T5 doubts; a severe one asks for the repeat at once.
    if (!p.p1.enabled || bed.book.find(RuleId::P1) != nullptr) return;
    BpEval e = p1(m, b, p);
    if (!e.crossing) return;
    e.spec.message += check == NibpCheck::Impossible ? " (implausible reading)" : " (jump from the last verified reading)";
    bed.book.raise(e.spec, true, emit);
    return;
  }
  if (p.p1.enabled) apply(bed.book, m, p1(m, b, p), nullptr, 0, Flow{1, p.p1.clear_readings, false}, after_jump, emit);
  if (p.p2.enabled) {
    const BpEval near = p2(shifted(m, p.p2.confirm_band_mmhg), b, p);
    apply(bed.book, m, p2(m, b, p), &near, p.p2.confirm_band_mmhg,
          Flow{p.p2.confirm_readings, p.p2.clear_readings, p.p2.high_if_present_next_reading}, after_jump, emit);
  }
  if (p.p3.enabled && b) {
    const BpEval near = p3(shifted(m, p.p3.confirm_band_mmhg), *b, p);
    apply(bed.book, m, p3(m, *b, p), &near, p.p3.confirm_band_mmhg, Flow{p.p3.confirm_readings, p.p3.clear_readings, false},
          after_jump, emit);
  }
  if (p.p4.enabled) apply(bed.book, m, p4(m, b, p), nullptr, 0, Flow{1, 1, false}, after_jump, emit);
  if (p.p5.enabled) {
    const BpEval near = p5(shifted(m, -p.p5.confirm_band_mmhg), b, p);
    apply(bed.book, m, p5(m, b, p), &near, p.p5.confirm_band_mmhg, Flow{p.p5.confirm_readings, p.p5.clear_readings, false},
          after_jump, emit);
  }
}

}  // namespace vigil::alerts
