// libFuzzer: arbitrary bytes as a web page's WebSocket text message (stream/json_wire.hpp).
// What parses must print and parse again to the same message (what the daemon then acts on
// is what the page said); nothing may crash or loop.
#include <google/protobuf/stubs/logging.h>

#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_check.hpp"
#include "stream/json_wire.hpp"

// Protobuf logs parse failures; that noise slows fuzzing.
extern "C" int LLVMFuzzerInitialize(int*, char***) {
  google::protobuf::SetLogHandler(nullptr);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // The WebSocket's bound: a logged-in page's messages are at most 64 KiB.
  if (size > 64 * 1024) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  vigil::proto::ClientMessage message;
  std::string error;
  if (!vigil::stream::parse_client_message_json(text, message, &error)) return 0;
  const std::string printed = vigil::stream::client_message_json(message);
  vigil::proto::ClientMessage again;
  vigil::fuzz::check(vigil::stream::parse_client_message_json(printed, again));
  vigil::fuzz::check(again.SerializeAsString() == message.SerializeAsString());
  return 0;
}
