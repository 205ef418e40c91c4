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

#include "fuzz/fuzz_check.hpp"

#include "intellivue/messages.hpp"
#include "intellivue/mib_frame.hpp"

namespace {

using vigil::fuzz::check;
using vigil::fuzz::feed_chunked;

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
