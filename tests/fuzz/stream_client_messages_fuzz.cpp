// libFuzzer: arbitrary bytes as a client would send them to the daemon. The first input byte
// picks how the rest is split into reads, so the decoder's state carries across feeds.
#include <google/protobuf/stubs/logging.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

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
  std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  // A small limit too, so the oversize path is reachable with short inputs.
  vigil::net::FrameDecoder decoder(data[0] & 0x80 ? 256 : vigil::net::kMaxFrameBytes);
  std::vector<std::string> frames;
  for (std::size_t pos = 0; pos < bytes.size(); pos += chunk) {
    frames.clear();
    const bool ok = decoder.feed(bytes.substr(pos, chunk), frames);
    for (const std::string& payload : frames) {
      vigil::proto::ClientMessage message;
      if (message.ParseFromString(payload) && message.has_hello()) {
        volatile std::uint32_t v = message.hello().protocol_version();
        (void)v;
      }
    }
    if (decoder.buffered() > vigil::net::kMaxFrameBytes + 10) __builtin_trap();
    if (!ok) break;
  }
  return 0;
}
