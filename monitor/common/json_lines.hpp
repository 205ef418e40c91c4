#pragma once
// One place that turns stream and database records into the JSON lines vigilctl prints.
// The line shapes are a contract with scripts and the acceptance suite (see proto/json_lines.proto).

#include <string>

#include "json_lines.pb.h"
#include "readings.pb.h"

namespace vigil {

// Renders any message as one compact JSON line (no trailing newline), field names as in
// the .proto, defaults included so every line has the same keys.
std::string to_json_line(const google::protobuf::Message& message);

// A reading as `{"type":"reading","bed":...}`; `from_snapshot` adds age_s and snapshot:true.
proto::ReadingLine reading_line(const proto::Reading& reading, bool from_snapshot);

}  // namespace vigil
