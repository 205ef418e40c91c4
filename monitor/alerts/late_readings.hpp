#pragma once
// Whether a reading is an old result: sent again, or sent late. Such a reading is history. It is kept in the
// record, but no rule judges it and no screen shows it as the current value: a 40-minute-old 150/90 shown
// with age "1 s" is a lie about now, and judging it could confirm or end an alarm on the strength of a value
// that is no longer true.
//
// Late means it was measured more than kLateAfterMs before it arrived, on Vigil's wall clock
// (a monitor whose clock ran hours ahead and is set right sends stamps hours before its
// newest ones, yet current: they arrive within seconds of their stamps), and either:
//   - sent again: its stamp is more than kOutOfOrderMs before the newest stamp of its kind
//     from the same device (a gateway re-sending results, a monitor replaying a stored one;
//     stamps of one device are compared with each other, so a device clock hours off
//     changes nothing); or
//   - delayed: its stamp is the device's newest of its kind, but it arrived more than
//     kLateAfterMs later after its stamp than that device's last current reading of the kind
//     did (on Vigil's monotonic clock, so a step of Vigil's wall clock changes nothing). A
//     backlog sent in order after an outage is this: every result in it is newer than the
//     one before, but 25, 20, 15 ... minutes old. Each kind keeps its own usual delay: a
//     monitor may stamp its cuff results hours off and send its numerics unstamped.
// The check fails safe. Stamps that stop moving (a dead clock, a gateway stamping every
// result with its order's time) are neither older than the newest nor newer, so never late.
// A device's first reading of a kind has no usual delay to compare with: never delayed. A
// device whose clock is set *back* wrongly looks late until nothing but late readings has
// come from it for kRelearnAfterMs; then its new timeline is taken as it is (a backlog flush
// takes seconds, a wrong clock stays). A backlog trickled out over more than that is judged
// and shown as it arrives once it is taken.

#include <array>
#include <cstdint>
#include <optional>

#include "reading/reading.hpp"

namespace vigil::alerts {

class StampOrder {
 public:
  static constexpr std::int64_t kOutOfOrderMs = 60'000;
  static constexpr std::int64_t kLateAfterMs = 5 * 60'000;
  static constexpr std::int64_t kRelearnAfterMs = 30'000;

  struct Late {
    bool delayed = false;    // newest of its kind but sent late; else sent again (older)
    std::int64_t by_ms = 0;  // older than the newest; delayed: later than its usual delay
  };

  /// One reading of the device: its kind, its arrival on Vigil's monotonic clock (readings of
  /// one message share it) and wall clock, and its stamp (0: none, never late). Returns why
  /// and by how much it is late, else none.
  std::optional<Late> add(VitalKind kind, std::int64_t arrived_mono_ms, WallMillis received_at,
                          WallMillis measured_at);

 private:
  std::array<WallMillis, std::size(kAllVitalKinds)> newest_{};  // 0: none yet
  // Arrival (monotonic) minus stamp of the last current reading of each kind: its usual delay.
  std::array<std::optional<std::int64_t>, std::size(kAllVitalKinds)> delay_{};
  std::optional<std::int64_t> late_since_;  // nothing but late readings since (monotonic ms)
};

}  // namespace vigil::alerts
