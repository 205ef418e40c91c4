#pragma once
// Whether a reading is an old result sent again: older, by the device's own stamps, than a
// reading of the same kind the device already sent (a gateway re-sending its backlog, a
// monitor replaying a stored result). Such a reading is history. It is kept in the record,
// but no rule judges it and no screen shows it as the current value: a 40-minute-old 150/90
// shown with age "1 s" is a lie about now, and judging it could confirm or end an alarm on
// the strength of a value that is no longer true.
//
// Late means both:
//   - its stamp is more than kOutOfOrderMs before the newest stamp of its kind from the same
//     device (stamps of one device are compared with each other, so a device clock hours off
//     changes nothing);
//   - it was measured more than kLateAfterMs before it arrived, on Vigil's wall clock. A
//     monitor whose clock ran hours ahead and is set right sends stamps hours before its
//     newest ones, yet current: they arrive within seconds of their stamps.
// The check fails safe. Stamps that stop moving (a dead clock, a gateway stamping every
// result with its order's time) are never older than the newest, so never late. A device
// whose clock is set *back* wrongly looks late until nothing but late readings has come from
// it for kRelearnAfterMs; then its new timeline is taken as it is (a backlog flush takes
// seconds, a wrong clock stays).
// A backlog sent in order after an outage is not caught: each reading in it is newer than
// the one before. Its readings are judged and shown as they arrive, as before.

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

  /// One reading of the device: its kind, its arrival on Vigil's monotonic clock (readings of
  /// one message share it) and wall clock, and its stamp (0: none, never late). Returns by
  /// how much it is older than the newest reading of its kind when it is late, else none.
  std::optional<std::int64_t> add(VitalKind kind, std::int64_t arrived_mono_ms, WallMillis received_at,
                                  WallMillis measured_at);

 private:
  std::array<WallMillis, std::size(kAllVitalKinds)> newest_{};  // 0: none yet
  std::optional<std::int64_t> late_since_;  // nothing but late readings since (monotonic ms)
};

}  // namespace vigil::alerts
