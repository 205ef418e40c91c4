// libFuzzer target: the HL7 text transcoder and the UTF-8 helper on arbitrary bytes. The
// first byte picks the set. Checks that the output is always valid UTF-8; that nothing
// changes (and nothing is counted) for valid input in a set where it is valid; that ASCII
// passes through every set unchanged; that the ASCII bytes (delimiters, CR, escapes) keep
// their order, so a message can be transcoded before it is split; and that
// is_valid_utf8 and append_valid_utf8 agree. Back (transcode_from_utf8, for the ACK): text
// read without replacements is written back to the very bytes it was read from, and any
// text written into a set reads back without replacements, one character per '?'.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "fuzz/fuzz_check.hpp"
#include "hl7/charset.hpp"
#include "text/utf8.hpp"

namespace {

using vigil::fuzz::check;

std::string ascii_only(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (static_cast<unsigned char>(c) < 0x80) out.push_back(c);
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace vigil::hl7;
  if (size == 0) return 0;
  constexpr Charset kSets[] = {Charset::Ascii, Charset::Latin1, Charset::Latin9, Charset::Utf8};
  const Charset charset = kSets[data[0] % 4];
  const std::string_view input(reinterpret_cast<const char*>(data) + 1, size - 1);

  std::string out = "prefix";
  const std::size_t replaced = transcode_to_utf8(input, charset, out);
  check(out.compare(0, 6, "prefix") == 0);
  const std::string_view text = std::string_view(out).substr(6);
  check(vigil::is_valid_utf8(text));
  check(ascii_only(text) == ascii_only(input));
  if (is_ascii(input)) check(text == input && replaced == 0);
  const bool valid = vigil::is_valid_utf8(input);
  if (charset == Charset::Utf8) check((replaced == 0) == valid && (!valid || text == input));
  if (charset == Charset::Latin1 || charset == Charset::Latin9) check(text.size() >= input.size());

  std::string written;
  const std::size_t lost = transcode_from_utf8(text, charset, written);
  if (replaced == 0) check(lost == 0 && written == input);
  std::string reread;
  check(transcode_to_utf8(written, charset, reread) == 0);
  if (charset != Charset::Utf8) check(ascii_only(reread).size() == ascii_only(text).size() + lost);

  std::string repaired;
  check((vigil::append_valid_utf8(repaired, input) == 0) == valid);
  check(vigil::is_valid_utf8(repaired));

  const CharsetRequest request = charset_request(input, '~');
  check(!request.unknown || request.automatic);
  const Charset resolved = resolve_charset(request, input);
  check(request.automatic ? (resolved == (valid ? Charset::Utf8 : Charset::Latin1))
                          : resolved == request.charset);
  return 0;
}
