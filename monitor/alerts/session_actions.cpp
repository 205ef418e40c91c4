// Nurse actions: session actions, acknowledge, audio pause, and restoring a session.
#include <algorithm>
#include <cmath>

#include "alerts/alert_engine.hpp"
#include "alerts/bed_state.hpp"
#include "alerts/format.hpp"
#include "alerts/gate_rule.hpp"

namespace vigil::alerts {

namespace {

ActionResult refused(std::string reason) {
  ActionResult r;
  r.ok = false;
  r.reason = std::move(reason);
  r.refusal = Refusal::Other;
  return r;
}

// Alerts that only mean something inside a session end with it.
constexpr RuleId kSessionRules[] = {RuleId::P3, RuleId::P9, RuleId::T2, RuleId::T3, RuleId::T7, RuleId::T1};

}  // namespace

ActionResult AlertEngine::session_action(const SessionAction& a, Now now) {
  if (a.user.empty()) return refused("who did it: user is required");
  if (a.bed.empty()) return refused("no bed given");
  if (a.user.size() > limits_.max_text || a.patient.size() > limits_.max_text ||
      a.profile.size() > limits_.max_text || a.bed.size() > limits_.max_text)
    return refused("text longer than " + std::to_string(limits_.max_text) + " characters");
  ActionResult res;
  std::string why;
  if (a.kind == SessionActionKind::Begin) {
    why = begin_session(a, now, res);
  } else {
    BedState* bed = bed_for(a.bed, false);
    if (bed == nullptr || !bed->session) return refused("no open session on " + a.bed);
    why = act_on_session(*bed, a, now, res);
  }
  if (!why.empty()) {
    ActionResult no = refused(std::move(why));
    if (res.refusal != Refusal::None) no.refusal = res.refusal;
    return no;
  }
  if (BedState* bed = bed_for(a.bed, false)) finish(*bed);
  return res;
}

std::string AlertEngine::begin_session(const SessionAction& a, Now now, ActionResult& out) {
  const std::string profile = a.profile.empty() ? "default" : a.profile;
  if (profiles_.find(profile) == profiles_.end()) return "unknown rule profile '" + profile + "'";
  if (a.planned_minutes < 0 || a.planned_minutes > 24 * 60) return "planned minutes must be 0..1440";
  BedState* bed = bed_for(a.bed, true);
  if (bed == nullptr) return "bed not accepted (too many beds)";
  if (bed->session)
    return "session already open on " + a.bed + " (" + std::string(to_string(bed->phase())) + ")";
  const RuleProfile& p = profiles_.find(profile)->second;
  const bool data_seen = bed->last_data && now.mono - *bed->last_data <= p.t1.silence;
  SessionAction begin = a;
  begin.profile = profile;
  bed->session.emplace(begin, a.bed + "-" + std::to_string(now.wall_ms), data_seen, now);
  // Only readings taken in this session make its baseline.
  bed->baseline_calc.clear();
  bed->session_ended_at.reset();
  bed->session->record(a.kind, a.user, now.wall_ms,
                       "patient=" + a.patient + " planned_minutes=" + std::to_string(a.planned_minutes) +
                           " profile=" + profile);
  session_event(*bed, SessionEventKind::Begun, a.user, now, out);
  return {};
}

std::string AlertEngine::act_on_session(BedState& bed, const SessionAction& a, Now now, ActionResult& out) {
  const RuleProfile& p = profile_for(bed);
  Session& s = *bed.session;
  std::string why;
  SessionEventKind event = SessionEventKind::PhaseChanged;
  std::string detail;
  switch (a.kind) {
    case SessionActionKind::Begin: return "session already open";
    case SessionActionKind::OverrideBaseline: {
      if (!bed.pre_infusion()) return "the baseline can only be overridden before the infusion starts";
      if (a.accept_measured) {
        // The prescriber accepts the measured baseline as it is: the gate is released with
        // the measured numbers, logged with who accepted them (nothing retyped).
        const Baseline& measured = s.state().baseline;
        if (measured.source != BaselineSource::Computed || !measured.has_nibp() || !measured.dia_mmhg)
          return "no measured baseline to accept yet: needs two agreeing NIBP readings";
        Baseline b = measured;
        b.source = BaselineSource::Override;
        b.at_ms = now.wall_ms;
        b.override_user = a.user;
        s.override_baseline(b);
        event = SessionEventKind::BaselineOverridden;
        detail = "accepted measured " + num(*b.sys_mmhg) + "/" + num(*b.dia_mmhg);
        break;
      }
      if (!a.override_sys || !a.override_dia) return "override needs systolic and diastolic";
      const double sys = *a.override_sys, dia = *a.override_dia;
      if (!std::isfinite(sys) || !std::isfinite(dia) || sys < p.t5.sys_min || sys > p.t5.sys_max ||
          dia < p.t5.dia_min || dia > p.t5.dia_max || sys <= dia)
        return "override " + num(sys) + "/" + num(dia) + " is not a plausible blood pressure";
      Baseline b = s.state().baseline;
      b.source = BaselineSource::Override;
      b.sys_mmhg = sys;
      b.dia_mmhg = dia;
      b.map_mmhg = dia + (sys - dia) / 3.0;
      b.nibp_readings_used = 0;
      b.at_ms = now.wall_ms;
      b.override_user = a.user;
      s.override_baseline(b);
      event = SessionEventKind::BaselineOverridden;
      detail = num(sys) + "/" + num(dia);
      break;
    }
    case SessionActionKind::StartInfusion:
      if (bed.phase() == Phase::Baseline) {
        if (!s.state().baseline.has_nibp())
          return "no baseline yet: needs two agreeing NIBP readings or a baseline override";
        if (std::string gate = gate_refusal(bed, p); !gate.empty()) {
          out.refusal = Refusal::PreInfusionGate;
          return gate;
        }
      }
      why = s.start_infusion(now);
      event = SessionEventKind::InfusionStarted;
      break;
    case SessionActionKind::PauseInfusion:
      why = s.pause_infusion(now);
      event = SessionEventKind::InfusionPaused;
      break;
    case SessionActionKind::ResumeInfusion:
      why = s.resume_infusion(now);
      event = SessionEventKind::InfusionResumed;
      break;
    case SessionActionKind::StopInfusion:
      why = s.stop_infusion(now);
      event = SessionEventKind::InfusionStopped;
      break;
    case SessionActionKind::End:
      why = s.end(now);
      event = SessionEventKind::Ended;
      break;
  }
  if (!why.empty()) return why;
  s.record(a.kind, a.user, now.wall_ms, detail);

  Emit emit = emit_for(bed, now, out);
  switch (a.kind) {
    case SessionActionKind::OverrideBaseline: evaluate_gate(bed, p, emit); break;
    case SessionActionKind::StartInfusion:
      if (Alert* gate = bed.book.find(RuleId::P9))
        bed.book.resolve(*gate, gate->message + "; infusion started", emit);
      break;
    default: break;
  }
  session_event(bed, event, a.user, now, out);
  if (a.kind == SessionActionKind::End) {
    for (const Alert& alert : bed.book.active()) {
      if (std::find(std::begin(kSessionRules), std::end(kSessionRules), alert.rule) ==
          std::end(kSessionRules))
        continue;
      if (Alert* live = bed.book.find(alert.rule, alert.subject))
        bed.book.resolve(*live, live->message + "; session ended", emit);
    }
    bed.session.reset();
    bed.restored_at.reset();
    bed.baseline_calc.clear();
    bed.sources.clear();  // a monitor switched off after the session must not alarm T1
    bed.session_ended_at = now.mono;
  } else {
    // Phase-dependent technical alarms follow the new phase at once, not at the next tick.
    tick_bed(bed, now, out);
  }
  return {};
}

void AlertEngine::finish(BedState& bed) { bed.book.purge(); }

ActionResult AlertEngine::acknowledge(std::string_view bed_name, std::string_view alert_id,
                                      const std::string& user, Now now) {
  ActionResult res;
  if (acknowledge_restored(bed_name, alert_id, user, now, res)) return res;
  if (user.empty()) return refused("who did it: user is required");
  if (user.size() > limits_.max_text) return refused("user name too long");
  BedState* bed = bed_for(bed_name, false);
  if (bed == nullptr) return refused("unknown bed " + std::string(bed_name.substr(0, limits_.max_text)));
  Emit emit = emit_for(*bed, now, res);
  if (std::string why = bed->book.acknowledge(alert_id.substr(0, limits_.max_text), user, emit); !why.empty())
    return refused(std::move(why));
  evaluate_discharge(*bed, now, res);
  finish(*bed);
  return res;
}

ActionResult AlertEngine::pause_audio(std::string_view bed_name, const std::string& user, Now now) {
  if (user.empty()) return refused("who did it: user is required");
  if (user.size() > limits_.max_text) return refused("user name too long");
  BedState* bed = bed_for(bed_name, false);
  if (bed == nullptr) return refused("unknown bed " + std::string(bed_name.substr(0, limits_.max_text)));
  ActionResult res;
  Emit emit = emit_for(*bed, now, res);
  bed->book.pause_audio(user, profile_for(*bed).alarm.audio_pause, emit);
  finish(*bed);
  return res;
}

ActionResult AlertEngine::restore(const SessionState& state, Now now) {
  if (state.phase == Phase::Monitoring || state.phase == Phase::Closed)
    return refused("session " + state.session_id + " is not open");
  if (state.bed.empty() || state.bed.size() > limits_.max_text) return refused("session has no valid bed");
  BedState* bed = bed_for(state.bed, true);
  if (bed == nullptr) return refused("bed not accepted (too many beds)");
  if (bed->session) return refused("session already open on " + state.bed);
  // Stored times must lie in a sane range around now (a corrupt row must not overflow the
  // monotonic anchors): within 30 days before, at most a day ahead.
  constexpr WallMillis kDay = 24LL * 3600 * 1000;
  for (WallMillis t : {state.begun_at_ms, state.infusion_started_at_ms, state.infusion_stopped_at_ms,
                       state.snapshot_at_ms}) {
    if (t != 0 && (t < now.wall_ms - 30 * kDay || t > now.wall_ms + kDay))
      return refused("session " + state.session_id + " has times out of range");
  }
  if (state.begun_at_ms == 0 || state.infusion_elapsed_ms < 0 || state.infusion_elapsed_ms > 30 * kDay)
    return refused("session " + state.session_id + " has times out of range");
  ActionResult res;
  SessionState s = state;
  if (s.actions.size() > Session::kMaxActions) s.actions.resize(Session::kMaxActions);
  if (profiles_.find(s.profile) == profiles_.end()) {
    res.reason = "rule profile '" + s.profile + "' no longer configured; using default";
    s.profile = "default";
  }
  bed->session.emplace(s, now);
  bed->restored_at = now.mono;
  // Which devices fed this chair died with the old process: watch for silence from all of
  // them (T1 counts from the restart) until a named device sends.
  if (bed->sources.empty())
    bed->sources.push_back(SourceSeen{.source = "any monitor",
                                      .last_seen = now.mono,
                                      .stand_in = true,
                                      .continuous = true,
                                      .message_at = now.mono});
  session_event(*bed, SessionEventKind::Restored, {}, now, res);
  Emit emit = emit_for(*bed, now, res);
  evaluate_gate(*bed, profile_for(*bed), emit);
  finish(*bed);
  return res;
}

}  // namespace vigil::alerts
