#include "alerts/gate_rule.hpp"

#include "alerts/format.hpp"

namespace vigil::alerts {

namespace {

bool at_or_over(const Baseline& b, const SysDia& lim) {
  return *b.sys_mmhg >= lim.sys_mmhg || (b.dia_mmhg && *b.dia_mmhg >= lim.dia_mmhg);
}

std::string pair(const SysDia& s) { return num(s.sys_mmhg) + "/" + num(s.dia_mmhg); }

}  // namespace

void evaluate_gate(BedState& bed, const RuleProfile& p, Emit& emit) {
  if (!p.p9.enabled || !bed.session || !bed.pre_infusion()) return;
  const SessionState& s = bed.session->state();
  Alert* a = bed.book.find(RuleId::P9);
  if (s.gate_overridden) {
    if (a) bed.book.resolve(*a, "override recorded", emit, s.baseline.override_user);
    return;
  }
  const Baseline& b = s.baseline;
  if (!b.has_nibp()) {
    // Only a withdrawn reading takes a baseline away: the gate judged numbers now disowned.
    if (a)
      bed.book.resolve(*a, a->message + "; baseline withdrawn with a reading: waiting for readings", emit);
    return;
  }
  const std::string text = "Baseline " + num(*b.sys_mmhg) + "/" + (b.dia_mmhg ? num(*b.dia_mmhg) : "-");
  AlertSpec spec = make_spec(RuleId::P9, {}, AlertKind::Physiological, p.p9.review_priority);
  spec.value = *b.sys_mmhg;
  spec.baseline = *b.sys_mmhg;
  spec.metric = VitalKind::NibpSys;  // the gate judges the baseline pair; systolic leads
  spec.direction = Direction::Above;
  spec.latching = false;
  spec.limits = "review >=" + pair(p.p9.review) + ", not ready >=" + pair(p.p9.not_ready) +
                ", hold >=" + pair(p.p9.hold) + "; until override or baseline below";
  if (at_or_over(b, p.p9.hold)) {
    spec.priority = p.p9.hold_priority;
    spec.limit = p.p9.hold.sys_mmhg;
    spec.message = text + " >= " + pair(p.p9.hold) + ": hold";
  } else if (at_or_over(b, p.p9.not_ready)) {
    spec.priority = p.p9.not_ready_priority;
    spec.limit = p.p9.not_ready.sys_mmhg;
    spec.message = text + " >= " + pair(p.p9.not_ready) + ": not ready";
  } else if (at_or_over(b, p.p9.review)) {
    spec.limit = p.p9.review.sys_mmhg;
    spec.message = text + " >= " + pair(p.p9.review) + ": prescriber review";
  } else {
    if (a) bed.book.condition_gone(*a, text + " below " + pair(p.p9.review), emit);
    return;
  }
  if (a == nullptr) {
    bed.book.raise(spec, false, emit);
  } else if (a->priority != spec.priority) {
    AlertBook::refresh(*a, spec);
    bed.book.set_priority(*a, spec.priority, spec.message, emit);
  } else {
    AlertBook::refresh(*a, spec);
  }
}

std::string gate_refusal(BedState& bed, const RuleProfile& p) {
  if (!p.p9.blocks_infusion || !bed.session || bed.session->state().gate_overridden) return {};
  const Alert* a = bed.book.find(RuleId::P9);
  if (a && a->priority >= Priority::Medium)
    return "pre-infusion gate: " + a->message + "; record a baseline override to proceed";
  return {};
}

}  // namespace vigil::alerts
