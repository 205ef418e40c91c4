#pragma once
// HL7 v2 escape sequences. Fields are split on the delimiters first and unescaped after, so
// an escaped delimiter (\F\, \S\ ...) never splits anything.

#include <string>
#include <string_view>

namespace vigil::hl7 {

/// The five delimiters of a message, read from MSH-1 and MSH-2. A delimiter MSH-2 leaves
/// out is set to the field separator: that character never occurs inside a field, so
/// "split on it" splits nothing and no special case is needed.
struct Delimiters {
  char field = '|';
  char component = '^';
  char repetition = '~';
  char escape = '\\';
  char subcomponent = '&';
};

/// True when `text` contains the escape character (only then is unescape() needed).
bool needs_unescape(std::string_view text, const Delimiters& d);

/// 0..15 for a hex digit of a \Xhh\ escape, else -1.
int hex_value(char c);

/// Decodes \F\ \S\ \T\ \R\ \E\, \Xhh..\ (hex bytes) and \.br\ (to '\n'). Unknown or
/// malformed sequences, and an escape character with no closing one, pass unchanged.
std::string unescape(std::string_view text, const Delimiters& d);

/// Appends unescape(text) to `out`; no work beyond a copy when there is nothing to decode.
void append_unescaped(std::string& out, std::string_view text, const Delimiters& d);

/// Replaces `out` with `text` verbatim, keeping its storage. clear() + append() rather than
/// assign(): assign takes libstdc++'s general replace path (aliasing checks), which showed
/// in the per-message profile; `text` must not point into `out`.
inline void assign_text(std::string& out, std::string_view text) {
  out.clear();
  out.append(text.data(), text.size());
}

/// Replaces `out` with unescape(text), keeping its storage (no allocation when it fits).
inline void assign_unescaped(std::string& out, std::string_view text, const Delimiters& d) {
  out.clear();
  append_unescaped(out, text, d);
}

/// The reverse, for text we write into a message (ACK error text): delimiters become
/// \F\ \S\ \T\ \R\ \E\, control bytes (CR, LF, MLLP framing) become \Xhh\. Without an
/// escape character in MSH-2 they are replaced by spaces instead.
std::string escape(std::string_view text, const Delimiters& d);

}  // namespace vigil::hl7
