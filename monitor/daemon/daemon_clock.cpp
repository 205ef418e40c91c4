#include "daemon/daemon_clock.hpp"

namespace vigil::daemon {

DaemonClock::DaemonClock(double scale)
    : scale_(scale),
      mono_start_(std::chrono::steady_clock::now()),
      wall_start_(std::chrono::system_clock::now()) {}

alerts::Now DaemonClock::now() const {
  using namespace std::chrono;
  const auto mono = steady_clock::now();
  const auto wall = system_clock::now();
  if (scale_ == 1.0) {
    return {mono, duration_cast<milliseconds>(wall.time_since_epoch()).count()};
  }
  // Scaled time advances from the start instants; the wall part follows the monotonic one
  // so a host clock step cannot make scaled time jump either.
  const auto elapsed = duration<double>(mono - mono_start_) * scale_;
  const auto scaled_mono = mono_start_ + duration_cast<steady_clock::duration>(elapsed);
  const auto scaled_wall = wall_start_ + duration_cast<system_clock::duration>(elapsed);
  return {scaled_mono, duration_cast<milliseconds>(scaled_wall.time_since_epoch()).count()};
}

}  // namespace vigil::daemon
