#include "hl7/observation_time.hpp"

#include "hl7/hl7_time.hpp"
#include "hl7/message.hpp"

namespace vigil::hl7 {
namespace {

// A field quoted in an ERR text: short, one line, and never cut inside a UTF-8 character
// (the message is UTF-8 by now; ingest repairs what a \Xhh\ escape made).
std::string quoted(std::string_view text) {
  constexpr std::size_t kMaxBytes = 24;
  std::size_t n = text.size();
  if (n > kMaxBytes) {
    n = kMaxBytes;
    while (n > 0 && (static_cast<unsigned char>(text[n]) & 0xC0) == 0x80) --n;  // a continuation byte
  }
  std::string out;
  for (char c : text.substr(0, n)) out.push_back(static_cast<unsigned char>(c) < 0x20 ? '?' : c);
  if (n < text.size()) out += "...";
  return out;
}

}  // namespace

std::optional<WallMillis> TimeReader::read(std::string_view field) {
  if (field.empty()) return std::nullopt;
  // The same field text means the same time: skip even the component split.
  if (field == last_field_) return last_value_;
  last_field_ = field;
  // TS in v2.3-2.5 is time^precision; v2.6 DTM has no components. Either way: component 1.
  const std::string_view text = component(field, 1, d_);
  last_value_ = text.empty() ? std::nullopt : parse_hl7_time(text, offset_);
  return last_value_;
}

ObservationTime observation_time(TimeReader& times, std::string_view obx14, std::optional<WallMillis> obr7,
                                 std::optional<WallMillis> msh7, const Delimiters& d) {
  ObservationTime t;
  if (auto own = times.read(obx14)) {
    t.when = *own;
    return t;
  }
  std::string_view used = "the time it arrived";
  if (obr7) {
    t.when = *obr7;
    used = "OBR-7";
  } else if (msh7) {
    t.when = *msh7;
    used = "MSH-7";
  }
  if (!component(obx14, 1, d).empty()) {
    t.warning = "OBX-14 '" + quoted(unescape(obx14, d)) + "' is not a time Vigil can read; ";
    t.warning += used;
    t.warning += " used instead";
  }
  return t;
}

}  // namespace vigil::hl7
