#pragma once
// Time as the alert engine sees it. Every delay, hysteresis and timeout is measured on a
// monotonic clock the caller passes in; wall time travels along only as data (for logs and
// the dashboard), so a clock step on the host can never fire or hide an alarm.

#include <chrono>

#include "reading/reading.hpp"

namespace vigil::alerts {

/// A point on the caller's monotonic clock (the daemon uses steady_clock; tests step it).
using MonoTime = std::chrono::steady_clock::time_point;

/// Durations in the profile and state: whole milliseconds.
using Duration = std::chrono::milliseconds;

/// "Now" as handed to every engine call: the monotonic instant for delays and the wall
/// time (ms since epoch, UTC) to stamp outputs with.
struct Now {
  MonoTime mono{};
  WallMillis wall_ms = 0;
};

/// Seconds as a double, for messages and values ("no data for 16 s").
inline double in_seconds(Duration d) { return std::chrono::duration<double>(d).count(); }

}  // namespace vigil::alerts
