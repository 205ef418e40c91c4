#include "sim/latency_histogram.hpp"

#include <algorithm>
#include <cmath>

namespace vigil::sim {

void LatencyHistogram::add(std::chrono::nanoseconds latency) {
  const double us = std::max(1.0, static_cast<double>(latency.count()) / 1000.0);
  int b = static_cast<int>(std::floor(std::log2(us) * kPerDoubling));
  if (b < 0) b = 0;
  if (b >= kBuckets) b = kBuckets - 1;
  ++buckets_[static_cast<std::size_t>(b)];
  ++count_;
}

std::chrono::microseconds LatencyHistogram::percentile(double p) const {
  if (count_ == 0) return std::chrono::microseconds(0);
  const double want = std::ceil(std::clamp(p, 0.0, 100.0) / 100.0 * static_cast<double>(count_));
  const auto target = std::max<std::uint64_t>(1, static_cast<std::uint64_t>(want));
  std::uint64_t seen = 0;
  for (int b = 0; b < kBuckets; ++b) {
    seen += buckets_[static_cast<std::size_t>(b)];
    if (seen >= target)
      return std::chrono::microseconds(
          static_cast<long long>(std::ceil(std::exp2(static_cast<double>(b + 1) / kPerDoubling))));
  }
  return std::chrono::microseconds(static_cast<long long>(std::exp2(32.0)));
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
  for (std::size_t i = 0; i < buckets_.size(); ++i) buckets_[i] += other.buckets_[i];
  count_ += other.count_;
}

}  // namespace vigil::sim
