#include "hl7/message.hpp"

#include "hl7/byte_scan.hpp"

#include <bit>
#include <cstdint>

namespace vigil::hl7 {
namespace {

bool unusable_delimiter(char c) {
  const unsigned char u = static_cast<unsigned char>(c);
  // Printable ASCII punctuation only: control bytes (CR, MLLP framing) and space would break
  // the segment split or the ACK we echo them into; letters and digits would split real
  // text; a byte >= 0x80 is part of a character in 8859/x or UTF-8, and the message is
  // transcoded to UTF-8 before it is split (charset.hpp), which would move it.
  return (u >= '0' && u <= '9') || (u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || u <= ' ' || u >= 0x7F;
}

// Calls fn(line) for each non-empty line; lines end with CR or LF (so CRLF and LF work).
// One pass over the whole message, a block of bytes per step (byte_scan.hpp).
template <typename Fn>
void for_each_line(std::string_view text, Fn&& fn) {
  using detail::Wide;
  const char* const base = text.data();
  const std::size_t size = text.size();
  std::size_t begin = 0;
  auto end_at = [&](std::size_t pos) {
    if (pos > begin) fn(text.substr(begin, pos - begin));
    begin = pos + 1;
  };
  std::size_t i = 0;
  for (; i + Wide::kBytes <= size; i += Wide::kBytes) {
    for (std::uint64_t m = detail::mask_either(base + i, '\r', '\n'); m; m &= m - 1) {
      end_at(i + static_cast<std::size_t>(std::countr_zero(m)) / Wide::kBitsPerByte);
    }
  }
  for (; i < size; ++i) {
    if (base[i] == '\r' || base[i] == '\n') end_at(i);
  }
  if (begin < size) fn(text.substr(begin));
}

}  // namespace

std::string_view piece(std::string_view text, char sep, std::size_t n) {
  if (n == 0) return {};
  if (n == 1) return text.substr(0, detail::find_byte(text.data(), 0, text.size(), sep));
  std::size_t begin = 0;
  std::size_t seen = 1;
  std::string_view out;
  // One pass: piece n starts after the (n-1)th separator and ends at the next one.
  const bool all = detail::for_each_byte(text.data(), 0, text.size(), sep, [&](std::size_t pos) {
    if (seen == n) {
      out = text.substr(begin, pos - begin);
      return false;
    }
    ++seen;
    begin = pos + 1;
    return true;
  });
  if (!all) return out;
  return seen == n ? text.substr(begin) : std::string_view{};
}

std::size_t split(std::string_view text, char sep, std::string_view* out, std::size_t max) {
  std::size_t count = 0;
  std::size_t begin = 0;
  if (max > 0) {
    const bool all = detail::for_each_byte(text.data(), 0, text.size(), sep, [&](std::size_t pos) {
      out[count++] = text.substr(begin, pos - begin);
      begin = pos + 1;
      return count < max;
    });
    if (all) out[count++] = text.substr(begin);
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

Fields::Fields(const Segment& segment, char field_separator, std::size_t max_fields) : text_(segment.text()) {
  const std::string_view text = text_;
  const std::size_t limit = max_fields < kMaxFields ? max_fields : kMaxFields;
  std::size_t index = 0;
  std::size_t begin = 0;
  auto store = [&](std::size_t at, std::size_t len) {
    begin_[index] = static_cast<std::uint32_t>(at);
    size_[index] = static_cast<std::uint32_t>(len);
    return ++index < limit;
  };
  if (limit == 0) return;
  if (segment.is_msh()) {
    // MSH-1 is the separator itself; everything after shifts by one. Its first separator
    // follows "MSH", unless the caller passed another separator than the segment's.
    const std::size_t first = text.find(field_separator);
    if (first == std::string_view::npos) {
      store(0, text.size());
      count_ = index;
      return;
    }
    if (!store(0, first) || !store(first, 1)) {
      count_ = index;
      return;
    }
    begin = first + 1;
  }
  // Records the field ending at `pos`; false once `limit` fields are stored.
  auto cut = [&](std::size_t pos) {
    const bool more = store(begin, pos - begin);
    begin = pos + 1;
    return more;
  };
  if (detail::for_each_byte(text.data(), begin, text.size(), field_separator, cut)) {
    store(begin, text.size() - begin);
  }
  count_ = index;
}

ParseError read_delimiters(std::string_view msh, Delimiters& out, std::string_view& encoding) {
  if (msh.size() < 5 || msh.substr(0, 3) != "MSH") return ParseError::BadDelimiters;
  Delimiters d;
  d.field = msh[3];
  if (unusable_delimiter(d.field)) return ParseError::BadDelimiters;
  const std::size_t end = detail::find_byte(msh.data(), 4, msh.size(), d.field);
  encoding = msh.substr(4, end - 4);
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
