// libFuzzer: arbitrary bytes as the daemon would send them to a client, decoded, parsed and
// rendered as vigilctl watch prints them. The first byte picks the read size and the filter.
#include <google/protobuf/stubs/logging.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "client/event_lines.hpp"
#include "net/frame_codec.hpp"
#include "stream.pb.h"

// Protobuf logs every string field with invalid UTF-8; that noise slows fuzzing ~2x.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t chunk = 1 + data[0] % 64;
  vigil::client::EventFilter filter;
  if (data[0] & 0x80) filter.bed = "CHAIR1";
  std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  vigil::net::FrameDecoder decoder;
  std::vector<std::string> frames;
  for (std::size_t pos = 0; pos < bytes.size(); pos += chunk) {
    frames.clear();
    const bool ok = decoder.feed(bytes.substr(pos, chunk), frames);
    for (const std::string& payload : frames) {
      vigil::proto::ServerMessage message;
      if (!message.ParseFromString(payload)) continue;
      if (message.has_hello()) (void)vigil::client::hello_line(message.hello());
      for (const std::string& line : vigil::client::event_lines(message, filter)) {
        if (line.empty() || line.front() != '{' || line.back() != '}') __builtin_trap();
      }
    }
    if (!ok) break;
  }
  (void)vigil::client::link_line(vigil::client::LinkState::Lost,
                                 std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
