// libFuzzer target intellivue_mib_deframer: the MIB/RS-232 deframer on arbitrary bytes.
// The first byte seeds the chunking; the rest is the serial stream. Checks that any
// chunking gives the same messages as one piece, that every message stays within the
// frame bound and survives a re-frame round trip, and (ASan/UBSan) that nothing reads
// outside its buffer. Each message is also handed to the message decoder.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "intellivue/messages.hpp"
#include "intellivue/mib_frame.hpp"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

std::vector<std::string> feed_chunked(std::string_view stream, std::uint8_t seed,
                                      vigil::intellivue::MibDeframer& d) {
  std::vector<std::string> out;
  std::uint32_t state = seed * 2654435761u + 1;
  std::size_t at = 0;
  while (at < stream.size()) {
    state = state * 1664525u + 1013904223u;
    const std::size_t n = 1 + (state >> 24) % 97;
    d.feed(stream.substr(at, n), out);
    at += n;
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vigil::intellivue;
  if (size == 0) return 0;
  const std::string_view stream(reinterpret_cast<const char*>(data) + 1, size - 1);

  MibDeframer whole;
  std::vector<std::string> messages;
  whole.feed(stream, messages);
  MibDeframer chunked;
  check(feed_chunked(stream, data[0], chunked) == messages);
  check(whole.counters().frames == messages.size());

  for (const std::string& m : messages) {
    check(m.size() <= kMaxMibUserData);
    MibDeframer again;
    std::vector<std::string> back;
    again.feed(encode_mib_frame(m), back);
    check(back.size() == 1 && back[0] == m);
    (void)decode_message(m);
  }
  return 0;
}
