#pragma once
// HL7 v2 timestamps (TS/DTM): YYYY[MM[DD[HH[MM[SS[.S{1,4}]]]]]][+/-ZZZZ].

#include <optional>
#include <string>
#include <string_view>

#include "reading/reading.hpp"

namespace vigil::hl7 {

/// Parses an HL7 timestamp to UTC milliseconds. Missing trailing parts default to the
/// start of the period (month/day 1, time 0). Without an offset the time is taken to be
/// at `default_utc_offset_minutes` east of UTC. Returns nullopt for anything malformed or
/// out of range (month 13, 31 February, offset +2500 ...).
std::optional<WallMillis> parse_hl7_time(std::string_view text, int default_utc_offset_minutes);

/// Formats `ms` as YYYYMMDDHHMMSS+ZZZZ at `utc_offset_minutes` east of UTC (for MSH-7).
std::string format_hl7_time(WallMillis ms, int utc_offset_minutes = 0);

/// format_hl7_time() appended to `out` (no allocation when `out` has room).
void append_hl7_time(std::string& out, WallMillis ms, int utc_offset_minutes = 0);

}  // namespace vigil::hl7
