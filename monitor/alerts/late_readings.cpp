#include "alerts/late_readings.hpp"

#include <algorithm>
#include <limits>

namespace vigil::alerts {

namespace {

// Differences beyond this are saturated: stamps in the year 9999 or 0 cannot overflow.
constexpr std::int64_t kMaxMs = std::numeric_limits<std::int64_t>::max() / 4;

std::int64_t difference(std::int64_t a, std::int64_t b) {
  std::int64_t d = 0;
  if (__builtin_sub_overflow(a, b, &d)) return b > 0 ? -kMaxMs : kMaxMs;
  return std::clamp(d, -kMaxMs, kMaxMs);
}

}  // namespace

std::optional<StampOrder::Late> StampOrder::add(VitalKind kind, std::int64_t arrived_mono_ms,
                                                WallMillis received_at, WallMillis measured_at) {
  if (measured_at == 0) return std::nullopt;  // no stamp: placed by its arrival, never late
  const auto k = static_cast<std::size_t>(kind);
  WallMillis& newest = newest_[k];
  std::optional<std::int64_t>& usual = delay_[k];
  const std::int64_t delay = difference(arrived_mono_ms, measured_at);
  const bool old = difference(received_at, measured_at) > kLateAfterMs;
  const std::int64_t behind = newest != 0 ? difference(newest, measured_at) : 0;
  const std::int64_t later = usual ? difference(delay, *usual) : 0;
  std::optional<Late> late;
  if (old && behind > kOutOfOrderMs)
    late = Late{false, behind};
  else if (old && newest != 0 && measured_at > newest && later > kLateAfterMs)
    late = Late{true, later};
  if (!late) {
    newest = std::max(newest, measured_at);
    usual = delay;
    late_since_.reset();
    return std::nullopt;
  }
  if (!late_since_) late_since_ = arrived_mono_ms;
  if (difference(arrived_mono_ms, *late_since_) >= kRelearnAfterMs) {
    // Only late readings for a while: the device's clock was set back and stays there.
    newest_.fill(0);
    delay_.fill(std::nullopt);
    newest = measured_at;
    usual = delay;
    late_since_.reset();
    return std::nullopt;
  }
  return late;
}

}  // namespace vigil::alerts
