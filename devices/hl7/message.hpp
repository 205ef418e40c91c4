#pragma once
// HL7 v2 message parser: segments and fields as string_views into the caller's buffer.
//
// Nothing is copied or unescaped while parsing; callers unescape only the fields they keep
// (escaping.hpp). Delimiters come from MSH-1/MSH-2, never assumed. Segments end with CR;
// LF and CRLF are tolerated (some gateways and every text editor produce them), and empty
// lines are skipped.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "hl7/escaping.hpp"

namespace vigil::hl7 {

/// Piece `n` (1-based) of `text` split on `sep`; empty when there are fewer pieces.
std::string_view piece(std::string_view text, char sep, std::size_t n);

/// Splits `text` on `sep` into out[0..max); pieces past `max` are dropped and unused slots
/// are emptied. Returns how many pieces were stored.
std::size_t split(std::string_view text, char sep, std::string_view* out, std::size_t max);

/// Repetition `n` (1-based) of a field.
std::string_view repetition(std::string_view field, std::size_t n, const Delimiters& d);
/// Component `n` (1-based) of the field's first repetition.
std::string_view component(std::string_view field, std::size_t n, const Delimiters& d);
/// Subcomponent `n` (1-based) of a component.
std::string_view subcomponent(std::string_view comp, std::size_t n, const Delimiters& d);

/// One segment (without its terminator). Field numbers follow HL7: for MSH, field(1) is the
/// field separator itself and field(2) the encoding characters, so MSH-3 is field(3).
class Segment {
 public:
  Segment(std::string_view text, char field_separator) : text_(text), sep_(field_separator) {}
  /// The whole segment text.
  std::string_view text() const { return text_; }
  /// The segment id ("MSH", "OBX", ...): everything before the first field separator.
  std::string_view name() const;
  /// Field `n` (HL7 numbering, raw and escaped); empty when absent. Scans from the start:
  /// use Fields to read many fields of one segment.
  std::string_view field(std::size_t n) const;
  /// True for the MSH segment (whose numbering is shifted by one).
  bool is_msh() const { return name() == "MSH"; }

 private:
  std::string_view text_;
  char sep_;
};

/// The fields of a segment split once, for segments read field by field (OBX, MSH).
/// Only fields 0 .. max_fields-1 (at most kMaxFields) are stored; later ones read as empty,
/// and the scan stops there (MSH-13 onwards and OBX-19 onwards are never read).
class Fields {
 public:
  static constexpr std::size_t kMaxFields = 32;
  Fields(const Segment& segment, char field_separator, std::size_t max_fields = kMaxFields);
  /// Field `n` with HL7 numbering, as Segment::field().
  std::string_view operator[](std::size_t n) const {
    return n < count_ ? std::string_view(text_.data() + begin_[n], size_[n]) : std::string_view{};
  }
  /// Highest field number present + 1.
  std::size_t size() const { return count_; }

 private:
  // Offsets into text_, filled for [0, count_) only: a Fields is built per OBX, and
  // clearing 32 views each time was a visible share of the parse.
  std::string_view text_;
  std::uint32_t begin_[kMaxFields];
  std::uint32_t size_[kMaxFields];
  std::size_t count_ = 0;
};

/// Why a text is not an HL7 message we can read.
enum class ParseError {
  None,
  Empty,          // no segments at all
  NoMsh,          // the first segment is not MSH
  BadDelimiters,  // MSH-1/MSH-2 missing, repeated or unusable characters
};

/// A parsed message. Holds views into the text passed to parse(), which must outlive it.
class Message {
 public:
  /// Splits `text` into segments and reads the delimiters. On error the message is empty.
  ParseError parse(std::string_view text);

  /// The delimiters from MSH-1/MSH-2.
  const Delimiters& delimiters() const { return delims_; }
  /// MSH-2 verbatim (echoed in the ACK).
  std::string_view encoding_characters() const { return encoding_; }
  /// Segments in order; the first is MSH after a successful parse().
  const std::vector<Segment>& segments() const { return segments_; }
  /// The first segment named `name`, or nullptr.
  const Segment* find(std::string_view name) const;

 private:
  Delimiters delims_;
  std::string_view encoding_;
  std::vector<Segment> segments_;
};

/// Reads MSH-1/MSH-2 from an MSH segment's text. Exposed for tests.
ParseError read_delimiters(std::string_view msh_text, Delimiters& out, std::string_view& encoding);

}  // namespace vigil::hl7
