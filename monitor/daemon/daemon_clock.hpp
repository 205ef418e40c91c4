#pragma once
// The daemon's one source of "now": a monotonic instant for every delay and timeout, and the
// wall time stamped on records. With --time-scale N (demo and testing only) both run N times
// faster from the moment the daemon started, so its timers agree with a simulator playing
// an infusion N times faster.

#include <chrono>

#include "alerts/time.hpp"

namespace vigil::daemon {

class DaemonClock {
 public:
  explicit DaemonClock(double scale = 1.0);

  alerts::Now now() const;
  WallMillis wall_ms() const { return now().wall_ms; }
  double scale() const { return scale_; }

 private:
  double scale_;
  std::chrono::steady_clock::time_point mono_start_;
  std::chrono::system_clock::time_point wall_start_;
};

}  // namespace vigil::daemon
