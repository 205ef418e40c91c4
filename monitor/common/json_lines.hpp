#pragma once
// One place that turns stream and database records into the JSON lines vigilctl prints.
// The line shapes are a contract with scripts and the acceptance suite (see proto/json_lines.proto).

#include <string>
#include <string_view>

#include "events.pb.h"
#include "json_lines.pb.h"
#include "readings.pb.h"

namespace vigil {

// Renders any message as one compact JSON line (no trailing newline), field names as in
// the .proto, defaults included so every line has the same keys.
std::string to_json_line(const google::protobuf::Message& message);

// A reading as `{"type":"reading","bed":...}`; `from_snapshot` adds age_s and snapshot:true.
proto::ReadingLine reading_line(const proto::Reading& reading, bool from_snapshot);

// An alert transition (or, from a snapshot, an active alert) as `{"type":"alert",...}`.
proto::AlertLine alert_line(const proto::AlertEvent& alert, bool from_snapshot);

// A session event as `{"type":"session","event":...}`; from a snapshot the event is "state".
proto::SessionLine session_line(const proto::SessionEvent& event, bool from_snapshot);

proto::DeviceLine device_line(const proto::DeviceStatus& status);

// An escalation step as `{"type":"escalation","alert_id":...}`.
proto::EscalationLine escalation_line(const proto::EscalationEvent& event);

proto::ResultLine result_line(const proto::RequestResult& result, const std::string& bed);

// A JSON string literal, quotes included, for the few lines printed without a proto message
// (summaries of the outbox, unmapped codes, replay figures). Control bytes are escaped, not
// dropped, so a device label with a stray ESC cannot break or forge a line.
std::string json_quote(std::string_view text);

}  // namespace vigil
