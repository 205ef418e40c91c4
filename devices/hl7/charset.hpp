#pragma once
// Character sets of HL7 text (MSH-18, HL7 table 0211) and their transcoding to UTF-8, the
// only encoding Vigil keeps: protobuf string fields and the store hold UTF-8, and clinic
// feeds are often ISO 8859-1 or Windows-1252.
//
// Honoured MSH-18 values (first repetition, case-insensitive, surrounding spaces ignored):
//   "ASCII"          7-bit; any byte >= 0x80 is invalid
//   "8859/1"         ISO 8859-1, with 0x80..0x9F read as Windows-1252 (WHATWG does the same
//                    for the "iso-8859-1" label: senders that say Latin-1 send cp1252 quotes
//                    and the euro sign there, never C1 control codes)
//   "8859/15"        ISO 8859-15 (euro sign at 0xA4 ...); 0x80..0x9F are C1 controls, which
//                    are never text: invalid
//   "UNICODE UTF-8"  UTF-8
// Empty MSH-18: the message is taken as UTF-8 when it is valid UTF-8 throughout, else as
// 8859/1 (with cp1252) as above. Any other value (another table 0211 entry, or a typo) is
// treated like an empty one and reported as unknown.
//
// Every byte invalid in the set in use becomes U+FFFD and is counted; nothing invalid is
// passed on. The sets above are all ASCII-compatible: bytes below 0x80 map to themselves
// and every byte of a multi-byte UTF-8 sequence is 0x80 or above, so a whole message can be
// transcoded before it is split: delimiters, CR and escape characters (printable ASCII,
// message.cpp) stay where they were.

#include <cstddef>
#include <string>
#include <string_view>

namespace vigil::hl7 {

enum class Charset {
  Ascii,
  Latin1,  // 8859/1, 0x80..0x9F as Windows-1252
  Latin9,  // 8859/15
  Utf8,
};

/// The table 0211 spelling ("ASCII", "8859/1", "8859/15", "UNICODE UTF-8").
std::string_view to_string(Charset charset);

/// What an MSH-18 value asks for.
struct CharsetRequest {
  bool automatic = true;            // empty or unknown: UTF-8 if valid, else 8859/1
  bool unknown = false;             // non-empty and not honoured (logged and counted by the caller)
  Charset charset = Charset::Utf8;  // when !automatic
};

/// Reads the first repetition of MSH-18 (raw field text; the repetition separator given).
CharsetRequest charset_request(std::string_view msh18, char repetition_separator);

/// The set to use for `bytes`: the requested one, or for an automatic request UTF-8 when
/// `bytes` is valid UTF-8 and 8859/1 otherwise.
Charset resolve_charset(const CharsetRequest& request, std::string_view bytes);

/// True when every byte is below 0x80 (then no set changes anything).
bool is_ascii(std::string_view bytes);

/// Appends `bytes`, read in `charset`, to `out` as UTF-8. Returns how many bytes (or, for
/// UTF-8, maximal invalid subparts) were replaced by U+FFFD.
std::size_t transcode_to_utf8(std::string_view bytes, Charset charset, std::string& out);

/// Appends `text` (already UTF-8 outside its escapes) to `out` with the bytes of every hex
/// escape, \Xhh..\ (`escape` the message's escape character), read in `charset` and written back
/// as the hex of their UTF-8. Escaped bytes are in the message's set like any other: in an
/// 8859/1 message \XC9\ is É, not a stray byte that would become U+FFFD (and make two
/// chairs, CHAMBRE-\XC9\ and CHAMBRE-\XC8\, one). Other escapes are copied as they are.
/// Returns how many escaped bytes were invalid in the set (they become U+FFFD's bytes).
std::size_t transcode_hex_escapes(std::string_view text, Charset charset, char escape, std::string& out);

/// The reverse, for text we write back to a sender (the ACK): appends UTF-8 `text` to `out`
/// written in `charset`. A character the set cannot hold becomes '?' (U+FFFD included, so a
/// character that was invalid when read goes back as '?'); for UTF-8, invalid subparts
/// become U+FFFD. Returns how many characters were replaced.
std::size_t transcode_from_utf8(std::string_view text, Charset charset, std::string& out);

}  // namespace vigil::hl7
