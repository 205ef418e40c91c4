#include "hl7/escaping.hpp"

#include <algorithm>

#include "hl7/byte_scan.hpp"

namespace vigil::hl7 {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

namespace {

// Decodes the body of one escape sequence (between the escape characters) onto `out`.
// Returns false when the body is not one we know; the caller then copies it verbatim.
bool decode_sequence(std::string_view body, const Delimiters& d, std::string& out) {
  if (body.size() == 1) {
    switch (body[0]) {
      case 'F': out.push_back(d.field); return true;
      case 'S': out.push_back(d.component); return true;
      case 'T': out.push_back(d.subcomponent); return true;
      case 'R': out.push_back(d.repetition); return true;
      case 'E': out.push_back(d.escape); return true;
      default: return false;
    }
  }
  if (body == ".br") {
    out.push_back('\n');
    return true;
  }
  if (body.size() >= 3 && body[0] == 'X' && body.size() % 2 == 1) {
    for (std::size_t k = 1; k < body.size(); ++k) {
      if (hex_value(body[k]) < 0) return false;
    }
    for (std::size_t k = 1; k < body.size(); k += 2) {
      out.push_back(static_cast<char>(hex_value(body[k]) * 16 + hex_value(body[k + 1])));
    }
    return true;
  }
  return false;
}

}  // namespace

bool needs_unescape(std::string_view text, const Delimiters& d) {
  return d.escape != d.field && detail::find_byte(text.data(), 0, text.size(), d.escape) != text.size();
}

void append_unescaped(std::string& out, std::string_view text, const Delimiters& d) {
  if (!needs_unescape(text, d)) {
    out.append(text);
    return;
  }
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t open = text.find(d.escape, i);
    if (open == std::string_view::npos) break;
    out.append(text.substr(i, open - i));
    const std::size_t close = text.find(d.escape, open + 1);
    if (close == std::string_view::npos) {
      i = open;  // unterminated: the rest goes out as it came
      break;
    }
    if (decode_sequence(text.substr(open + 1, close - open - 1), d, out)) {
      i = close + 1;
    } else {
      // Unknown: emit the opening escape char and rescan from the closing one, which may
      // open the next (valid) sequence.
      out.append(text.substr(open, close - open));
      i = close;
    }
  }
  if (i < text.size()) out.append(text.substr(i));
}

std::string unescape(std::string_view text, const Delimiters& d) {
  std::string out;
  out.reserve(text.size());
  append_unescaped(out, text, d);
  return out;
}

std::string escape(std::string_view text, const Delimiters& d) {
  std::string out;
  out.reserve(text.size());
  if (d.escape == d.field) {
    // MSH-2 gave no escape character: nothing can be escaped, so blank what would break.
    for (char c : text) {
      const bool special = c == d.field || c == d.component || c == d.subcomponent || c == d.repetition ||
                           (static_cast<unsigned char>(c) < 0x20 && c != '\t');
      out.push_back(special ? ' ' : c);
    }
    return out;
  }
  for (char c : text) {
    // Order matters when MSH-2 left delimiters out (they equal d.field): \F\ wins.
    if (c == d.field) {
      out.append({d.escape, 'F', d.escape});
    } else if (c == d.escape) {
      out.append({d.escape, 'E', d.escape});
    } else if (c == d.component) {
      out.append({d.escape, 'S', d.escape});
    } else if (c == d.subcomponent) {
      out.append({d.escape, 'T', d.escape});
    } else if (c == d.repetition) {
      out.append({d.escape, 'R', d.escape});
    } else if (static_cast<unsigned char>(c) < 0x20 && c != '\t') {
      // Control bytes (CR ends a segment, 0x0B/0x1C are MLLP framing) go out as hex.
      static constexpr char kHex[] = "0123456789ABCDEF";
      const auto u = static_cast<unsigned char>(c);
      out.append({d.escape, 'X', kHex[u >> 4], kHex[u & 15], d.escape});
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace vigil::hl7
