#pragma once
// What a simulated GE S/5 shows, and the displayed-values record it sends for it. Pure:
// state and a time in, framed bytes out (devices/datex encodes; no I/O, no clock).
//
// Record contents (basic class, 0.01 units as on the wire):
//   ECG group active, hr                  SpO2 group active, spo2 and pulse rate
//   NIBP group: not active until the first measurement starts; label auto | measuring
//   (cuff inflating) | older-than-60s (the result is over 60 simulated seconds old);
//   sys/dia/mean of the last result, or "invalid" (-32767) for a failed measurement;
//   the aux subrecord's nibp_time = the result's completion (s since 1970).
// r_time = the simulated wall time of the record.

#include <cstdint>
#include <optional>
#include <string>

#include "datex/s5_record.hpp"
#include "reading/reading.hpp"
#include "sim/session_plan.hpp"

namespace vigil::sim {

/// The monitor's current display.
struct S5Display {
  std::optional<NumericSample> numerics;  // latest HR/SpO2
  bool nibp_measuring = false;            // a cuff inflation is running
  bool nibp_started = false;              // a measurement has started at least once
  std::optional<NibpSample> last_nibp;    // latest completed measurement
  WallMillis last_nibp_at_ms = 0;         // its completion, simulated wall time
};

/// The basic physdata the display shows at `now_ms`.
datex::BasicPhysdata s5_physdata(const S5Display& display, WallMillis now_ms);

/// The framed displayed-values record for the display at `now_ms`; `r_nbr` counts records.
std::string s5_displayed_record(const S5Display& display, WallMillis now_ms, std::uint8_t r_nbr);

}  // namespace vigil::sim
