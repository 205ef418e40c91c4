#include "hl7/message.hpp"

#include <bit>
#include <cstdint>
#include <cstring>

namespace vigil::hl7 {
namespace {

bool unusable_delimiter(char c) {
  const unsigned char u = static_cast<unsigned char>(c);
  // Printable punctuation only: control bytes (CR, MLLP framing) and space would break the
  // segment split or the ACK we echo them into; letters and digits would split real text.
  return (u >= '0' && u <= '9') || (u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') ||
         u <= ' ' || u == 0x7F;
}

template <typename Fn>
void for_each_line(std::string_view text, Fn&& fn) {
  // Fast path: pure CR (what the wire should carry) splits with memchr.
  const bool has_lf = std::memchr(text.data(), '\n', text.size()) != nullptr;
  std::size_t begin = 0;
  while (begin < text.size()) {
    std::size_t end;
    if (has_lf) {
      end = begin;
      while (end < text.size() && text[end] != '\r' && text[end] != '\n') ++end;
    } else {
      const void* hit = std::memchr(text.data() + begin, '\r', text.size() - begin);
      end = hit ? static_cast<std::size_t>(static_cast<const char*>(hit) - text.data())
                : text.size();
    }
    if (end > begin) fn(text.substr(begin, end - begin));
    begin = end + 1;
  }
}

// Position of `c` in text[from, size), or npos. Not memchr: fields and components are a
// few bytes long, where a library call costs more than the scan (the benchmark spent a
// third of its time in memchr calls). Eight bytes at a time with the classic "has zero
// byte" test; the lowest flagged byte is always a true match (borrows only run upwards).
inline std::size_t find_char(std::string_view text, char c, std::size_t from) {
  const char* const base = text.data();
  const char* p = base + from;
  const char* const end = base + text.size();
  if constexpr (std::endian::native == std::endian::little) {
    constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
    constexpr std::uint64_t kHighs = 0x8080808080808080ULL;
    const std::uint64_t pattern = kOnes * static_cast<unsigned char>(c);
    while (end - p >= 8) {
      std::uint64_t w;
      std::memcpy(&w, p, 8);
      w ^= pattern;
      const std::uint64_t hits = (w - kOnes) & ~w & kHighs;
      if (hits) return static_cast<std::size_t>(p - base) + (std::countr_zero(hits) >> 3);
      p += 8;
    }
  }
  for (; p < end; ++p) {
    if (*p == c) return static_cast<std::size_t>(p - base);
  }
  return std::string_view::npos;
}

}  // namespace

std::string_view piece(std::string_view text, char sep, std::size_t n) {
  if (n == 0) return {};
  std::size_t begin = 0;
  for (std::size_t k = 1; k < n; ++k) {
    const std::size_t next = find_char(text, sep, begin);
    if (next == std::string_view::npos) return {};
    begin = next + 1;
  }
  const std::size_t end = find_char(text, sep, begin);
  return text.substr(begin, end == std::string_view::npos ? text.size() - begin : end - begin);
}

std::size_t split(std::string_view text, char sep, std::string_view* out, std::size_t max) {
  std::size_t count = 0;
  std::size_t begin = 0;
  while (count < max) {
    const std::size_t end = find_char(text, sep, begin);
    if (end == std::string_view::npos) {
      out[count++] = text.substr(begin);
      break;
    }
    out[count++] = text.substr(begin, end - begin);
    begin = end + 1;
  }
  for (std::size_t i = count; i < max; ++i) out[i] = {};
  return count;
}

std::string_view repetition(std::string_view field, std::size_t n, const Delimiters& d) {
  return piece(field, d.repetition, n);
}

std::string_view component(std::string_view field, std::size_t n, const Delimiters& d) {
  return piece(piece(field, d.repetition, 1), d.component, n);
}

std::string_view subcomponent(std::string_view comp, std::size_t n, const Delimiters& d) {
  return piece(comp, d.subcomponent, n);
}

std::string_view Segment::name() const {
  // Almost every segment id is three characters: check that before scanning.
  if (text_.size() == 3 || (text_.size() > 3 && text_[3] == sep_)) return text_.substr(0, 3);
  return piece(text_, sep_, 1);
}

std::string_view Segment::field(std::size_t n) const {
  if (is_msh()) {
    if (n == 0) return name();
    if (n == 1) return text_.size() > 3 ? text_.substr(3, 1) : std::string_view{};
    return piece(text_, sep_, n);
  }
  return piece(text_, sep_, n + 1);
}

Fields::Fields(const Segment& segment, char field_separator, std::size_t max_fields) {
  const std::string_view text = segment.text();
  const bool msh = segment.is_msh();
  const std::size_t limit = max_fields < kMaxFields ? max_fields : kMaxFields;
  std::size_t index = 0;
  std::size_t begin = 0;
  // Records the field ending at `pos`; false once `limit` fields are stored.
  auto cut = [&](std::size_t pos) {
    fields_[index++] = text.substr(begin, pos - begin);
    begin = pos + 1;
    // MSH-1 is the separator itself; everything after shifts by one.
    if (msh && index == 1 && index < limit) fields_[index++] = text.substr(pos, 1);
    return index < limit;
  };
  if (limit == 0) return;
  std::size_t i = 0;
  if constexpr (std::endian::native == std::endian::little) {
    // One pass, eight bytes at a time: an exact mask of the separator bytes in each word,
    // then one cut per set bit. Most fields are shorter than a word.
    constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
    constexpr std::uint64_t kLow7 = 0x7F7F7F7F7F7F7F7FULL;
    const std::uint64_t pattern = kOnes * static_cast<unsigned char>(field_separator);
    for (; i + 8 <= text.size(); i += 8) {
      std::uint64_t w;
      std::memcpy(&w, text.data() + i, 8);
      w ^= pattern;
      std::uint64_t hits = ~(((w & kLow7) + kLow7) | w | kLow7);
      while (hits) {
        if (!cut(i + (std::countr_zero(hits) >> 3))) {
          count_ = index;
          return;
        }
        hits &= hits - 1;
      }
    }
  }
  for (; i < text.size(); ++i) {
    if (text[i] == field_separator && !cut(i)) {
      count_ = index;
      return;
    }
  }
  fields_[index++] = text.substr(begin);
  count_ = index;
}

ParseError read_delimiters(std::string_view msh, Delimiters& out, std::string_view& encoding) {
  if (msh.size() < 5 || msh.substr(0, 3) != "MSH") return ParseError::BadDelimiters;
  Delimiters d;
  d.field = msh[3];
  if (unusable_delimiter(d.field)) return ParseError::BadDelimiters;
  const std::size_t end = msh.find(d.field, 4);
  encoding = msh.substr(4, end == std::string_view::npos ? std::string_view::npos : end - 4);
  // 1..4 characters; v2.7 adds a fifth (truncation) which we accept and do not use.
  if (encoding.empty() || encoding.size() > 5) return ParseError::BadDelimiters;
  for (std::size_t i = 0; i < encoding.size(); ++i) {
    if (unusable_delimiter(encoding[i]) || encoding[i] == d.field) return ParseError::BadDelimiters;
    for (std::size_t j = 0; j < i; ++j) {
      if (encoding[i] == encoding[j]) return ParseError::BadDelimiters;
    }
  }
  // Missing ones become the field separator, which never occurs inside a field.
  d.component = encoding.size() > 0 ? encoding[0] : d.field;
  d.repetition = encoding.size() > 1 ? encoding[1] : d.field;
  d.escape = encoding.size() > 2 ? encoding[2] : d.field;
  d.subcomponent = encoding.size() > 3 ? encoding[3] : d.field;
  out = d;
  return ParseError::None;
}

ParseError Message::parse(std::string_view text) {
  segments_.clear();
  encoding_ = {};
  delims_ = Delimiters{};
  std::string_view first;
  for_each_line(text, [&](std::string_view line) {
    if (first.empty()) first = line;
    segments_.emplace_back(line, '|');
  });
  if (segments_.empty()) return ParseError::Empty;
  if (first.substr(0, 3) != "MSH") {
    segments_.clear();
    return ParseError::NoMsh;
  }
  const ParseError err = read_delimiters(first, delims_, encoding_);
  if (err != ParseError::None) {
    segments_.clear();
    delims_ = Delimiters{};
    encoding_ = {};
    return err;
  }
  for (Segment& s : segments_) s = Segment(s.text(), delims_.field);
  return ParseError::None;
}

const Segment* Message::find(std::string_view name) const {
  for (const Segment& s : segments_) {
    if (s.name() == name) return &s;
  }
  return nullptr;
}

}  // namespace vigil::hl7
