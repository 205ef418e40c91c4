#pragma once
// UTF-8 validity, in one place for every layer: protobuf string fields refuse invalid UTF-8
// when parsed (one bad byte in a bed name would make every stream client drop the whole
// message), and SQLite TEXT columns are read back into those fields. Anything from outside
// (HL7 fields, config files, command-line flags) passes through here before it reaches a
// protobuf string or the store.
//
// Valid means well-formed per Unicode 15 §3.9 (Table 3-7): no overlong forms, no surrogates
// (U+D800..U+DFFF), nothing above U+10FFFF. Invalid bytes are replaced by U+FFFD using the
// "maximal subpart" rule (one U+FFFD per maximal prefix of a well-formed sequence, as
// WHATWG and ICU do), so a truncated 3-byte sequence costs one replacement, not three.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace vigil {

/// The replacement character U+FFFD, UTF-8 encoded.
inline constexpr std::string_view kReplacementCharacter = "\xEF\xBF\xBD";

/// True when `text` is well-formed UTF-8 (ASCII included; empty is valid).
bool is_valid_utf8(std::string_view text);

/// Appends `text` to `out` with every invalid subpart replaced by U+FFFD. Returns how many
/// replacements were made (0: `text` was appended verbatim).
std::size_t append_valid_utf8(std::string& out, std::string_view text);

/// `text` with every invalid subpart replaced by U+FFFD; `replaced` (optional) gets the count.
std::string to_valid_utf8(std::string_view text, std::size_t* replaced = nullptr);

/// The code point of the well-formed UTF-8 sequence at text[i] (`text` must be valid:
/// is_valid_utf8); advances i past it.
std::uint32_t next_code_point(std::string_view text, std::size_t& i);

/// Repairs `text` in place (no work beyond one scan when it is valid). Returns the count.
std::size_t make_valid_utf8(std::string& text);

}  // namespace vigil
