#include "forward/alert_report.hpp"

#include "common/proto_convert.hpp"
#include "common/vocabulary.hpp"

namespace vigil::forward {
namespace {

// PCD-04 event phase: raised -> start, resolved -> end, escalated -> escalate, every other
// change -> update.
hl7::EventPhase phase_of(const proto::AlertEvent& e) {
  if (e.transition() == proto::raised) return hl7::EventPhase::Start;
  if (e.transition() == proto::resolved || e.state() == proto::RESOLVED) return hl7::EventPhase::End;
  if (e.transition() == proto::escalated) return hl7::EventPhase::Escalate;
  return hl7::EventPhase::Update;
}

hl7::AlarmState alarm_state_of(proto::AlertState s) {
  if (s == proto::LATCHED) return hl7::AlarmState::Latched;
  if (s == proto::RESOLVED) return hl7::AlarmState::Inactive;
  return hl7::AlarmState::Active;
}

hl7::Inactivation inactivation_of(proto::AlertState s) {
  if (s == proto::AUDIO_PAUSED) return hl7::Inactivation::AudioPaused;
  if (s == proto::ACKNOWLEDGED) return hl7::Inactivation::Acknowledged;
  return hl7::Inactivation::Enabled;
}

hl7::PcdPriority priority_of(proto::Priority p) {
  switch (p) {
    case proto::HIGH: return hl7::PcdPriority::High;
    case proto::MEDIUM: return hl7::PcdPriority::Medium;
    case proto::LOW: return hl7::PcdPriority::Low;
    default: return hl7::PcdPriority::None;
  }
}

hl7::AlertType type_of(proto::AlertKind k) {
  if (k == proto::technical) return hl7::AlertType::Technical;
  if (k == proto::advisory) return hl7::AlertType::Advisory;
  return hl7::AlertType::Physiological;
}

}  // namespace

hl7::AlertReport to_alert_report(const proto::AlertEvent& e, const std::string& session_id,
                                 const std::string& first_control_id) {
  hl7::AlertReport a;
  a.alert_id = e.id();
  a.bed = e.bed();
  a.session_id = session_id;
  a.rule = word(e.rule());
  a.phase = phase_of(e);
  a.alarm_state = alarm_state_of(e.state());
  a.inactivation = inactivation_of(e.state());
  a.priority = priority_of(e.priority());
  a.type = type_of(e.kind());
  a.message = e.message();
  a.subject = e.subject();
  // Unset for technical alerts, and for alerts logged before the engine recorded them (a
  // follow-up of such an alert then goes as a plain alarm event with its source).
  a.metric = from_proto(e.metric());
  if (e.has_value()) a.value = e.value();
  if (e.has_limit()) a.limit = e.limit();
  a.above = e.direction() != proto::below;
  a.at_ms = e.at_ms();
  a.first_control_id = first_control_id;
  return a;
}

}  // namespace vigil::forward
