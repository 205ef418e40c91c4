#include "alerts/clock_skew.hpp"

#include <algorithm>
#include <limits>
#include <vector>

namespace vigil::alerts {

namespace {
// Skews beyond this are saturated: the year 9999 and the year 0 both fit, and no later
// arithmetic (abs, rounding, the seconds shown) can overflow.
constexpr std::int64_t kMaxSkewMs = std::numeric_limits<std::int64_t>::max() / 4;
}  // namespace

void ClockSkewMeter::add(WallMillis received_at, WallMillis measured_at) {
  std::int64_t skew = 0;
  if (__builtin_sub_overflow(received_at, measured_at, &skew)) {
    skew = measured_at > 0 ? -kMaxSkewMs : kMaxSkewMs;
  }
  skew = std::clamp(skew, -kMaxSkewMs, kMaxSkewMs);
  if (count_ > 0 && received_at == last_received_) {
    // Another reading of the same message: its freshest stamp is the one closest to the
    // device's clock (an NIBP result in it may be minutes old, an HR row seconds).
    std::int64_t& last = samples_[(next_ + kWindow - 1) % kWindow];
    last = std::min(last, skew);
    return;
  }
  last_received_ = received_at;
  samples_[next_] = skew;
  next_ = (next_ + 1) % kWindow;
  if (count_ < kWindow) ++count_;
}

std::optional<std::int64_t> ClockSkewMeter::estimate_ms() const {
  if (count_ < kMinSamples) return std::nullopt;
  std::array<std::int64_t, kWindow> sorted = samples_;
  auto end = sorted.begin() + static_cast<std::ptrdiff_t>(count_);
  auto mid = sorted.begin() + static_cast<std::ptrdiff_t>(count_ / 2);
  std::nth_element(sorted.begin(), mid, end);
  return *mid;
}

std::string skew_text(std::int64_t skew_ms) {
  std::int64_t ms = std::clamp(skew_ms, -kMaxSkewMs, kMaxSkewMs);
  if (ms < 0) ms = -ms;
  const std::int64_t seconds = (ms + 500) / 1000;
  if (seconds >= 3600) {
    const std::int64_t minutes = (seconds + 30) / 60;
    return std::to_string(minutes / 60) + " h " + std::to_string(minutes % 60) + " min";
  }
  if (seconds >= 60) return std::to_string(seconds / 60) + " min " + std::to_string(seconds % 60) + " s";
  return std::to_string(seconds) + " s";
}

}  // namespace vigil::alerts
