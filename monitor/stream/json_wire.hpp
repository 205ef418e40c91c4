#pragma once
// The stream protocol as JSON text, for the web view's WebSocket: the same ServerMessage and
// ClientMessage as proto/stream.proto, in protobuf's canonical JSON mapping with the .proto
// field names (snake_case: "snapshot_begin", "bed_state", "alert_id"). Being the generic
// mapping, a field added to the .proto later travels with no change here.
//
// Mapping facts the page relies on: 64-bit integers are strings ("1765000000000"); enums are
// their value names ("HIGH", "ACTIVE"); fields at their default value are printed too (so a
// page need not know proto3 defaults), except `optional` fields that are unset.
//
// Inbound: fields this daemon does not know are ignored (a newer page, an older daemon), and
// the text is bounded by the caller (the WebSocket's message limit).
//
// Pure: no I/O; safe from any thread.

#include <string>
#include <string_view>

#include "stream.pb.h"

namespace vigil::stream {

// One ServerMessage as one JSON object (no trailing newline).
std::string server_message_json(const proto::ServerMessage& message);

// Parses one ClientMessage; false (and `error` says why) for text that is not one.
bool parse_client_message_json(std::string_view text, proto::ClientMessage& out,
                               std::string* error = nullptr);

// The reverse pair, for tests and tools that play the browser's part.
std::string client_message_json(const proto::ClientMessage& message);
bool parse_server_message_json(std::string_view text, proto::ServerMessage& out);

}  // namespace vigil::stream
