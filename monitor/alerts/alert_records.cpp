#include "alerts/alert_records.hpp"

#include "common/proto_convert.hpp"

namespace vigil::alerts {

namespace {

template <class Msg>
void put(Msg& m, void (Msg::*set)(double), const std::optional<double>& v) {
  if (v) (m.*set)(*v);
}

// Every engine enum lists the same values in the same order as its vocabulary enum, which
// adds "not set" as 0 in front: value i of the engine is i + 1 on the wire. The static
// asserts pin both ends of each list; tests/alerts/alert_records_test.cpp checks every
// value's word against the engine's own to_string.
template <class P, class E>
P up(E e) {
  return static_cast<P>(static_cast<int>(e) + 1);
}
template <class E, class P>
std::optional<E> down(P p, E last) {
  const int n = static_cast<int>(p) - 1;
  if (n < 0 || n > static_cast<int>(last)) return std::nullopt;
  return static_cast<E>(n);
}
static_assert(static_cast<int>(RuleId::P1) + 1 == proto::P1 && static_cast<int>(RuleId::T8) + 1 == proto::T8);
static_assert(static_cast<int>(AlertState::Advisory) + 1 == proto::ADVISORY &&
              static_cast<int>(AlertState::Resolved) + 1 == proto::RESOLVED);
static_assert(static_cast<int>(TransitionKind::Raised) + 1 == proto::raised &&
              static_cast<int>(TransitionKind::Resolved) + 1 == proto::resolved);
static_assert(static_cast<int>(AlertKind::Physiological) + 1 == proto::physiological &&
              static_cast<int>(AlertKind::Advisory) + 1 == proto::advisory);
static_assert(static_cast<int>(Phase::Monitoring) + 1 == proto::monitoring &&
              static_cast<int>(Phase::Closed) + 1 == proto::closed);
static_assert(static_cast<int>(SessionEventKind::Begun) + 1 == proto::begun &&
              static_cast<int>(SessionEventKind::Restored) + 1 == proto::restored);
static_assert(static_cast<int>(SessionActionKind::Begin) + 1 == proto::begin &&
              static_cast<int>(SessionActionKind::End) + 1 == proto::end);
static_assert(static_cast<int>(BaselineSource::None) + 1 == proto::none &&
              static_cast<int>(BaselineSource::Override) + 1 == proto::override);
// Priorities keep their numbers: both enums are numbered in severity order.
static_assert(static_cast<int>(Priority::Low) == proto::LOW &&
              static_cast<int>(Priority::High) == proto::HIGH);

}  // namespace

proto::AlertRule to_proto(RuleId rule) { return up<proto::AlertRule>(rule); }
proto::Priority to_proto(Priority priority) { return static_cast<proto::Priority>(priority); }
proto::AlertState to_proto(AlertState state) { return up<proto::AlertState>(state); }
proto::Transition to_proto(TransitionKind kind) { return up<proto::Transition>(kind); }
proto::AlertKind to_proto(AlertKind kind) { return up<proto::AlertKind>(kind); }
proto::Phase to_proto(Phase phase) { return up<proto::Phase>(phase); }
proto::SessionEventKind to_proto(SessionEventKind kind) { return up<proto::SessionEventKind>(kind); }
proto::SessionActionKind to_proto(SessionActionKind kind) { return up<proto::SessionActionKind>(kind); }
proto::BaselineSource to_proto(BaselineSource source) { return up<proto::BaselineSource>(source); }

proto::Direction to_proto(Direction direction) {
  switch (direction) {
    case Direction::Above: return proto::above;
    case Direction::Below: return proto::below;
    case Direction::None: break;
  }
  return proto::DIRECTION_UNSET;
}

std::optional<RuleId> from_proto(proto::AlertRule rule) { return down(rule, RuleId::T8); }
std::optional<Phase> from_proto(proto::Phase phase) { return down(phase, Phase::Closed); }

proto::AlertEvent to_proto(const AlertTransition& t) {
  proto::AlertEvent r;
  r.set_id(t.alert_id);
  r.set_bed(t.bed);
  r.set_rule(to_proto(t.rule));
  r.set_priority(to_proto(t.priority));
  r.set_state(to_proto(t.state));
  r.set_transition(to_proto(t.kind));
  r.set_kind(to_proto(t.alert_kind));
  put(r, &proto::AlertEvent::set_value, t.value);
  put(r, &proto::AlertEvent::set_limit, t.limit);
  put(r, &proto::AlertEvent::set_baseline, t.baseline);
  if (t.metric) r.set_metric(vigil::to_proto(*t.metric));
  r.set_direction(to_proto(t.direction));
  r.set_message(t.message);
  r.set_limits(t.limits);
  r.set_profile(t.profile);
  r.set_user(t.user);
  r.set_phase(to_proto(t.phase));
  r.set_at_ms(t.wall_ms);
  r.set_seq(t.seq);
  r.set_subject(t.subject);
  if (t.kind == TransitionKind::Acknowledged) r.set_acknowledged_by(t.user);
  if (t.kind == TransitionKind::Escalated) r.set_escalated(true);
  if (t.onset_wall_ms != 0) r.set_onset_ms(t.onset_wall_ms);
  // Restored alerts only (live transitions leave these empty): repeat the stored record.
  if (t.escalated) r.set_escalated(true);
  if (!t.acknowledged_by.empty()) r.set_acknowledged_by(t.acknowledged_by);
  return r;
}

proto::AlertEvent to_proto(const RestoredAlert& a) {
  proto::AlertEvent r = to_proto(a.last);
  r.set_onset_ms(a.last.onset_wall_ms);
  r.set_escalated(a.last.escalated);
  r.set_acknowledged_by(a.last.acknowledged_by);
  r.set_log_id(a.log_id);
  return r;
}

std::optional<RestoredAlert> restored_from_proto(const proto::AlertEvent& r, std::string* error) {
  const auto fail = [&](const char* what, int number) -> std::optional<RestoredAlert> {
    if (error) *error = std::string("unknown ") + what + " (value " + std::to_string(number) + ")";
    return std::nullopt;
  };
  RestoredAlert out;
  AlertTransition& t = out.last;
  t.alert_id = r.id();
  t.bed = r.bed();
  const auto rule = from_proto(r.rule());
  if (!rule) return fail("rule", r.rule());
  t.rule = *rule;
  if (r.priority() < proto::LOW || r.priority() > proto::HIGH) return fail("priority", r.priority());
  t.priority = static_cast<Priority>(r.priority());
  const auto state = down(r.state(), AlertState::Resolved);
  if (!state) return fail("alert state", r.state());
  t.state = *state;
  const auto kind = down(r.transition(), TransitionKind::Resolved);
  if (!kind) return fail("transition", r.transition());
  t.kind = *kind;
  const auto alert_kind = down(r.kind(), AlertKind::Advisory);
  if (!alert_kind) return fail("alert kind", r.kind());
  t.alert_kind = *alert_kind;
  if (r.has_value()) t.value = r.value();
  if (r.has_limit()) t.limit = r.limit();
  if (r.has_baseline()) t.baseline = r.baseline();
  if (r.metric() != proto::VITAL_KIND_UNSPECIFIED) {
    t.metric = vigil::from_proto(r.metric());
    if (!t.metric) return fail("metric", r.metric());
  }
  switch (r.direction()) {
    case proto::above: t.direction = Direction::Above; break;
    case proto::below: t.direction = Direction::Below; break;
    case proto::DIRECTION_UNSET: t.direction = Direction::None; break;
    default: return fail("direction", r.direction());
  }
  t.message = r.message();
  t.limits = r.limits();
  t.profile = r.profile();
  t.user = r.user();
  const auto phase = from_proto(r.phase());
  if (!phase) return fail("phase", r.phase());
  t.phase = *phase;
  t.wall_ms = r.at_ms();
  t.seq = r.seq();
  t.subject = r.subject();
  t.onset_wall_ms = r.onset_ms();
  t.escalated = r.escalated();
  t.acknowledged_by = r.acknowledged_by();
  out.log_id = r.log_id();
  return out;
}

proto::AlertEvent to_proto(const Alert& a, Phase phase) {
  proto::AlertEvent r;
  r.set_id(a.id);
  r.set_bed(a.bed);
  r.set_rule(to_proto(a.rule));
  r.set_priority(to_proto(a.priority));
  r.set_state(to_proto(a.state));
  r.set_kind(to_proto(a.kind));
  put(r, &proto::AlertEvent::set_value, a.value);
  put(r, &proto::AlertEvent::set_limit, a.limit);
  put(r, &proto::AlertEvent::set_baseline, a.baseline);
  if (a.metric) r.set_metric(vigil::to_proto(*a.metric));
  r.set_direction(to_proto(a.direction));
  r.set_message(a.message);
  r.set_limits(a.limits);
  r.set_phase(to_proto(phase));
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
  r.set_phase(to_proto(s.phase));
  r.set_begun_at_ms(s.begun_at_ms);
  r.set_infusion_started_at_ms(s.infusion_started_at_ms);
  r.set_infusion_stopped_at_ms(s.infusion_stopped_at_ms);
  r.set_ended_at_ms(s.ended_at_ms);
  r.set_infusion_elapsed_ms(s.infusion_elapsed_ms);
  r.set_infusion_paused(s.infusion_paused);
  r.set_snapshot_at_ms(s.snapshot_at_ms);
  proto::BaselineInfo& b = *r.mutable_baseline();
  b.set_source(to_proto(s.baseline.source));
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
    out.set_action(to_proto(a.kind));
    out.set_user(a.user);
    out.set_at_ms(a.at_ms);
    out.set_detail(a.detail);
  }
  return r;
}

proto::SessionEvent to_proto(const SessionEvent& e) {
  proto::SessionEvent r;
  r.set_event(to_proto(e.kind));
  r.set_bed(e.bed);
  r.set_user(e.user);
  r.set_at_ms(e.at.wall_ms);
  *r.mutable_session() = to_proto(e.state);
  return r;
}

proto::NibpSchedule nibp_schedule(const RuleProfile& profile) {
  const auto seconds = [](Duration d) { return std::chrono::duration<double>(d).count(); };
  const T3Rule& t3 = profile.t3;
  proto::NibpSchedule r;
  r.set_infusion_cycle_s(seconds(t3.infusion_cycle));
  r.set_recovery_early_cycle_s(seconds(t3.recovery_early_cycle));
  r.set_recovery_early_span_s(seconds(t3.recovery_early_span));
  r.set_recovery_late_cycle_s(seconds(t3.recovery_late_cycle));
  r.set_hr_from_pulse_after_s(seconds(profile.alarm.continuous_stale));
  return r;
}

std::optional<SessionState> from_proto(const proto::SessionInfo& r, std::string* error) {
  const auto fail = [&](const char* what, int number) -> std::optional<SessionState> {
    if (error) *error = std::string("unknown ") + what + " (value " + std::to_string(number) + ")";
    return std::nullopt;
  };
  SessionState s;
  s.session_id = r.session_id();
  s.bed = r.bed();
  s.patient = r.patient();
  s.profile = r.profile();
  s.planned_minutes = r.planned_minutes();
  const auto phase = from_proto(r.phase());
  if (!phase) return fail("session phase", r.phase());
  s.phase = *phase;
  s.begun_at_ms = r.begun_at_ms();
  s.infusion_started_at_ms = r.infusion_started_at_ms();
  s.infusion_stopped_at_ms = r.infusion_stopped_at_ms();
  s.ended_at_ms = r.ended_at_ms();
  s.infusion_elapsed_ms = r.infusion_elapsed_ms();
  s.infusion_paused = r.infusion_paused();
  s.snapshot_at_ms = r.snapshot_at_ms();
  const proto::BaselineInfo& b = r.baseline();
  if (b.source() == proto::BASELINE_SOURCE_UNSET) {
    s.baseline.source = BaselineSource::None;
  } else if (auto source = down(b.source(), BaselineSource::Override)) {
    s.baseline.source = *source;
  } else {
    return fail("baseline source", b.source());
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
  if (r.discharge_criteria_met_at_ms() != 0)
    s.discharge_criteria_met_at_ms = r.discharge_criteria_met_at_ms();
  s.recovery_readings_ok = r.recovery_readings_ok();
  s.monitor_data_seen = r.monitor_data_seen();
  for (const proto::SessionActionInfo& a : r.actions()) {
    if (s.actions.size() >= Session::kMaxActions) break;
    auto kind = down(a.action(), SessionActionKind::End);
    if (!kind) return fail("session action", a.action());
    s.actions.push_back(ActionRecord{*kind, a.user(), a.at_ms(), a.detail()});
  }
  return s;
}

}  // namespace vigil::alerts
