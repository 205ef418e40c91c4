#pragma once
// One NIBP measurement, assembled from the separate SYS / DIA / MEAN readings a monitor
// sends for it (same device, same measured_at_ms). Rules look at whole measurements.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "alerts/time.hpp"
#include "reading/reading.hpp"

namespace vigil::alerts {

struct NibpMeasurement {
  double sys_mmhg = 0;
  std::optional<double> dia_mmhg;
  std::optional<double> mean_mmhg;  // as measured; map_mmhg() estimates it when absent
  WallMillis measured_at_ms = 0;
  std::string source;
  bool device_valid = true;  // false if the monitor flagged any part invalid

  /// Mean arterial pressure: measured, else DIA + (SYS - DIA) / 3, else none.
  std::optional<double> map_mmhg() const;
  /// "206/130", or "206/-" without DIA.
  std::string text() const;
};

/// Collects SYS / DIA / MEAN readings into measurements. A measurement is complete when all
/// three arrived; one with at least SYS is also handed out when the next measurement starts
/// or when it waited long enough for the rest (the engine checks on every tick, so a
/// monitor that never sends MEAN still gets its readings evaluated within ~2 s).
class NibpAssembler {
 public:
  /// Adds a NIBP reading. Returns the measurement(s) it completes: the previous one when
  /// this reading starts a new one, and this one when it is now complete.
  std::vector<NibpMeasurement> add(const Reading& reading, MonoTime now);
  /// Hands out the pending measurement if it has SYS; drops it otherwise.
  std::optional<NibpMeasurement> flush();
  /// flush(), but only once the pending measurement waited `wait` for its missing parts.
  std::optional<NibpMeasurement> flush_older_than(MonoTime now, Duration wait);
  /// Drops the measurement being assembled if it is this device's of this time: the device
  /// took it back. True if it was dropped.
  bool withdraw(const std::string& source, WallMillis measured_at_ms);
  /// The measurement being assembled, if it has its SYS yet (to judge its parts at once).
  const NibpMeasurement* pending_with_sys() const { return pending_ && has_sys_ ? &*pending_ : nullptr; }
  /// The measurement being assembled if it has no SYS and was started at `started`.
  const NibpMeasurement* pending_without_sys(MonoTime started) const {
    return pending_ && !has_sys_ && started_ == started ? &*pending_ : nullptr;
  }
  /// Readings dropped because their measurement never got a SYS.
  std::uint64_t dropped() const { return dropped_; }

 private:
  std::optional<NibpMeasurement> pending_;
  bool has_sys_ = false;
  MonoTime started_{};
  std::uint64_t dropped_ = 0;
};

}  // namespace vigil::alerts
