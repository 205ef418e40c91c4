#include "text/utf8.hpp"

#include <cstdint>
#include <cstring>

namespace vigil {
namespace {

// Length of the well-formed sequence starting at text[i], or 0 when the bytes there are
// not one; `bad` then gets the length of the maximal subpart to replace (at least 1).
std::size_t sequence_length(std::string_view text, std::size_t i, std::size_t& bad) {
  const auto at = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char b0 = at(i);
  bad = 1;
  if (b0 < 0x80) return 1;
  std::size_t need = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte (Table 3-7)
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    need = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    need = 3;
    if (b0 == 0xE0) lo = 0xA0;  // overlong
    if (b0 == 0xED) hi = 0x9F;  // surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    need = 4;
    if (b0 == 0xF0) lo = 0x90;  // overlong
    if (b0 == 0xF4) hi = 0x8F;  // above U+10FFFF
  } else {
    return 0;  // 0x80..0xC1 (continuation or overlong lead), 0xF5..0xFF
  }
  for (std::size_t k = 1; k < need; ++k) {
    if (i + k >= text.size()) return 0;
    const unsigned char b = at(i + k);
    const unsigned char min = k == 1 ? lo : 0x80;
    const unsigned char max = k == 1 ? hi : 0xBF;
    if (b < min || b > max) return 0;
    bad = k + 1;  // the bytes so far are a prefix of a valid sequence: one replacement
  }
  return need;
}

// Index of the first byte >= 0x80 from `from`, eight bytes per step (text is mostly ASCII).
std::size_t skip_ascii(std::string_view text, std::size_t from) {
  std::size_t i = from;
  for (; i + 8 <= text.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, text.data() + i, 8);
    if (word & 0x8080808080808080ULL) break;
  }
  while (i < text.size() && static_cast<unsigned char>(text[i]) < 0x80) ++i;
  return i;
}

}  // namespace

bool is_valid_utf8(std::string_view text) {
  std::size_t i = skip_ascii(text, 0);
  while (i < text.size()) {
    std::size_t bad = 0;
    const std::size_t n = sequence_length(text, i, bad);
    if (n == 0) return false;
    i = skip_ascii(text, i + n);
  }
  return true;
}

std::size_t append_valid_utf8(std::string& out, std::string_view text) {
  std::size_t replaced = 0;
  std::size_t copied = 0;  // text[copied, i) is valid and not yet appended
  std::size_t i = skip_ascii(text, 0);
  while (i < text.size()) {
    std::size_t bad = 0;
    const std::size_t n = sequence_length(text, i, bad);
    if (n == 0) {
      out.append(text.data() + copied, i - copied);
      out.append(kReplacementCharacter);
      ++replaced;
      i += bad;
      copied = i;
    } else {
      i += n;
    }
    i = skip_ascii(text, i);
  }
  out.append(text.data() + copied, text.size() - copied);
  return replaced;
}

std::string to_valid_utf8(std::string_view text, std::size_t* replaced) {
  std::string out;
  out.reserve(text.size());
  const std::size_t n = append_valid_utf8(out, text);
  if (replaced) *replaced = n;
  return out;
}

std::size_t make_valid_utf8(std::string& text) {
  if (is_valid_utf8(text)) return 0;
  std::size_t replaced = 0;
  text = to_valid_utf8(text, &replaced);
  return replaced;
}

std::uint32_t next_code_point(std::string_view text, std::size_t& i) {
  const auto b = static_cast<unsigned char>(text[i]);
  const std::size_t length = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
  std::uint32_t cp = length == 1 ? b : b & (0x7F >> length);
  for (std::size_t k = 1; k < length; ++k) cp = (cp << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
  i += length;
  return cp;
}

}  // namespace vigil
