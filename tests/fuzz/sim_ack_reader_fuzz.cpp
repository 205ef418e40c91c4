// libFuzzer: the bytes a receiver sends back to a simulated monitor (MLLP-framed ACKs).
// The first byte picks the chunk size, so frame boundaries fall everywhere.

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sim/ack_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::size_t chunk = 1 + data[0] % 64;
  vigil::sim::ReplyDeframer deframer(4096);
  const char* bytes = reinterpret_cast<const char*>(data + 1);
  std::size_t left = size - 1;
  while (left > 0) {
    const std::size_t n = left < chunk ? left : chunk;
    deframer.feed(bytes, n);
    bytes += n;
    left -= n;
    while (auto payload = deframer.next()) {
      if (payload->size() > 4096) __builtin_trap();  // the bound must hold
      (void)vigil::sim::parse_ack(*payload);
    }
  }
  (void)vigil::sim::parse_ack(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
