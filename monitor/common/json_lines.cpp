#include "common/json_lines.hpp"

#include <google/protobuf/util/json_util.h>

#include "common/vocabulary.hpp"
#include "common/wall_time.hpp"

namespace vigil {

namespace {

// Protobuf escapes <, >, & and ' as \u00XX for HTML safety. Our lines go to terminals and
// scripts ("SBP 184 >= 180"), so those four are written plainly again; an escaped backslash
// ("\\") is stepped over whole, so its neighbours are never misread.
std::string unescape_html_safe(const std::string& json) {
  std::string out;
  out.reserve(json.size());
  for (std::size_t i = 0; i < json.size(); ++i) {
    if (json[i] != '\\' || i + 1 >= json.size()) {
      out += json[i];
      continue;
    }
    if (json[i + 1] == 'u' && i + 5 < json.size() && json.compare(i + 2, 2, "00") == 0) {
      const std::string hex = json.substr(i + 4, 2);
      const char plain = hex == "3c" ? '<' : hex == "3e" ? '>' : hex == "26" ? '&' : hex == "27" ? '\'' : 0;
      if (plain) {
        out += plain;
        i += 5;
        continue;
      }
    }
    out += json[i];
    out += json[i + 1];
    ++i;
  }
  return out;
}

}  // namespace

std::string to_json_line(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  options.add_whitespace = false;
  std::string out;
  auto status = google::protobuf::util::MessageToJsonString(message, &out, options);
  if (!status.ok()) return R"({"type":"error","message":"json rendering failed"})";
  return unescape_html_safe(out);
}

proto::ReadingLine reading_line(const proto::Reading& r, bool from_snapshot) {
  proto::ReadingLine line;
  line.set_type("reading");
  line.set_bed(r.bed());
  line.set_kind(proto::VitalKind_Name(r.kind()));
  line.set_value(r.value());
  line.set_unit(r.unit());
  line.set_measured_at(format_rfc3339(r.measured_at_ms()));
  line.set_source(r.source());
  line.set_received_at(format_rfc3339(r.received_at_ms()));
  line.set_valid(r.valid());
  line.set_status(r.status());
  line.set_id(r.id());
  if (from_snapshot) {
    line.mutable_age_s()->set_value(static_cast<double>(r.age_ms()) / 1000.0);
    line.mutable_snapshot()->set_value(true);
  }
  if (r.has_verified()) line.mutable_verified()->set_value(r.verified());
  if (r.late()) line.mutable_late()->set_value(true);
  if (r.withdrawn()) line.mutable_withdrawn()->set_value(true);
  line.set_phase(word(r.phase()));
  return line;
}

proto::AlertLine alert_line(const proto::AlertEvent& a, bool from_snapshot) {
  proto::AlertLine line;
  line.set_type("alert");
  line.set_id(a.id());
  line.set_bed(a.bed());
  line.set_rule(word(a.rule()));
  line.set_priority(word(a.priority()));
  line.set_state(word(a.state()));
  if (a.has_value()) line.mutable_value()->set_value(a.value());
  if (a.has_limit()) line.mutable_limit()->set_value(a.limit());
  if (a.has_baseline()) line.mutable_baseline()->set_value(a.baseline());
  line.set_message(a.message());
  line.set_at(format_rfc3339(a.at_ms()));
  line.set_transition(word(a.transition()));
  line.set_kind(word(a.kind()));
  line.set_subject(a.subject());
  line.set_phase(word(a.phase()));
  line.set_user(a.user());
  line.set_acknowledged_by(a.acknowledged_by());
  line.set_escalated(a.escalated());
  line.set_onset(a.onset_ms() ? format_rfc3339(a.onset_ms()) : "");
  line.set_limits(a.limits());
  line.set_profile(a.profile());
  line.set_seq(a.seq());
  line.set_log_id(a.log_id());
  if (from_snapshot) line.mutable_snapshot()->set_value(true);
  return line;
}

proto::EscalationLine escalation_line(const proto::EscalationEvent& e) {
  proto::EscalationLine line;
  line.set_type("escalation");
  line.set_alert_id(e.alert_id());
  line.set_bed(e.bed());
  line.set_tier(e.tier());
  line.set_target(e.target());
  line.set_priority(word(e.priority()));
  line.set_message(e.message());
  line.set_at(format_rfc3339(e.at_ms()));
  line.set_user(e.user());
  line.set_no_one_on_call(e.no_one_on_call());
  return line;
}

proto::SessionLine session_line(const proto::SessionEvent& e, bool from_snapshot) {
  const proto::SessionInfo& s = e.session();
  proto::SessionLine line;
  line.set_type("session");
  line.set_event(from_snapshot ? "state" : word(e.event()));
  line.set_bed(e.bed().empty() ? s.bed() : e.bed());
  line.set_session_id(s.session_id());
  line.set_phase(word(s.phase()));
  line.set_user(e.user());
  line.set_at(format_rfc3339(e.at_ms()));
  line.set_patient(s.patient());
  line.set_profile(s.profile());
  line.set_planned_minutes(s.planned_minutes());
  line.set_infusion_elapsed_min(static_cast<double>(s.infusion_elapsed_ms()) / 60000.0);
  if (s.baseline().has_sys_mmhg()) line.mutable_baseline_sys()->set_value(s.baseline().sys_mmhg());
  if (s.baseline().has_dia_mmhg()) line.mutable_baseline_dia()->set_value(s.baseline().dia_mmhg());
  line.set_baseline_source(word(s.baseline().source()));
  auto when = [](std::int64_t ms) { return ms ? format_rfc3339(ms) : std::string(); };
  line.set_infusion_started_at(when(s.infusion_started_at_ms()));
  line.set_infusion_stopped_at(when(s.infusion_stopped_at_ms()));
  line.set_discharge_criteria_met_at(when(s.discharge_criteria_met_at_ms()));
  if (from_snapshot) line.mutable_snapshot()->set_value(true);
  return line;
}

proto::DeviceLine device_line(const proto::DeviceStatus& d) {
  proto::DeviceLine line;
  line.set_type("device");
  line.set_bed(d.bed());
  line.set_source(d.source());
  line.set_transport(d.transport());
  line.set_state(word(d.state()));
  line.set_detail(d.detail());
  line.set_at(format_rfc3339(d.at_ms()));
  return line;
}

proto::ResultLine result_line(const proto::RequestResult& r, const std::string& bed) {
  proto::ResultLine line;
  line.set_type("result");
  line.set_ok(r.ok());
  line.set_reason(r.reason());
  line.set_detail(r.detail());
  line.set_bed(bed);
  line.set_session_id(r.session().session_id());
  line.set_phase(word(r.session().phase()));
  return line;
}

std::string json_quote(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size() + 2);
  out += '"';
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20 || byte == 0x7f) {
      out += "\\u00";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

}  // namespace vigil
