#pragma once
// Stream events as the JSON lines vigilctl prints (contract: proto/json_lines.proto).
// Pure: no sockets, no clocks; the fuzz target stream_server_messages runs it on garbage.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "client/stream_client.hpp"
#include "stream.pb.h"

namespace vigil::client {

// Only events about this bed (chair) when set.
struct EventFilter {
  std::optional<std::string> bed;
};

// The lines one server message prints as (none for heartbeats, snapshot markers and events
// filtered out). A BedState prints one reading line per latest reading, marked snapshot.
// To print a new event type, add one case to the switch in event_lines.cpp.
std::vector<std::string> event_lines(const proto::ServerMessage& message, const EventFilter& filter);

// {"type":"hello","protocol_version":1,"daemon_version":"0.1.0","server_time":"..."}
std::string hello_line(const proto::ServerHello& hello);

// {"type":"link","state":"lost","detail":"..."}
std::string link_line(LinkState state, std::string_view detail);

}  // namespace vigil::client
