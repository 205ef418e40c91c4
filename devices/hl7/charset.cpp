#include "hl7/charset.hpp"

#include <cstdint>
#include <cstring>

#include "hl7/escaping.hpp"
#include "text/utf8.hpp"

namespace vigil::hl7 {
namespace {

// Windows-1252 0x80..0x9F; 0 marks the five bytes cp1252 leaves undefined.
constexpr std::uint16_t kCp1252High[32] = {0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                           0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
                                           0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                           0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

// ISO 8859-15 differs from 8859-1 in eight positions.
std::uint16_t latin9(unsigned char b) {
  switch (b) {
    case 0xA4: return 0x20AC;
    case 0xA6: return 0x0160;
    case 0xA8: return 0x0161;
    case 0xB4: return 0x017D;
    case 0xB8: return 0x017E;
    case 0xBC: return 0x0152;
    case 0xBD: return 0x0153;
    case 0xBE: return 0x0178;
    default: return b;
  }
}

void append_code_point(std::string& out, std::uint16_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// The code point of byte `b` (>= 0x80) in a single-byte set, 0 when it is invalid there.
std::uint16_t single_byte(unsigned char b, Charset charset) {
  switch (charset) {
    case Charset::Latin1: return b < 0xA0 ? kCp1252High[b - 0x80] : b;
    case Charset::Latin9: return b < 0xA0 ? 0 : latin9(b);
    case Charset::Ascii:
    case Charset::Utf8: break;
  }
  return 0;
}

// The byte for code point `cp` (>= 0x80) in a single-byte set, 0 when the set lacks it.
unsigned char single_byte_for(std::uint32_t cp, Charset charset) {
  if (charset == Charset::Latin1) {
    if (cp >= 0xA0 && cp <= 0xFF) return static_cast<unsigned char>(cp);
    for (unsigned char i = 0; i < 32; ++i) {
      if (kCp1252High[i] != 0 && kCp1252High[i] == cp) return static_cast<unsigned char>(0x80 + i);
    }
  } else if (charset == Charset::Latin9) {
    // 0xA0..0xFF, where latin9() leaves a byte as itself; else one of its eight changes.
    if (cp >= 0xA0 && cp <= 0xFF && latin9(static_cast<unsigned char>(cp)) == cp) {
      return static_cast<unsigned char>(cp);
    }
    for (unsigned b = 0xA0; b <= 0xFF; ++b) {
      if (latin9(static_cast<unsigned char>(b)) == cp && b != cp) return static_cast<unsigned char>(b);
    }
  }
  return 0;
}

char upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (upper(a[i]) != upper(b[i])) return false;
  }
  return true;
}

}  // namespace

std::string_view to_string(Charset charset) {
  switch (charset) {
    case Charset::Ascii: return "ASCII";
    case Charset::Latin1: return "8859/1";
    case Charset::Latin9: return "8859/15";
    case Charset::Utf8: return "UNICODE UTF-8";
  }
  return "?";
}

CharsetRequest charset_request(std::string_view msh18, char repetition_separator) {
  std::string_view value = msh18.substr(0, msh18.find(repetition_separator));
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  CharsetRequest request;
  if (value.empty()) return request;
  for (Charset c : {Charset::Ascii, Charset::Latin1, Charset::Latin9, Charset::Utf8}) {
    if (equals_ignoring_case(value, to_string(c))) {
      request.automatic = false;
      request.charset = c;
      return request;
    }
  }
  request.unknown = true;
  return request;
}

Charset resolve_charset(const CharsetRequest& request, std::string_view bytes) {
  if (!request.automatic) return request.charset;
  return is_valid_utf8(bytes) ? Charset::Utf8 : Charset::Latin1;
}

bool is_ascii(std::string_view bytes) {
  // No early exit: an OR over words vectorizes, and almost every message is all ASCII.
  std::uint64_t any = 0;
  std::size_t i = 0;
  for (; i + 8 <= bytes.size(); i += 8) {
    std::uint64_t word;
    std::memcpy(&word, bytes.data() + i, 8);
    any |= word;
  }
  for (; i < bytes.size(); ++i) any |= static_cast<unsigned char>(bytes[i]);
  return (any & 0x8080808080808080ULL) == 0;
}

std::size_t transcode_to_utf8(std::string_view bytes, Charset charset, std::string& out) {
  if (charset == Charset::Utf8) return append_valid_utf8(out, bytes);
  std::size_t replaced = 0;
  out.reserve(out.size() + bytes.size());
  for (char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    if (b < 0x80) {
      out.push_back(c);
      continue;
    }
    const std::uint16_t cp = charset == Charset::Ascii ? 0 : single_byte(b, charset);
    if (cp == 0) {
      out.append(kReplacementCharacter);
      ++replaced;
    } else {
      append_code_point(out, cp);
    }
  }
  return replaced;
}

std::size_t transcode_hex_escapes(std::string_view text, Charset charset, char escape, std::string& out) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::size_t replaced = 0;
  std::string bytes, utf8;
  out.reserve(out.size() + text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t start = text.find(escape, i);
    if (start == std::string_view::npos || start + 1 >= text.size() || text[start + 1] != 'X') {
      const std::size_t upto = start == std::string_view::npos ? text.size() : start + 1;
      out.append(text.substr(i, upto - i));
      i = upto;
      continue;
    }
    const std::size_t end = text.find(escape, start + 2);
    const std::string_view hex =
        end == std::string_view::npos ? std::string_view() : text.substr(start + 2, end - start - 2);
    bool valid = !hex.empty() && hex.size() % 2 == 0;
    bytes.clear();
    for (std::size_t k = 0; valid && k < hex.size(); k += 2) {
      const int hi = hex_value(hex[k]), lo = hex_value(hex[k + 1]);
      valid = hi >= 0 && lo >= 0;
      bytes.push_back(static_cast<char>(hi * 16 + lo));
    }
    if (!valid) {  // not a hex escape this codec reads: left for the unescaper to judge
      out.append(text.substr(i, start + 2 - i));
      i = start + 2;
      continue;
    }
    utf8.clear();
    replaced += transcode_to_utf8(bytes, charset, utf8);
    out.append(text.substr(i, start - i));
    out.push_back(escape);
    out.push_back('X');
    for (const char c : utf8) {
      out.push_back(kHex[static_cast<unsigned char>(c) >> 4]);
      out.push_back(kHex[static_cast<unsigned char>(c) & 0xF]);
    }
    out.push_back(escape);
    i = end + 1;
  }
  return replaced;
}

std::size_t transcode_from_utf8(std::string_view text, Charset charset, std::string& out) {
  if (charset == Charset::Utf8) return append_valid_utf8(out, text);
  // Decoding below relies on well-formed input: repair first (U+FFFD then becomes '?').
  std::string repaired;
  if (!is_valid_utf8(text)) {
    append_valid_utf8(repaired, text);
    text = repaired;
  }
  std::size_t replaced = 0;
  out.reserve(out.size() + text.size());
  for (std::size_t i = 0; i < text.size();) {
    const std::uint32_t cp = next_code_point(text, i);
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
      continue;
    }
    const unsigned char b = charset == Charset::Ascii ? 0 : single_byte_for(cp, charset);
    if (b == 0) {
      out.push_back('?');
      ++replaced;
    } else {
      out.push_back(static_cast<char>(b));
    }
  }
  return replaced;
}

}  // namespace vigil::hl7
