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

#include "fuzz/fuzz_check.hpp"

#include "datex/s5_decoder.hpp"
#include "datex/s5_deframer.hpp"
#include "datex/s5_reading_mapper.hpp"

namespace {

using vigil::fuzz::check;
using vigil::fuzz::feed_chunked;

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
