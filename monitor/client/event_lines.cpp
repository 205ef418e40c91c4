#include "client/event_lines.hpp"

#include "common/json_lines.hpp"
#include "common/wall_time.hpp"
#include "json_lines.pb.h"

namespace vigil::client {

namespace {

bool wanted(const EventFilter& filter, const std::string& bed) { return !filter.bed || *filter.bed == bed; }

void reading_lines(const proto::Reading& reading, const EventFilter& filter, std::vector<std::string>& out) {
  if (wanted(filter, reading.bed())) out.push_back(to_json_line(reading_line(reading, false)));
}

void bed_state_lines(const proto::BedState& state, const EventFilter& filter, std::vector<std::string>& out) {
  for (const proto::Reading& reading : state.latest()) {
    // The daemon fills each reading's bed; fall back to the state's in case it did not.
    const bool has_bed = !reading.bed().empty();
    if (!wanted(filter, has_bed ? reading.bed() : state.bed())) continue;
    if (has_bed) {
      out.push_back(to_json_line(reading_line(reading, true)));
    } else {
      proto::Reading copy = reading;
      copy.set_bed(state.bed());
      out.push_back(to_json_line(reading_line(copy, true)));
    }
  }
  if (!wanted(filter, state.bed())) return;
  // What is going on at the chair right now: its session and every live alert.
  if (state.has_session()) {
    proto::SessionEvent event;
    event.set_bed(state.bed());
    event.set_at_ms(state.session().snapshot_at_ms());
    *event.mutable_session() = state.session();
    out.push_back(to_json_line(session_line(event, true)));
  }
  for (const proto::AlertEvent& alert : state.active_alerts()) {
    out.push_back(to_json_line(alert_line(alert, true)));
  }
  for (const proto::DeviceStatus& device : state.devices()) {
    out.push_back(to_json_line(device_line(device)));
  }
}

}  // namespace

std::vector<std::string> event_lines(const proto::ServerMessage& message, const EventFilter& filter) {
  std::vector<std::string> out;
  switch (message.body_case()) {
    case proto::ServerMessage::kReading: reading_lines(message.reading(), filter, out); break;
    case proto::ServerMessage::kBedState: bed_state_lines(message.bed_state(), filter, out); break;
    case proto::ServerMessage::kAlert:
      if (wanted(filter, message.alert().bed()))
        out.push_back(to_json_line(alert_line(message.alert(), false)));
      break;
    case proto::ServerMessage::kSession:
      if (wanted(filter, message.session().bed()))
        out.push_back(to_json_line(session_line(message.session(), false)));
      break;
    case proto::ServerMessage::kEscalation:
      if (wanted(filter, message.escalation().bed()))
        out.push_back(to_json_line(escalation_line(message.escalation())));
      break;
    case proto::ServerMessage::kDevice:
      if (wanted(filter, message.device().bed())) out.push_back(to_json_line(device_line(message.device())));
      break;
    // Request results belong to the client that asked (vigilctl session/ack print them).
    case proto::ServerMessage::kResult:
    // Not printed: the hello has its own line (hello_line), heartbeats and snapshot markers
    // carry nothing a script wants.
    case proto::ServerMessage::kHello:
    case proto::ServerMessage::kHeartbeat:
    case proto::ServerMessage::kSnapshotBegin:
    case proto::ServerMessage::kSnapshotEnd:
    case proto::ServerMessage::BODY_NOT_SET: break;
  }
  return out;
}

std::string hello_line(const proto::ServerHello& hello) {
  proto::HelloLine line;
  line.set_type("hello");
  line.set_protocol_version(hello.protocol_version());
  line.set_daemon_version(hello.daemon_version());
  line.set_server_time(format_rfc3339(hello.server_time_ms()));
  return to_json_line(line);
}

std::string link_line(LinkState state, std::string_view detail) {
  proto::LinkLine line;
  line.set_type("link");
  line.set_state(std::string(to_string(state)));
  line.set_detail(std::string(detail));
  return to_json_line(line);
}

}  // namespace vigil::client
