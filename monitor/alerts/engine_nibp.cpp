// NIBP: a reading (SYS, DIA or MEAN) joins its measurement; completed measurements go
// through T5 and the BP rules. Split from alert_engine.cpp to keep files small.
#include "alerts/alert_engine.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

#include "alerts/bed_state.hpp"
#include "alerts/bp_rules.hpp"
#include "alerts/format.hpp"
#include "alerts/gate_rule.hpp"
#include "alerts/plausibility.hpp"
#include "alerts/technical_rules.hpp"

namespace vigil::alerts {

namespace {

// The verified measurement before one taken now, if within the jump window ("the reading
// before"; the window is the longest NIBP cycle + margin).
const NibpMeasurement* previous_verified(const BedState& bed, const RuleProfile& p, MonoTime now) {
  if (bed.last_verified_nibp && now - bed.last_verified_nibp->first <= p.t5.sys_jump_window)
    return &bed.last_verified_nibp->second;
  return nullptr;
}

// What the T5 jump check of a measurement taken now compares with.
JumpReference jump_reference(const BedState& bed, const RuleProfile& p, MonoTime now) {
  JumpReference ref;
  if (const NibpMeasurement* before = previous_verified(bed, p, now)) ref.verified_sys = before->sys_mmhg;
  if (bed.last_jumped_sys && now - bed.last_jumped_sys->first <= p.t5.sys_jump_window)
    ref.jumped_sys = bed.last_jumped_sys->second;
  else if (bed.last_late_sys && now - bed.last_late_sys->first <= p.t5.sys_jump_window)
    ref.jumped_sys = bed.last_late_sys->second;
  return ref;
}

// T5's text for an unverified reading: why, what it would mean if real, and the request.
std::string t5_reason(const NibpMeasurement& m, const NibpJudgement& j, const RuleProfile& p) {
  std::string reason = j.reason;
  // A severe reading nothing agrees with yet: the repeat decides, and the item says what is
  // at stake so the nurse repeats it now rather than at the next cycle.
  if (!j.impossible) {
    if (const std::string stake = p1_at_stake(p, m.sys_mmhg, m.dia_mmhg); !stake.empty())
      reason += "; " + stake + " if real";
  }
  return reason + ": repeat NIBP now";
}

}  // namespace

void AlertEngine::process_nibp_part(BedState& bed, const Reading& r, Now now, ReadingResult& res) {
  for (const NibpMeasurement& m : bed.nibp.add(r, now.mono)) process_nibp(bed, m, now, res);
  for (const NibpVerdict& v : res.nibp_verdicts) {
    if (v.measured_at_ms == r.measured_at_ms && !v.verified) {
      res.verified = false;
      res.reason = v.reason;
    }
  }
  // A part of a measurement still waiting for the rest is judged on what it has, with
  // the same check the whole will get: a reading is never stored verified and then
  // found implausible when the measurement completes (a monitor that sends no MEAN).
  if (const NibpMeasurement* part = bed.nibp.pending_with_sys();
      part && part->measured_at_ms == r.measured_at_ms && res.verified) {
    const RuleProfile& p = profile_for(bed);
    const NibpJudgement j =
        judge_nibp(*part, p.t5, jump_reference(bed, p, now.mono), p.baseline.max_sys_spread_mmhg);
    if (!part->device_valid) {
      res.verified = false;
      res.reason = "flagged invalid by the device";
    } else if (!j.reason.empty()) {
      res.verified = false;
      res.reason = j.reason;
    }
  }
  if (!std::isfinite(r.value)) {
    res.verified = false;
    res.reason = "not a number";
  }
}

void AlertEngine::process_nibp(BedState& bed, const NibpMeasurement& m, Now now, EngineOutput& out) {
  const RuleProfile& p = profile_for(bed);
  Emit emit = emit_for(bed, now, out);
  NibpVerdict v;
  v.bed = bed.name;
  v.measured_at_ms = m.measured_at_ms;
  v.sys_mmhg = m.sys_mmhg;
  v.dia_mmhg = m.dia_mmhg;
  v.mean_mmhg = m.mean_mmhg;
  // A monitor without measurement times sends 0 for each: its results cannot be told apart.
  if (const auto& last = bed.last_judged_nibp; last && m.measured_at_ms != 0 && last->first != now.mono) {
    const NibpMeasurement& l = last->second;
    if (l.measured_at_ms == m.measured_at_ms && l.source == m.source && l.sys_mmhg == m.sys_mmhg &&
        l.dia_mmhg == m.dia_mmhg) {
      v.resend = true;
      out.nibp_verdicts.push_back(v);
      return;
    }
  }
  bed.last_judged_nibp = std::make_pair(now.mono, m);
  // The cuff's cycle counts every measurement it completed, whatever was made of it. An
  // interval that spans a phase change (the last baseline cuff to the first infusion one,
  // 7 min on a 5-min infusion cycle) shows the old phase's rhythm, not the one the nurse has
  // just set: until the phase's own second cuff, the shorter of it and the cycle the phase
  // asks for (P4 is awareness, judged again at the next reading).
  std::optional<Duration> cycle;
  if (bed.last_nibp) {
    cycle = std::chrono::duration_cast<Duration>(now.mono - *bed.last_nibp);
    if (bed.last_nibp_phase != bed.phase()) cycle = std::min(*cycle, nibp_cycle(bed, p, now.mono));
  }
  bed.last_nibp = now.mono;
  bed.last_nibp_phase = bed.phase();
  if (!m.device_valid) {
    v.verified = false;
    v.reason = "flagged invalid by the device";
    out.nibp_verdicts.push_back(v);
    return;
  }
  const NibpJudgement j =
      judge_nibp(m, p.t5, jump_reference(bed, p, now.mono), p.baseline.max_sys_spread_mmhg);
  v.reason = j.reason;
  v.verified = v.reason.empty();
  out.nibp_verdicts.push_back(v);
  // One bad reading, one item: T5 asks for the repeat (and names P1 when the reading would
  // meet it); no rule raises an alarm or an advisory from it (bp_rules.hpp).
  t5_plausibility(bed, p, "NIBP", v.verified ? std::string() : t5_reason(m, j, p), m.sys_mmhg, emit);
  if (v.verified) {
    bed.valid_nibp_before = bed.last_valid_nibp;
    bed.last_valid_nibp = now.mono;
    t3_stale_nibp(bed, p, emit);
    t4_nibp_ok(bed, p, emit);
    if (bed.session && bed.pre_infusion()) {
      bed.baseline_calc.add_nibp(m);
      update_baseline(bed, now, out);
    }
    apply_bp_rules(bed, m, previous_verified(bed, p, now.mono), j.repeats_jump, cycle, p, emit);
    // The jump check compares with the last *verified* reading: an artifact must not make
    // the real reading after it look like a jump. A jump the next reading repeats is real.
    bed.verified_nibp_before = std::exchange(bed.last_verified_nibp, std::make_pair(now.mono, m));
    bed.last_jumped_sys.reset();
    bed.last_late_sys.reset();  // a verified reading is the reference from now on
  } else if (!j.impossible) {
    bed.last_jumped_sys = std::make_pair(now.mono, m.sys_mmhg);
  }
  if (v.verified && bed.phase() == Phase::Recovery) {
    SessionState& s = bed.session->mutable_state();
    const Baseline& b = s.baseline;
    const bool near_baseline = b.has_nibp() && m.sys_mmhg <= *b.sys_mmhg + p.recovery.sys_over_baseline_mmhg;
    const bool below_absolute = m.sys_mmhg < p.recovery.absolute.sys_mmhg &&
                                (!m.dia_mmhg || *m.dia_mmhg < p.recovery.absolute.dia_mmhg);
    s.recovery_readings_ok = (near_baseline || below_absolute) ? s.recovery_readings_ok + 1 : 0;
  }
  evaluate_discharge(bed, now, out);
}

EngineOutput AlertEngine::end_of_message(const std::string& bed_name, Now now) {
  EngineOutput out;
  BedState* bed = bed_name.empty() ? nullptr : bed_for(bed_name, false);
  if (bed == nullptr) return out;
  const NibpMeasurement* m = bed->nibp.pending_without_sys(now.mono);
  if (m == nullptr || !m->device_valid || (!m->dia_mmhg && !m->mean_mmhg)) return out;
  // No SBP, so no plausibility check can be made and the rules have nothing to judge: the
  // DBP alone could be an artifact as easily as a crisis. Never silence: T5 asks for the
  // repeat now and says what is at stake.
  const RuleProfile& p = profile_for(*bed);
  NibpVerdict v;
  v.bed = bed->name;
  v.measured_at_ms = m->measured_at_ms;
  v.dia_mmhg = m->dia_mmhg;
  v.mean_mmhg = m->mean_mmhg;
  v.verified = false;
  std::string reason = "no SBP in the result";
  if (m->dia_mmhg)
    reason += " (DBP " + num(*m->dia_mmhg) + ")";
  else
    reason += " (MAP " + num(*m->mean_mmhg) + ")";
  v.reason = reason;
  out.nibp_verdicts.push_back(v);
  if (const std::string stake = p1_at_stake(p, std::nullopt, m->dia_mmhg); !stake.empty())
    reason += "; " + stake + " if real";
  Emit emit = emit_for(*bed, now, out);
  t5_plausibility(*bed, p, "NIBP", reason + ": repeat NIBP now", m->dia_mmhg, emit);
  return out;
}

void AlertEngine::withdraw_nibp(BedState& bed, const Reading& r, Now now, ReadingResult& res) {
  // A stamp names one result; a monitor without measurement times sends 0 for each, and its
  // withdrawal cannot say which result it takes back.
  if (r.measured_at_ms == 0) return;
  if (bed.nibp.withdraw(r.source, r.measured_at_ms)) return;  // never judged: nothing to undo
  if (bed.session && bed.pre_infusion() && bed.baseline_calc.withdraw_nibp(r.source, r.measured_at_ms))
    update_baseline(bed, now, res, BaselineGone::Forget);
  // Undone only for the chair's latest measurement (the correction of a result comes before
  // the next cuff): a later one has replaced what it set, and judged it as the reading before.
  const auto& last = bed.last_judged_nibp;
  if (!last || last->second.measured_at_ms != r.measured_at_ms || last->second.source != r.source) return;
  const MonoTime judged_at = last->first;
  const NibpMeasurement m = last->second;
  bed.last_judged_nibp.reset();  // the other parts of the same withdrawal find nothing more
  if (bed.last_verified_nibp && bed.last_verified_nibp->first == judged_at) {
    bed.last_verified_nibp = std::exchange(bed.verified_nibp_before, std::nullopt);
    bed.last_valid_nibp = bed.valid_nibp_before;
    if (bed.phase() == Phase::Recovery) bed.session->mutable_state().recovery_readings_ok = 0;
  }
  if (bed.last_jumped_sys && bed.last_jumped_sys->first == judged_at) bed.last_jumped_sys.reset();
  const RuleProfile& p = profile_for(bed);
  Emit emit = emit_for(bed, now, res);
  const std::string what = "NIBP " + m.text() + " withdrawn by the device";
  // An alarm or advisory this result raised has lost its evidence. One raised earlier and
  // only refreshed, confirmed or re-announced by it stands: other readings raised it.
  for (const RuleId rule : {RuleId::P1, RuleId::P2, RuleId::P3, RuleId::P4, RuleId::P5}) {
    if (Alert* a = bed.book.find(rule); a && a->onset == judged_at)
      bed.book.resolve(*a, what + ": " + a->message, emit);
  }
  // The nurse learns why the number went, and that the pressure is unknown until a repeat. A
  // T5 already asking (the result was doubted) ends and a new one says why now: refreshed in
  // place, its new reason would reach the screens but never the alert log.
  if (Alert* doubted = bed.book.find(RuleId::T5, "NIBP"))
    bed.book.resolve(*doubted, doubted->message + "; superseded: " + what, emit);
  t5_plausibility(bed, p, "NIBP", what + ": repeat NIBP now", m.sys_mmhg, emit);
  t3_stale_nibp(bed, p, emit);
  evaluate_discharge(bed, now, res);
}

void AlertEngine::update_baseline(BedState& bed, Now now, EngineOutput& out, BaselineGone gone) {
  const RuleProfile& p = profile_for(bed);
  Baseline computed = bed.baseline_calc.compute(p.baseline, now.mono);
  const Baseline before = bed.session->state().baseline;
  // Not enough agreeing readings yet: keep what we have, refresh HR / SpO2 only. But a
  // withdrawn reading takes away the pair a computed baseline rested on, and no baseline is
  // better than one from a number the device disowned (the start then waits for agreeing
  // readings, and P9 for a baseline to judge): the computed one, without NIBP, replaces it.
  const bool keep = gone == BaselineGone::Keep || before.source != BaselineSource::Computed;
  if (!computed.has_nibp() && keep) {
    bed.session->mutable_state().baseline.hr_bpm = computed.hr_bpm;
    bed.session->mutable_state().baseline.spo2_pct = computed.spo2_pct;
    return;
  }
  bed.session->set_baseline(computed);
  const Baseline& after = bed.session->state().baseline;
  if (after.sys_mmhg != before.sys_mmhg || after.dia_mmhg != before.dia_mmhg ||
      after.source != before.source) {
    session_event(bed, SessionEventKind::BaselineUpdated, {}, now, out);
    Emit emit = emit_for(bed, now, out);
    evaluate_gate(bed, p, emit);
  }
}

}  // namespace vigil::alerts
