#pragma once
// The time of an observation: OBX-14, else the OBR-7 of the OBR above it, else MSH-7, else 0
// (the daemon then uses the time the message arrived). An OBX-14 that was sent and does not
// parse falls back the same way and says so: the value is good, but the time it is charted
// at is not the monitor's, and the sender's engineer can only fix what the ACK tells them.

#include <optional>
#include <string>
#include <string_view>

#include "hl7/escaping.hpp"
#include "reading/reading.hpp"

namespace vigil::hl7 {

/// Parses timestamp fields (TS or DTM, raw), remembering the last one: the rows of a message
/// nearly always repeat the same OBX-14 text, and parsing it is a visible share of the hot
/// path. `d` must outlive the reader.
class TimeReader {
 public:
  TimeReader(const Delimiters& d, int default_utc_offset_minutes)
      : d_(d), offset_(default_utc_offset_minutes) {}

  /// The field's time; nullopt when it is empty or does not parse.
  std::optional<WallMillis> read(std::string_view field);

 private:
  const Delimiters& d_;
  int offset_;
  std::string_view last_field_;
  std::optional<WallMillis> last_value_;
};

/// When one observation was measured, and what to tell the sender about it.
struct ObservationTime {
  WallMillis when = 0;  // 0: no usable time anywhere
  /// Empty unless OBX-14 was sent and did not parse: "OBX-14 '<value, clipped>' is not a
  /// time Vigil can read; OBR-7 used instead" (or MSH-7, or the time it arrived).
  std::string warning;
};

/// OBX-14 (`obx14`, raw) with the fallbacks above (OBR-7 and MSH-7 as already read). An
/// OBX-14 with an empty first component (only a TS precision) counts as not sent.
ObservationTime observation_time(TimeReader& times, std::string_view obx14, std::optional<WallMillis> obr7,
                                 std::optional<WallMillis> msh7, const Delimiters& d);

}  // namespace vigil::hl7
