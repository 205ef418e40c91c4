#pragma once
// What every fuzz target shares: a check that stops the run (libFuzzer reports the input),
// and feeding a byte stream to a deframer in chunks whose sizes a seed picks, so a target can
// compare any chunking with one piece.

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::fuzz {

inline void check(bool ok) {
  if (!ok) std::abort();
}

// Feeds `stream` to `deframer.feed(bytes, out)` in chunks of 1..97 bytes from a tiny LCG
// seeded by `seed`; returns what it produced.
template <class Deframer>
std::vector<std::string> feed_chunked(std::string_view stream, std::uint8_t seed, Deframer& deframer) {
  std::vector<std::string> out;
  std::uint32_t state = seed * 2654435761u + 1;
  std::size_t at = 0;
  while (at < stream.size()) {
    state = state * 1664525u + 1013904223u;
    const std::size_t n = 1 + (state >> 24) % 97;
    deframer.feed(stream.substr(at, n), out);
    at += n;
  }
  return out;
}

}  // namespace vigil::fuzz
