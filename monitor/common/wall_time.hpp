#pragma once
// Wall-clock formatting and parsing for the outside world (JSON lines, CSV, --since).

#include <optional>
#include <string>
#include <string_view>

#include "reading/reading.hpp"

namespace vigil {

// RFC 3339 in UTC: "2026-11-21T10:15:00Z", with ".123" when the milliseconds are not zero.
// Times outside years 0000-9999 are clamped to the range's ends (never malformed).
std::string format_rfc3339(WallMillis ms);

// Accepts "2026-11-21T10:15:00Z", "2026-11-21T10:15:00.250+01:00", "2026-11-21 10:15:00"
// (taken as UTC), "2026-11-21" (midnight UTC) and a bare integer of epoch milliseconds.
std::optional<WallMillis> parse_time_arg(std::string_view text);

// The current wall time. Only edges call this; domain code is handed times.
WallMillis wall_now_ms();

}  // namespace vigil
