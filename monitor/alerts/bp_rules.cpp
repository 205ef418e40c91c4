#include "alerts/bp_rules.hpp"

#include "alerts/format.hpp"

#include <cmath>

namespace vigil::alerts {

namespace {

// A rule's verdict on one measurement.
struct BpEval {
  bool crossing = false;
  bool clear_ok = false;
  AlertSpec spec;
};

struct Flow {  // how a rule confirms and clears
  int confirm = 1;
  int clear = 1;
  bool high_if_present_next = false;
};

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

// `text`: the rule's alert is up, so its limits text is needed even without a crossing (a
// crossing always gets it). Without either nothing reads the text: it is not built.
BpEval p1(const NibpMeasurement& m, const Baseline* b, const RuleProfile& p, bool text) {
  BpEval e;
  e.spec = make_spec(RuleId::P1, {}, AlertKind::Physiological, p.p1.priority);
  e.spec.latching = p.p1.latching;
  absolute_crossing(e, m, p.p1.alarm, b);
  if (text || e.crossing)
    e.spec.limits = "SBP>=" + num(p.p1.alarm.sys_mmhg) + " or DBP>=" + num(p.p1.alarm.dia_mmhg) +
                    "; clears " + std::to_string(p.p1.clear_readings) + " readings <" +
                    num(p.p2.alarm.sys_mmhg) + "/" + num(p.p2.alarm.dia_mmhg) + " + ack";
  e.clear_ok = m.sys_mmhg < p.p2.alarm.sys_mmhg && dia_or(m, 0) < p.p2.alarm.dia_mmhg;
  return e;
}

BpEval p2(const NibpMeasurement& m, const Baseline* b, const RuleProfile& p, bool text) {
  BpEval e;
  e.spec = make_spec(RuleId::P2, {}, AlertKind::Physiological, p.p2.priority);
  e.spec.latching = p.p2.latching;
  e.spec.high_if_unacknowledged = p.p2.high_if_unacknowledged;
  absolute_crossing(e, m, p.p2.alarm, b);
  if (text || e.crossing)
    e.spec.limits = "SBP>=" + num(p.p2.alarm.sys_mmhg) + " or DBP>=" + num(p.p2.alarm.dia_mmhg) +
                    "; confirm " + std::to_string(p.p2.confirm_readings) + " readings; clears " +
                    std::to_string(p.p2.clear_readings) + " readings <=" + num(p.p2.clear.sys_mmhg) + "/" +
                    num(p.p2.clear.dia_mmhg) + " + ack";
  e.clear_ok = m.sys_mmhg <= p.p2.clear.sys_mmhg && dia_or(m, 0) <= p.p2.clear.dia_mmhg;
  return e;
}

BpEval p3(const NibpMeasurement& m, const Baseline& b, const RuleProfile& p, bool text) {
  BpEval e;
  e.spec = make_spec(RuleId::P3, {}, AlertKind::Physiological, p.p3.priority);
  e.spec.latching = p.p3.latching;
  const double bs = *b.sys_mmhg;
  if (text || m.sys_mmhg >= bs + p.p3.rise.sys_mmhg ||
      (m.dia_mmhg && b.dia_mmhg && *m.dia_mmhg >= *b.dia_mmhg + p.p3.rise.dia_mmhg))
    e.spec.limits = "SBP>=B+" + num(p.p3.rise.sys_mmhg) + " or DBP>=B+" + num(p.p3.rise.dia_mmhg) + " (B " +
                    num(bs) + "/" + (b.dia_mmhg ? num(*b.dia_mmhg) : "-") + "); clears " +
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

BpEval p4(const NibpMeasurement& m, const Baseline* b, const RuleProfile& p, bool text) {
  BpEval e;
  e.spec = make_spec(RuleId::P4, {}, AlertKind::Physiological, p.p4.priority);
  e.spec.latching = false;
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
  if (text || e.crossing)
    e.spec.limits = "SBP>=" + num(p.p4.alarm.sys_mmhg) + " or DBP>=" + num(p.p4.alarm.dia_mmhg) +
                    " or SBP>=B+" + num(p.p4.sys_rise_mmhg) + "; clears next reading below (" +
                    num(p.p4.clear_band_mmhg) + " mmHg under each limit)";
  // Clears on a reading below every limit by the band: a pressure hovering at 160 with
  // +-3 mmHg of measurement noise would otherwise raise, clear and raise again.
  const double band = p.p4.clear_band_mmhg;
  e.clear_ok = m.sys_mmhg < p.p4.alarm.sys_mmhg - band && dia_or(m, 0) < p.p4.alarm.dia_mmhg - band &&
               (!b || m.sys_mmhg < *b->sys_mmhg + p.p4.sys_rise_mmhg - band);
  return e;
}

BpEval p5(const NibpMeasurement& m, const Baseline* b, const RuleProfile& p, bool text) {
  BpEval e;
  e.spec = make_spec(RuleId::P5, {}, AlertKind::Physiological, p.p5.priority);
  e.spec.latching = p.p5.latching;
  if (text)
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
  if (e.crossing && e.spec.limits.empty()) e.spec.limits = p5(m, b, p, true).spec.limits;
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
  spec.message = without_repeat_request(advisory.message) + "; repeat " + m.text() + " within " + num(band) +
                 " mmHg of the limit confirms";
  return spec;
}

// How a rule's measurement is judged besides its own crossing.
struct Judged {
  const BpEval* near = nullptr;  // the rule on the reading moved `band` toward the alarm side
  double band = 0;
  bool previous_near = false;  // the verified reading before was within the band of the limit
  const NibpMeasurement* previous = nullptr;
  bool after_jump = false;  // this reading confirmed the unverified jump just before it
};

// The reading before, within the band of the limit, counts as the first of the readings a
// rule needs; the alarm names it so the nurse sees both numbers.
AlertSpec with_previous(const BpEval& e, const NibpMeasurement& previous, double band) {
  AlertSpec spec = e.spec;
  spec.message +=
      "; the reading before, " + previous.text() + ", within " + num(band) + " mmHg of the limit confirms";
  return spec;
}

void apply(AlertBook& book, const NibpMeasurement& m, const BpEval& e, const Judged& j, const Flow& flow,
           Emit& emit) {
  Alert* a = book.find(e.spec.rule);
  if (a == nullptr) {
    if (!e.crossing) return;
    // The jumped reading this one repeats, or a verified reading within the band just under
    // the limit, is the first of the readings the rule needs.
    const int before = (j.after_jump || j.previous_near) ? 1 : 0;
    const bool confirmed = 1 + before >= flow.confirm;
    const AlertSpec spec = confirmed && flow.confirm > 1 && j.previous_near && !j.after_jump
                               ? with_previous(e, *j.previous, j.band)
                               : e.spec;
    Alert& raised = book.raise(spec, !confirmed, emit);
    if (raised.state == AlertState::Advisory) raised.confirm_count += before;
    return;
  }
  if (a->state == AlertState::Advisory) {
    const bool near_crossing = j.near != nullptr && j.near->crossing;
    if (!e.crossing && !near_crossing) {
      book.resolve(*a, "not confirmed by repeat reading " + m.text(), emit);
    } else if (++a->confirm_count >= flow.confirm) {
      book.confirm(*a, e.crossing ? e.spec : band_confirmation(*a, *j.near, m, j.band), emit);
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
    book.condition_gone(*a, a->message + "; clear criteria met at " + m.text(), emit);
  }
}

// A rule with a confirmation band: judged on the reading, on the reading moved by the band,
// and on the reading before moved by the band.
template <typename Rule>
void apply_banded(AlertBook& book, RuleId id, const NibpMeasurement& m, const NibpMeasurement* previous,
                  double by, Rule rule, const Flow& flow, bool after_jump, Emit& emit) {
  const bool live = book.find(id) != nullptr;
  const BpEval e = rule(m, live);
  const BpEval near = rule(shifted(m, by), live);
  Judged j;
  j.near = &near;
  j.band = std::abs(by);
  j.previous = previous;
  j.previous_near = previous != nullptr && rule(shifted(*previous, by), false).crossing;
  j.after_jump = after_jump;
  apply(book, m, e, j, flow, emit);
}

bool higher_bp_alert_live(AlertBook& book) {
  return book.find(RuleId::P1) != nullptr || book.find(RuleId::P2) != nullptr ||
         book.find(RuleId::P3) != nullptr;
}

}  // namespace

void apply_bp_rules(BedState& bed, const NibpMeasurement& m, const NibpMeasurement* previous, bool after_jump,
                    std::optional<Duration> cycle, const RuleProfile& p, Emit& emit) {
  const Baseline* b = bed.relative_baseline();
  AlertBook& book = bed.book;
  if (p.p1.enabled) {
    Judged j;
    j.after_jump = after_jump;
    apply(book, m, p1(m, b, p, book.find(RuleId::P1) != nullptr), j, Flow{1, p.p1.clear_readings, false},
          emit);
  }
  if (p.p2.enabled) {
    apply_banded(
        book, RuleId::P2, m, previous, p.p2.confirm_band_mmhg,
        [&](const NibpMeasurement& x, bool text) { return p2(x, b, p, text); },
        Flow{p.p2.confirm_readings, p.p2.clear_readings, p.p2.high_if_present_next_reading}, after_jump,
        emit);
  }
  if (p.p3.enabled && b) {
    apply_banded(
        book, RuleId::P3, m, previous, p.p3.confirm_band_mmhg,
        [&](const NibpMeasurement& x, bool text) { return p3(x, *b, p, text); },
        Flow{p.p3.confirm_readings, p.p3.clear_readings, false}, after_jump, emit);
  }
  // P4 ("consider NIBP every 3-5 min") is awareness of a rise: while P1-P3 is live (an
  // advisory asking for a repeat now, or an alarm) that higher item covers it, and before the
  // infusion the P9 gate judges high readings (the cycle is the nurse's then). Its request
  // is a 3-5 min cycle: a cuff already measuring that often leaves it nothing to ask, so it
  // is not raised then (a live one still clears on its own terms).
  if (p.p4.enabled) {
    const bool covered = higher_bp_alert_live(book);
    const bool before_infusion = bed.session && bed.pre_infusion();
    const bool cycle_as_asked =
        cycle && p.p4.quiet_if_cycle_within.count() > 0 && *cycle <= p.p4.quiet_if_cycle_within;
    Alert* live = book.find(RuleId::P4);
    if (live && (covered || before_infusion)) {
      book.resolve(*live, live->message + (covered ? "; covered by a higher blood-pressure alert" : ""),
                   emit);
    } else if (!covered && !before_infusion && (live || !cycle_as_asked)) {
      apply(book, m, p4(m, b, p, live != nullptr), Judged{}, Flow{1, 1, false}, emit);
    }
  }
  if (p.p5.enabled) {
    apply_banded(
        book, RuleId::P5, m, previous, -p.p5.confirm_band_mmhg,
        [&](const NibpMeasurement& x, bool text) { return p5(x, b, p, text); },
        Flow{p.p5.confirm_readings, p.p5.clear_readings, false}, after_jump, emit);
  }
}

std::string p1_at_stake(const RuleProfile& p, std::optional<double> sys, std::optional<double> dia) {
  if (!p.p1.enabled) return {};
  if (sys && *sys >= p.p1.alarm.sys_mmhg)
    return "SBP " + num(*sys) + " >= " + num(p.p1.alarm.sys_mmhg) + " (P1)";
  if (dia && *dia >= p.p1.alarm.dia_mmhg)
    return "DBP " + num(*dia) + " >= " + num(p.p1.alarm.dia_mmhg) + " (P1)";
  return {};
}

}  // namespace vigil::alerts
