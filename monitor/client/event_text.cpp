#include "client/event_text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "common/reading_marks.hpp"
#include "common/vocabulary.hpp"
#include "common/wall_time.hpp"

namespace vigil::client {

namespace {

// Untrusted text from the daemon (device labels, messages) stays on one printable line.
std::string one_line(std::string text) {
  for (char& c : text)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  return text;
}

std::string text_line(std::int64_t at_ms, const char* type, const std::string& text) {
  std::string out = format_rfc3339(at_ms) + "  " + type;
  // Types padded to one column ("escalation" is the longest), at least one space after.
  out.append(11 - std::min<std::size_t>(10, std::char_traits<char>::length(type)), ' ');
  return out + one_line(text);
}

std::string value_text(double v) {
  if (std::isnan(v)) return "--";  // a withdrawal that sent no value
  char buf[32];
  std::snprintf(buf, sizeof buf, std::fabs(v - std::round(v)) < 1e-9 ? "%.0f" : "%.1f", v);
  return buf;
}

void alert_text(const proto::AlertEvent& a, std::vector<std::string>& out) {
  const std::string transition = a.transition() == proto::TRANSITION_UNSET ? "active" : word(a.transition());
  out.push_back(text_line(a.at_ms(), "alert",
                          a.bed() + " " + word(a.rule()) + " " + word(a.priority()) + " " + word(a.state()) +
                              " " + transition + ": " + a.message() +
                              (a.escalated_to().empty() ? "" : " (escalated to " + a.escalated_to() + ")")));
}

}  // namespace

std::vector<std::string> event_text_lines(const proto::ServerMessage& message, const EventFilter& filter) {
  auto wanted = [&](const std::string& bed) { return !filter.bed || *filter.bed == bed; };
  std::vector<std::string> out;
  switch (message.body_case()) {
    case proto::ServerMessage::kReading: {
      const auto& r = message.reading();
      if (wanted(r.bed()))
        out.push_back(text_line(r.received_at_ms(), "reading",
                                r.bed() + " " + proto::VitalKind_Name(r.kind()) + " " +
                                    value_text(r.value()) + " " + r.unit() + reading_marks(r)));
      break;
    }
    case proto::ServerMessage::kBedState:
      if (!wanted(message.bed_state().bed())) break;
      for (const auto& a : message.bed_state().active_alerts()) alert_text(a, out);
      break;
    case proto::ServerMessage::kAlert:
      if (wanted(message.alert().bed())) alert_text(message.alert(), out);
      break;
    case proto::ServerMessage::kSession: {
      const auto& e = message.session();
      const std::string bed = e.bed().empty() ? e.session().bed() : e.bed();
      if (wanted(bed))
        out.push_back(text_line(e.at_ms(), "session",
                                bed + " " + word(e.event()) + " " + word(e.session().phase()) +
                                    (e.user().empty() ? "" : " by " + e.user())));
      break;
    }
    case proto::ServerMessage::kDevice: {
      const auto& d = message.device();
      if (wanted(d.bed()))
        out.push_back(text_line(d.at_ms(), "device",
                                d.bed() + " " + d.source() + " " + word(d.state()) +
                                    (d.detail().empty() ? "" : ": " + d.detail())));
      break;
    }
    case proto::ServerMessage::kEscalation: {
      const auto& e = message.escalation();
      if (wanted(e.bed()))
        out.push_back(
            text_line(e.at_ms(), "escalation",
                      "tier " + std::to_string(e.tier()) + " " + e.alert_id() + ": " + e.message()));
      break;
    }
    default: break;  // results, hellos, heartbeats, snapshot markers: as event_lines()
  }
  return out;
}

}  // namespace vigil::client
