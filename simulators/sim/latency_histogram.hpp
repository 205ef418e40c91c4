#pragma once
// ACK latency distribution for load mode: logarithmic buckets (8 per doubling, ~9%
// resolution) from 1 us to about an hour, so memory stays fixed however long the run.

#include <array>
#include <chrono>
#include <cstdint>

namespace vigil::sim {

/// Fixed-size latency histogram with percentile queries.
class LatencyHistogram {
 public:
  /// Records one latency (negative counts as zero).
  void add(std::chrono::nanoseconds latency);
  /// The upper edge of the bucket holding the p-th percentile (0..100); zero when empty.
  std::chrono::microseconds percentile(double p) const;
  std::uint64_t count() const { return count_; }
  /// Adds another histogram's samples.
  void merge(const LatencyHistogram& other);

 private:
  static constexpr int kPerDoubling = 8;
  static constexpr int kBuckets = 32 * kPerDoubling;  // 2^32 us, ~71 minutes
  std::array<std::uint64_t, kBuckets> buckets_{};
  std::uint64_t count_ = 0;
};

}  // namespace vigil::sim
