#include "alerts/alert_records.hpp"

namespace vigil::alerts {

namespace {

template <class Msg>
void put(Msg& m, void (Msg::*set)(double), const std::optional<double>& v) {
  if (v) (m.*set)(*v);
}

// Every enum here is dense from 0 to its `last` value; find a name by trying them all.
template <class E>
std::optional<E> from_name(std::string_view name, E last) {
  for (int i = 0; i <= static_cast<int>(last); ++i) {
    if (to_string(static_cast<E>(i)) == name) return static_cast<E>(i);
  }
  return std::nullopt;
}

std::string str(std::string_view s) { return std::string(s); }

}  // namespace

std::optional<RuleId> rule_from_string(std::string_view name) { return from_name(name, RuleId::T8); }

std::optional<Phase> phase_from_string(std::string_view name) { return from_name(name, Phase::Closed); }

proto::AlertEvent to_proto(const AlertTransition& t) {
  proto::AlertEvent r;
  r.set_id(t.alert_id);
  r.set_bed(t.bed);
  r.set_rule(str(to_string(t.rule)));
  r.set_priority(str(to_string(t.priority)));
  r.set_state(str(to_string(t.state)));
  r.set_transition(str(to_string(t.kind)));
  r.set_kind(str(to_string(t.alert_kind)));
  put(r, &proto::AlertEvent::set_value, t.value);
  put(r, &proto::AlertEvent::set_limit, t.limit);
  put(r, &proto::AlertEvent::set_baseline, t.baseline);
  r.set_message(t.message);
  r.set_limits(t.limits);
  r.set_profile(t.profile);
  r.set_user(t.user);
  r.set_phase(str(to_string(t.phase)));
  r.set_at_ms(t.wall_ms);
  r.set_seq(t.seq);
  r.set_subject(t.subject);
  if (t.kind == TransitionKind::Acknowledged) r.set_acknowledged_by(t.user);
  if (t.kind == TransitionKind::Escalated) r.set_escalated(true);
  return r;
}

proto::AlertEvent to_proto(const Alert& a, Phase phase) {
  proto::AlertEvent r;
  r.set_id(a.id);
  r.set_bed(a.bed);
  r.set_rule(str(to_string(a.rule)));
  r.set_priority(str(to_string(a.priority)));
  r.set_state(str(to_string(a.state)));
  r.set_kind(str(to_string(a.kind)));
  put(r, &proto::AlertEvent::set_value, a.value);
  put(r, &proto::AlertEvent::set_limit, a.limit);
  put(r, &proto::AlertEvent::set_baseline, a.baseline);
  r.set_message(a.message);
  r.set_limits(a.limits);
  r.set_phase(str(to_string(phase)));
  r.set_onset_ms(a.onset_wall_ms);
  r.set_at_ms(a.onset_wall_ms);
  r.set_subject(a.subject);
  r.set_escalated(a.escalated);
  r.set_acknowledged_by(a.acknowledged_by);
  return r;
}

proto::SessionInfo to_proto(const SessionState& s) {
  proto::SessionInfo r;
  r.set_session_id(s.session_id);
  r.set_bed(s.bed);
  r.set_patient(s.patient);
  r.set_profile(s.profile);
  r.set_planned_minutes(s.planned_minutes);
  r.set_phase(str(to_string(s.phase)));
  r.set_begun_at_ms(s.begun_at_ms);
  r.set_infusion_started_at_ms(s.infusion_started_at_ms);
  r.set_infusion_stopped_at_ms(s.infusion_stopped_at_ms);
  r.set_ended_at_ms(s.ended_at_ms);
  r.set_infusion_elapsed_ms(s.infusion_elapsed_ms);
  r.set_infusion_paused(s.infusion_paused);
  r.set_snapshot_at_ms(s.snapshot_at_ms);
  proto::BaselineInfo& b = *r.mutable_baseline();
  b.set_source(str(to_string(s.baseline.source)));
  put(b, &proto::BaselineInfo::set_sys_mmhg, s.baseline.sys_mmhg);
  put(b, &proto::BaselineInfo::set_dia_mmhg, s.baseline.dia_mmhg);
  put(b, &proto::BaselineInfo::set_map_mmhg, s.baseline.map_mmhg);
  put(b, &proto::BaselineInfo::set_hr_bpm, s.baseline.hr_bpm);
  put(b, &proto::BaselineInfo::set_spo2_pct, s.baseline.spo2_pct);
  b.set_nibp_readings_used(s.baseline.nibp_readings_used);
  b.set_at_ms(s.baseline.at_ms);
  b.set_override_user(s.baseline.override_user);
  r.set_gate_overridden(s.gate_overridden);
  r.set_discharge_criteria_met_at_ms(s.discharge_criteria_met_at_ms.value_or(0));
  r.set_recovery_readings_ok(s.recovery_readings_ok);
  r.set_monitor_data_seen(s.monitor_data_seen);
  for (const ActionRecord& a : s.actions) {
    proto::SessionActionInfo& out = *r.add_actions();
    out.set_action(str(to_string(a.kind)));
    out.set_user(a.user);
    out.set_at_ms(a.at_ms);
    out.set_detail(a.detail);
  }
  return r;
}

proto::SessionEvent to_proto(const SessionEvent& e) {
  proto::SessionEvent r;
  r.set_event(str(to_string(e.kind)));
  r.set_bed(e.bed);
  r.set_user(e.user);
  r.set_at_ms(e.at.wall_ms);
  *r.mutable_session() = to_proto(e.state);
  return r;
}

std::optional<SessionState> from_proto(const proto::SessionInfo& r, std::string* error) {
  const auto fail = [&](std::string why) -> std::optional<SessionState> {
    if (error) *error = std::move(why);
    return std::nullopt;
  };
  SessionState s;
  s.session_id = r.session_id();
  s.bed = r.bed();
  s.patient = r.patient();
  s.profile = r.profile();
  s.planned_minutes = r.planned_minutes();
  const auto phase = phase_from_string(r.phase());
  if (!phase) return fail("unknown session phase '" + r.phase() + "'");
  s.phase = *phase;
  s.begun_at_ms = r.begun_at_ms();
  s.infusion_started_at_ms = r.infusion_started_at_ms();
  s.infusion_stopped_at_ms = r.infusion_stopped_at_ms();
  s.ended_at_ms = r.ended_at_ms();
  s.infusion_elapsed_ms = r.infusion_elapsed_ms();
  s.infusion_paused = r.infusion_paused();
  s.snapshot_at_ms = r.snapshot_at_ms();
  const proto::BaselineInfo& b = r.baseline();
  if (b.source().empty()) {
    s.baseline.source = BaselineSource::None;
  } else if (auto source = from_name(b.source(), BaselineSource::Override)) {
    s.baseline.source = *source;
  } else {
    return fail("unknown baseline source '" + b.source() + "'");
  }
  if (b.has_sys_mmhg()) s.baseline.sys_mmhg = b.sys_mmhg();
  if (b.has_dia_mmhg()) s.baseline.dia_mmhg = b.dia_mmhg();
  if (b.has_map_mmhg()) s.baseline.map_mmhg = b.map_mmhg();
  if (b.has_hr_bpm()) s.baseline.hr_bpm = b.hr_bpm();
  if (b.has_spo2_pct()) s.baseline.spo2_pct = b.spo2_pct();
  s.baseline.nibp_readings_used = b.nibp_readings_used();
  s.baseline.at_ms = b.at_ms();
  s.baseline.override_user = b.override_user();
  s.gate_overridden = r.gate_overridden();
  if (r.discharge_criteria_met_at_ms() != 0) s.discharge_criteria_met_at_ms = r.discharge_criteria_met_at_ms();
  s.recovery_readings_ok = r.recovery_readings_ok();
  s.monitor_data_seen = r.monitor_data_seen();
  for (const proto::SessionActionInfo& a : r.actions()) {
    if (s.actions.size() >= Session::kMaxActions) break;
    auto kind = from_name(a.action(), SessionActionKind::End);
    if (!kind) return fail("unknown session action '" + a.action() + "'");
    s.actions.push_back(ActionRecord{*kind, a.user(), a.at_ms(), a.detail()});
  }
  return s;
}

}  // namespace vigil::alerts
