#pragma once
// How far a monitor's clock is off from Vigil's, measured from its own messages.
//
// Each message gives one sample: arrival on Vigil's clock minus the freshest time the
// device stamped in it (negative: the device is ahead; readings of one message share their
// arrival). A sample is skew plus delay: HL7 stamps have 1 s resolution, transport and
// batching add seconds, and an NIBP result arrives when the cuff deflates, up to ~3 min after
// the measurement's stamp. The estimate is the median of the last kWindow messages, so a
// single odd stamp (a glitch, a replayed backlog message) does not move it. T8 also wants
// the skew to hold 30 s (technical_rules.cpp), so a step of the daemon's own wall clock
// undone within seconds raises nothing.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "reading/reading.hpp"

namespace vigil::alerts {

class ClockSkewMeter {
 public:
  static constexpr std::size_t kWindow = 15;     // messages (bound: outside input)
  static constexpr std::size_t kMinSamples = 3;  // no verdict from one or two messages

  /// One reading: `received_at` on Vigil's clock, `measured_at` as the device stamped it.
  void add(WallMillis received_at, WallMillis measured_at);
  /// Median of (arrival - device time) over the recent messages, in ms; none until
  /// kMinSamples messages were seen.
  std::optional<std::int64_t> estimate_ms() const;

 private:
  std::array<std::int64_t, kWindow> samples_{};
  std::size_t count_ = 0, next_ = 0;
  WallMillis last_received_ = 0;
};

/// "5 h 0 min", "7 min 30 s", "12 s": the magnitude of a skew, rounded for a nurse to read.
std::string skew_text(std::int64_t skew_ms);

}  // namespace vigil::alerts
