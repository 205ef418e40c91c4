// libFuzzer target: the MLLP deframer on arbitrary bytes in arbitrary chunks.
// Input layout: byte 0 picks the frame bound (small, so oversize is reached), byte 1 seeds
// the chunking, the rest is the stream. Checks: buffered() never exceeds the bound; the
// messages, junk count and failure are the same as feeding the stream in one piece; a
// failed deframer stays failed and silent; no message holds a framing byte; feed_each (views)
// gives exactly what feed (copies) gives, chunk by chunk. With an oversize handler (skipping):
// the same messages and skipped frames however the stream is chunked, each skipped frame over
// the bound with a head of at most kOversizeHeadBytes (and the bound), and a failure only
// after kOversizeSkipFactor times the bound.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz/fuzz_check.hpp"

#include "hl7/mllp_deframer.hpp"

namespace {

using vigil::fuzz::check;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using vigil::hl7::MllpDeframer;
  if (size < 2) return 0;
  const std::size_t bound = 1 + static_cast<std::size_t>(data[0]) * 8;
  std::uint32_t rng = data[1] * 2654435761u + 1;
  const std::string_view stream(reinterpret_cast<const char*>(data + 2), size - 2);

  MllpDeframer whole(bound);
  std::vector<std::string> whole_out;
  const bool whole_ok = whole.feed(stream, whole_out);
  check(whole_ok == !whole.failed());
  check(whole.buffered() <= bound);

  MllpDeframer chunked(bound);
  std::vector<std::string> chunked_out;
  MllpDeframer viewing(bound);
  std::vector<std::string> viewed_out;
  std::size_t pos = 0;
  bool ok = true;
  while (pos < stream.size()) {
    rng = rng * 1103515245u + 12345u;
    const std::size_t len = 1 + (rng >> 16) % 64;
    const std::size_t before = chunked_out.size();
    const bool was_failed = chunked.failed();
    ok = chunked.feed(stream.substr(pos, len), chunked_out);
    const bool view_ok = viewing.feed_each(stream.substr(pos, len), [&](std::string_view m) {
      check(m.size() <= bound);
      viewed_out.emplace_back(m);
    });
    check(view_ok == ok && viewed_out == chunked_out && viewing.buffered() == chunked.buffered());
    check(chunked.buffered() <= bound);
    check(ok == !chunked.failed());
    if (was_failed) check(!ok && chunked_out.size() == before);
    pos += len;
  }
  check(ok == whole_ok);
  check(chunked_out == whole_out);
  check(chunked.messages() == chunked_out.size());
  check(chunked.junk_bytes() == whole.junk_bytes());
  check(chunked.oversize_frames() == whole.oversize_frames());
  if (whole_ok) {
    check(chunked.in_frame() == whole.in_frame());
    check(chunked.buffered() == whole.buffered());
  }
  for (const std::string& m : chunked_out) {
    check(m.size() <= bound);
    check(m.find('\x0b') == std::string::npos && m.find('\x1c') == std::string::npos);
  }

  // Skipping: messages and skipped frames ("<size>:<head>") in order, whole and chunked.
  auto skip = [&](MllpDeframer& d, std::string_view bytes, std::vector<std::string>& out) {
    const bool fine = d.feed_each(
        bytes,
        [&](std::string_view m) {
          check(m.size() <= bound);
          out.emplace_back(m);
        },
        [&](std::string_view head, std::size_t frame_bytes) {
          check(frame_bytes > bound && head.size() <= bound && head.size() <= vigil::hl7::kOversizeHeadBytes);
          check(head.size() == std::min({frame_bytes, bound, vigil::hl7::kOversizeHeadBytes}));
          out.push_back(std::to_string(frame_bytes) + ":" + std::string(head));
        });
    check(d.buffered() <= bound && fine == !d.failed());
    return fine;
  };
  MllpDeframer skip_whole(bound);
  std::vector<std::string> skip_whole_out;
  const bool skip_whole_ok = skip(skip_whole, stream, skip_whole_out);
  MllpDeframer skip_chunked(bound);
  std::vector<std::string> skip_chunked_out;
  bool skip_ok = true;
  for (pos = 0; pos < stream.size();) {
    rng = rng * 1103515245u + 12345u;
    const std::size_t len = 1 + (rng >> 16) % 64;
    const bool was_failed = skip_chunked.failed();
    const std::size_t before = skip_chunked_out.size();
    skip_ok = skip(skip_chunked, stream.substr(pos, len), skip_chunked_out);
    if (was_failed) check(!skip_ok && skip_chunked_out.size() == before);
    pos += len;
  }
  check(skip_ok == skip_whole_ok && skip_chunked_out == skip_whole_out);
  check(skip_chunked.junk_bytes() == skip_whole.junk_bytes());
  check(skip_chunked.oversize_frames() == skip_whole.oversize_frames());
  // Up to the first oversized frame both ways agree; skipping never fails sooner.
  if (whole_ok) check(skip_whole_ok && skip_whole_out == whole_out);
  return 0;
}
