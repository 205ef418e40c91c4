// libFuzzer target datex_s5: deframer + decoder + mapper on arbitrary bytes.
// The first byte seeds the chunking; the rest is the serial stream. Checks that any
// chunking gives the same records as one piece, that records stay within bounds, and
// (via ASan/UBSan) that nothing reads outside its buffer.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "datex/s5_decoder.hpp"
#include "datex/s5_deframer.hpp"
#include "datex/s5_reading_mapper.hpp"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

// Feeds `stream` in chunks whose sizes come from a tiny LCG seeded by `seed`.
std::vector<std::string> feed_chunked(std::string_view stream, std::uint8_t seed,
                                      vigil::datex::S5Deframer& d) {
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
  if (size == 0) return 0;
  const std::string_view stream(reinterpret_cast<const char*>(data) + 1, size - 1);

  vigil::datex::S5Deframer whole;
  std::vector<std::string> records;
  whole.feed(stream, records);
  vigil::datex::S5Deframer chunked;
  check(feed_chunked(stream, data[0], chunked) == records);
  check(whole.counters().records == records.size());

  vigil::datex::S5ReadingMapper mapper("datex-s5:fuzz");
  for (const std::string& record : records) {
    check(record.size() <= vigil::datex::kMaxRecordSize);
    const vigil::datex::DecodeResult r = vigil::datex::decode_record(record);
    if (r.ok()) mapper.map(r.record);
  }
  // Most random frames fail the checksum, so also decode the input as one bare record.
  const vigil::datex::DecodeResult bare = vigil::datex::decode_record(stream);
  if (bare.ok()) mapper.map(bare.record);
  return 0;
}
