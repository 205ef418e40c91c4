#pragma once
// Where a delimiter occurs in a piece of HL7 text: the parser's innermost loop.
//
// Fields and components are a few to a few dozen bytes, where a library call (memchr)
// costs more than the scan itself. So: 16 bytes per step with SSE2 (every x86-64 has it),
// 8 per step with a SWAR word elsewhere or for 8..15 bytes, a plain loop below 8. Nothing
// is read outside [base, base + size): the last partial block is read as the block ending
// at `size`, overlapping bytes already checked, whose bits are shifted out.
// Internal to devices/hl7 (message.cpp); tested through piece() and Fields.

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace vigil::hl7::detail {

// Eight bytes at a time: the high bit of byte k is set exactly when byte k equals c (no
// false positives, unlike the classic has-zero test, because carries cannot cross bytes).
struct Swar8 {
  static constexpr std::size_t kBytes = 8;
  static constexpr unsigned kBitsPerByte = 8;
  static std::uint64_t mask(const char* p, char c) {
    constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
    constexpr std::uint64_t kLow7 = 0x7F7F7F7F7F7F7F7FULL;
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    if constexpr (std::endian::native == std::endian::big) w = __builtin_bswap64(w);
    w ^= kOnes * static_cast<unsigned char>(c);
    return ~(((w & kLow7) + kLow7) | w | kLow7);
  }
};

#if defined(__SSE2__)
struct Sse16 {
  static constexpr std::size_t kBytes = 16;
  static constexpr unsigned kBitsPerByte = 1;
  static std::uint64_t mask(const char* p, char c) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    return static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(c))));
  }
};
using Wide = Sse16;
#else
using Wide = Swar8;
#endif

// Calls fn(pos) for each pos in [from, size) with base[pos] == c, in order, while fn
// returns true. Needs size - from >= Block::kBytes. Returns false if fn stopped it.
template <typename Block, typename Fn>
bool scan_blocks(const char* base, std::size_t from, std::size_t size, char c, Fn& fn) {
  std::size_t i = from;
  for (; i + Block::kBytes <= size; i += Block::kBytes) {
    for (std::uint64_t m = Block::mask(base + i, c); m; m &= m - 1) {
      if (!fn(i + static_cast<std::size_t>(std::countr_zero(m)) / Block::kBitsPerByte)) return false;
    }
  }
  if (i < size) {
    const std::size_t start = size - Block::kBytes;
    std::uint64_t m = Block::mask(base + start, c) >> ((i - start) * Block::kBitsPerByte);
    for (; m; m &= m - 1) {
      if (!fn(i + static_cast<std::size_t>(std::countr_zero(m)) / Block::kBitsPerByte)) return false;
    }
  }
  return true;
}

/// Calls fn(pos) for each position of `c` in base[from, size), in order, while fn returns
/// true. Returns false if fn stopped the scan.
template <typename Fn>
bool for_each_byte(const char* base, std::size_t from, std::size_t size, char c, Fn&& fn) {
  if (from >= size) return true;
  const std::size_t n = size - from;
  if (n >= Wide::kBytes) return scan_blocks<Wide>(base, from, size, c, fn);
  if (n >= Swar8::kBytes) return scan_blocks<Swar8>(base, from, size, c, fn);
  for (std::size_t i = from; i < size; ++i) {
    if (base[i] == c && !fn(i)) return false;
  }
  return true;
}

/// Position of the first `c` in base[from, size), or `size` when there is none. Written
/// out rather than through for_each_byte: it is called for nearly every component.
inline std::size_t find_byte(const char* base, std::size_t from, std::size_t size, char c) {
  std::size_t i = from;
  if (i < size && size - i >= Wide::kBytes) {
    for (; i + Wide::kBytes <= size; i += Wide::kBytes) {
      if (const std::uint64_t m = Wide::mask(base + i, c)) {
        return i + static_cast<std::size_t>(std::countr_zero(m)) / Wide::kBitsPerByte;
      }
    }
    if (i == size) return size;
    const std::size_t start = size - Wide::kBytes;
    const std::uint64_t m = Wide::mask(base + start, c) >> ((i - start) * Wide::kBitsPerByte);
    return m ? i + static_cast<std::size_t>(std::countr_zero(m)) / Wide::kBitsPerByte : size;
  }
  for (; i < size; ++i) {
    if (base[i] == c) return i;
  }
  return size;
}

/// Bit k set when base[k] is `a` or `b`, for one Wide block at base (for line splitting).
inline std::uint64_t mask_either(const char* base, char a, char b) {
  return Wide::mask(base, a) | Wide::mask(base, b);
}

}  // namespace vigil::hl7::detail
