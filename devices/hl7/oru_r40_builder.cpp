#include "hl7/oru_r40_builder.hpp"

#include "hl7/hl7_time.hpp"

namespace vigil::hl7 {
namespace {

// IHE PCD ACM (PCD-04) message profile (MSH-21).
constexpr std::string_view kPcd04Profile = "IHE_PCD_ACM_001^IHE PCD^1.3.6.1.4.1.19376.1.6.4.4^ISO";

// The event identifier (OBX-3 of row .1): a numeric crossing (an alarm or an advisory) is
// high or low; everything else (technical alarms) is a plain alarm event. Vigil's rule id rides along as
// the alternate identifier so an engine can tell P2 from P1 without parsing text.
std::string event_id(const AlertReport& a) {
  std::string id;
  if (a.type != AlertType::Technical && a.metric && a.value) {
    id = a.above ? "196648^MDC_EVT_HI^MDC" : "196670^MDC_EVT_LO^MDC";
  } else {
    id = "196616^MDC_EVT_ALARM^MDC";
  }
  const std::string rule = escape_text(a.rule);
  return id + "^" + rule + "^" + rule + "^VIGIL";
}

// OBX-7 reference range: the side of the limit that is normal ("<180", ">90").
std::string limit_range(const AlertReport& a) {
  if (!a.limit) return "";
  const std::string limit = format_nm(*a.limit);
  if (limit.empty()) return "";
  return (a.above ? "<" : ">") + limit;
}

void attribute(std::string& out, int set_id, std::string_view id, const std::string& value,
               const std::string& time) {
  const std::string n = std::to_string(set_id);
  out += "OBX|" + n + "|ST|";
  out += id;
  out += "|1.0.0.0." + n + "|" + value + "||||||F|||" + time + "\r";
}

}  // namespace

std::string_view to_string(EventPhase phase) {
  switch (phase) {
    case EventPhase::Start: return "start";
    case EventPhase::Update: return "update";
    case EventPhase::Escalate: return "escalate";
    case EventPhase::End: return "end";
  }
  return "update";
}

std::string_view to_string(AlarmState state) {
  switch (state) {
    case AlarmState::Active: return "active";
    case AlarmState::Latched: return "latched";
    case AlarmState::Inactive: return "inactive";
  }
  return "active";
}

std::string_view to_string(Inactivation inactivation) {
  switch (inactivation) {
    case Inactivation::Enabled: return "enabled";
    case Inactivation::AudioPaused: return "audio-paused";
    case Inactivation::Acknowledged: return "alert-acknowledged";
  }
  return "enabled";
}

std::string_view to_string(PcdPriority priority) {
  switch (priority) {
    case PcdPriority::High: return "PH";
    case PcdPriority::Medium: return "PM";
    case PcdPriority::Low: return "PL";
    case PcdPriority::None: break;
  }
  return "PN";
}

std::string_view to_string(AlertType type) {
  switch (type) {
    case AlertType::Technical: return "ST";
    case AlertType::Advisory: return "SA";
    case AlertType::Physiological: break;
  }
  return "SP";
}

std::string build_oru_r40(const ForwardHeader& header, const AlertReport& a) {
  std::string out;
  out.reserve(1024);
  append_forward_header(out, header, "ORU^R40^ORU_R40", kPcd04Profile, a.bed, a.session_id);
  const std::string ctl = escape_text(header.control_id);
  const std::string at = format_hl7_time(a.at_ms != 0 ? a.at_ms : header.message_time_ms);
  out += "OBR|1|" + ctl + "^VIGIL|" + escape_text(a.alert_id) + "^" + escape_text(header.daemon_id) +
         "|196616^MDC_EVT_ALARM^MDC|||" + at;
  if (!a.first_control_id.empty()) {
    const std::string first = escape_text(a.first_control_id) + "&VIGIL";
    out += std::string(22, '|') + first + "^" + first;  // OBR-8 .. OBR-28 empty, OBR-29 parent
  }
  out += '\r';

  out += "OBX|1|ST|" + event_id(a) + "|1.0.0.0.1|" + escape_text(a.message) + "||||||F|||" + at + "\r";
  if (a.type != AlertType::Technical && a.metric) {  // physiological, and advisories about a vital
    out += "OBX|2|NM|" + mdc_observation_id(*a.metric) + "|1.0.0.0.2|" +
           (a.value ? format_nm(*a.value) : "") + "|" + mdc_unit(*a.metric) + "|" + limit_range(a) +
           "||||F|||" + at + "\r";
  } else {
    attribute(out, 2, "68480^MDC_ATTR_ALERT_SOURCE^MDC", escape_text(a.subject.empty() ? a.rule : a.subject),
              at);
  }
  attribute(out, 3, "68481^MDC_ATTR_EVENT_PHASE^MDC", std::string(to_string(a.phase)), at);
  attribute(out, 4, "68482^MDC_ATTR_ALARM_STATE^MDC", std::string(to_string(a.alarm_state)), at);
  attribute(out, 5, "68483^MDC_ATTR_ALARM_INACTIVATION_STATE^MDC", std::string(to_string(a.inactivation)),
            at);
  attribute(out, 6, "68484^MDC_ATTR_ALARM_PRIORITY^MDC", std::string(to_string(a.priority)), at);
  attribute(out, 7, "68485^MDC_ATTR_ALERT_TYPE^MDC", std::string(to_string(a.type)), at);
  return out;
}

}  // namespace vigil::hl7
