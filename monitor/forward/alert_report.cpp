#include "forward/alert_report.hpp"

namespace vigil::forward {
namespace {

bool starts_with(const std::string& text, const char* prefix) { return text.rfind(prefix, 0) == 0; }

// The alert text names the vital first; the rule decides when it does not (P9 gates and
// the BP rules are about systolic pressure unless the text says otherwise).
std::optional<VitalKind> metric_of(const proto::AlertEvent& e) {
  const std::string& m = e.message();
  if (starts_with(m, "SBP ")) return VitalKind::NibpSys;
  if (starts_with(m, "DBP ")) return VitalKind::NibpDia;
  if (starts_with(m, "MAP ")) return VitalKind::NibpMean;
  if (starts_with(m, "HR ")) return VitalKind::HeartRate;
  if (starts_with(m, "SpO2 ")) return VitalKind::SpO2;
  if (e.kind() != "physiological") return std::nullopt;
  const std::string& r = e.rule();
  if (r == "P6" || r == "P7") return VitalKind::HeartRate;
  if (r == "P8") return VitalKind::SpO2;
  return VitalKind::NibpSys;
}

}  // namespace

hl7::AlertReport to_alert_report(const proto::AlertEvent& e, const std::string& session_id,
                                 const std::string& first_control_id) {
  hl7::AlertReport a;
  a.alert_id = e.id();
  a.bed = e.bed();
  a.session_id = session_id;
  a.rule = e.rule();
  a.priority = e.priority();
  a.state = e.state();
  a.transition = e.transition();
  a.kind = e.kind();
  a.message = e.message();
  a.subject = e.subject();
  a.metric = metric_of(e);
  if (e.has_value()) a.value = e.value();
  if (e.has_limit()) a.limit = e.limit();
  // "X < limit" is a low crossing; ">=" and anything else (MAP drops are written as "<" too)
  // follow the comparison in the text, high when the text has none.
  a.above = e.message().find(" < ") == std::string::npos;
  a.at_ms = e.at_ms();
  a.first_control_id = first_control_id;
  return a;
}

}  // namespace vigil::forward
