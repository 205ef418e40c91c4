#include "alerts/alert_records.hpp"

namespace vigil::alerts {

namespace {

proto::AlertPriority to_proto(Priority p) {
  switch (p) {
    case Priority::Low: return proto::ALERT_PRIORITY_LOW;
    case Priority::Medium: return proto::ALERT_PRIORITY_MEDIUM;
    case Priority::High: return proto::ALERT_PRIORITY_HIGH;
  }
  return proto::ALERT_PRIORITY_UNSPECIFIED;
}

proto::AlertState to_proto(AlertState s) {
  switch (s) {
    case AlertState::Advisory: return proto::ALERT_STATE_ADVISORY;
    case AlertState::Active: return proto::ALERT_STATE_ACTIVE;
    case AlertState::AudioPaused: return proto::ALERT_STATE_AUDIO_PAUSED;
    case AlertState::Acknowledged: return proto::ALERT_STATE_ACKNOWLEDGED;
    case AlertState::Latched: return proto::ALERT_STATE_LATCHED;
    case AlertState::Resolved: return proto::ALERT_STATE_RESOLVED;
  }
  return proto::ALERT_STATE_UNSPECIFIED;
}

proto::AlertKind to_proto(AlertKind k) {
  switch (k) {
    case AlertKind::Physiological: return proto::ALERT_KIND_PHYSIOLOGICAL;
    case AlertKind::Technical: return proto::ALERT_KIND_TECHNICAL;
    case AlertKind::Advisory: return proto::ALERT_KIND_ADVISORY;
  }
  return proto::ALERT_KIND_UNSPECIFIED;
}

proto::SessionPhase to_proto(Phase p) {
  // Same order as the proto enum, shifted by one for UNSPECIFIED.
  return static_cast<proto::SessionPhase>(static_cast<int>(p) + 1);
}

std::optional<Phase> phase_from_proto(proto::SessionPhase p) {
  const int v = static_cast<int>(p) - 1;
  if (v < static_cast<int>(Phase::Monitoring) || v > static_cast<int>(Phase::Closed)) return std::nullopt;
  return static_cast<Phase>(v);
}

proto::AlertTransitionKind to_proto(TransitionKind k) {
  return static_cast<proto::AlertTransitionKind>(static_cast<int>(k) + 1);
}

template <class Msg>
void put(Msg& m, void (Msg::*set)(double), const std::optional<double>& v) {
  if (v) (m.*set)(*v);
}

}  // namespace

std::optional<RuleId> rule_from_string(std::string_view name) {
  for (int i = 0; i <= static_cast<int>(RuleId::T8); ++i) {
    if (to_string(static_cast<RuleId>(i)) == name) return static_cast<RuleId>(i);
  }
  return std::nullopt;
}

proto::AlertTransitionRecord to_proto(const AlertTransition& t) {
  proto::AlertTransitionRecord r;
  r.set_seq(t.seq);
  r.set_kind(to_proto(t.kind));
  r.set_alert_id(t.alert_id);
  r.set_bed(t.bed);
  r.set_rule(std::string(to_string(t.rule)));
  r.set_subject(t.subject);
  r.set_priority(to_proto(t.priority));
  r.set_state(to_proto(t.state));
  r.set_alert_kind(to_proto(t.alert_kind));
  put(r, &proto::AlertTransitionRecord::set_value, t.value);
  put(r, &proto::AlertTransitionRecord::set_limit, t.limit);
  put(r, &proto::AlertTransitionRecord::set_baseline, t.baseline);
  r.set_message(t.message);
  r.set_limits(t.limits);
  r.set_profile(t.profile);
  r.set_user(t.user);
  r.set_phase(to_proto(t.phase));
  r.set_wall_ms(t.wall_ms);
  return r;
}

proto::ActiveAlertRecord to_proto(const Alert& a) {
  proto::ActiveAlertRecord r;
  r.set_alert_id(a.id);
  r.set_bed(a.bed);
  r.set_rule(std::string(to_string(a.rule)));
  r.set_subject(a.subject);
  r.set_kind(to_proto(a.kind));
  r.set_priority(to_proto(a.priority));
  r.set_state(to_proto(a.state));
  put(r, &proto::ActiveAlertRecord::set_value, a.value);
  put(r, &proto::ActiveAlertRecord::set_limit, a.limit);
  put(r, &proto::ActiveAlertRecord::set_baseline, a.baseline);
  r.set_message(a.message);
  r.set_limits(a.limits);
  r.set_escalated(a.escalated);
  r.set_acknowledged_by(a.acknowledged_by);
  r.set_onset_ms(a.onset_wall_ms);
  return r;
}

proto::SessionRecord to_proto(const SessionState& s) {
  proto::SessionRecord r;
  r.set_session_id(s.session_id);
  r.set_bed(s.bed);
  r.set_patient(s.patient);
  r.set_profile(s.profile);
  r.set_planned_minutes(s.planned_minutes);
  r.set_phase(to_proto(s.phase));
  r.set_begun_at_ms(s.begun_at_ms);
  r.set_infusion_started_at_ms(s.infusion_started_at_ms);
  r.set_infusion_stopped_at_ms(s.infusion_stopped_at_ms);
  r.set_ended_at_ms(s.ended_at_ms);
  r.set_infusion_elapsed_ms(s.infusion_elapsed_ms);
  r.set_infusion_paused(s.infusion_paused);
  r.set_snapshot_at_ms(s.snapshot_at_ms);
  proto::BaselineRecord& b = *r.mutable_baseline();
  b.set_source(std::string(to_string(s.baseline.source)));
  put(b, &proto::BaselineRecord::set_sys_mmhg, s.baseline.sys_mmhg);
  put(b, &proto::BaselineRecord::set_dia_mmhg, s.baseline.dia_mmhg);
  put(b, &proto::BaselineRecord::set_map_mmhg, s.baseline.map_mmhg);
  put(b, &proto::BaselineRecord::set_hr_bpm, s.baseline.hr_bpm);
  put(b, &proto::BaselineRecord::set_spo2_pct, s.baseline.spo2_pct);
  b.set_nibp_readings_used(s.baseline.nibp_readings_used);
  b.set_at_ms(s.baseline.at_ms);
  b.set_override_user(s.baseline.override_user);
  r.set_gate_overridden(s.gate_overridden);
  if (s.discharge_criteria_met_at_ms) r.set_discharge_criteria_met_at_ms(*s.discharge_criteria_met_at_ms);
  r.set_recovery_readings_ok(s.recovery_readings_ok);
  r.set_monitor_data_seen(s.monitor_data_seen);
  for (const ActionRecord& a : s.actions) {
    proto::SessionActionRecord& out = *r.add_actions();
    out.set_kind(std::string(to_string(a.kind)));
    out.set_user(a.user);
    out.set_at_ms(a.at_ms);
    out.set_detail(a.detail);
  }
  return r;
}

std::optional<SessionState> from_proto(const proto::SessionRecord& r, std::string* error) {
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
  const auto phase = phase_from_proto(r.phase());
  if (!phase) return fail("unknown session phase");
  s.phase = *phase;
  s.begun_at_ms = r.begun_at_ms();
  s.infusion_started_at_ms = r.infusion_started_at_ms();
  s.infusion_stopped_at_ms = r.infusion_stopped_at_ms();
  s.ended_at_ms = r.ended_at_ms();
  s.infusion_elapsed_ms = r.infusion_elapsed_ms();
  s.infusion_paused = r.infusion_paused();
  s.snapshot_at_ms = r.snapshot_at_ms();
  const proto::BaselineRecord& b = r.baseline();
  if (b.source() == "computed") s.baseline.source = BaselineSource::Computed;
  else if (b.source() == "override") s.baseline.source = BaselineSource::Override;
  else if (b.source() == "none" || b.source().empty()) s.baseline.source = BaselineSource::None;
  else return fail("unknown baseline source '" + b.source() + "'");
  if (b.has_sys_mmhg()) s.baseline.sys_mmhg = b.sys_mmhg();
  if (b.has_dia_mmhg()) s.baseline.dia_mmhg = b.dia_mmhg();
  if (b.has_map_mmhg()) s.baseline.map_mmhg = b.map_mmhg();
  if (b.has_hr_bpm()) s.baseline.hr_bpm = b.hr_bpm();
  if (b.has_spo2_pct()) s.baseline.spo2_pct = b.spo2_pct();
  s.baseline.nibp_readings_used = b.nibp_readings_used();
  s.baseline.at_ms = b.at_ms();
  s.baseline.override_user = b.override_user();
  s.gate_overridden = r.gate_overridden();
  if (r.has_discharge_criteria_met_at_ms()) s.discharge_criteria_met_at_ms = r.discharge_criteria_met_at_ms();
  s.recovery_readings_ok = r.recovery_readings_ok();
  s.monitor_data_seen = r.monitor_data_seen();
  for (const proto::SessionActionRecord& a : r.actions()) {
    if (s.actions.size() >= Session::kMaxActions) break;
    std::optional<SessionActionKind> kind;
    for (int k = 0; k <= static_cast<int>(SessionActionKind::End); ++k) {
      if (to_string(static_cast<SessionActionKind>(k)) == a.kind()) kind = static_cast<SessionActionKind>(k);
    }
    if (!kind) return fail("unknown session action '" + a.kind() + "'");
    s.actions.push_back(ActionRecord{*kind, a.user(), a.at_ms(), a.detail()});
  }
  return s;
}

}  // namespace vigil::alerts
