#pragma once
// Latency samples and their summary (count, p50/p99/max), as the benchmark programs print
// and write them. Pure: no clocks, no I/O beyond building text.

#include <cstdint>
#include <string>
#include <vector>

namespace vigil::bench {

/// A monotonic clock reading in nanoseconds (CLOCK_MONOTONIC): both ends of a measured
/// interval are taken with this, in one process.
std::int64_t mono_now_ns();

struct LatencySummary {
  std::size_t count = 0;
  double p50_ms = 0, p99_ms = 0, max_ms = 0, mean_ms = 0, min_ms = 0;
};

/// Nearest-rank percentiles of `samples_ns` (sorted in place). Empty: all zero.
LatencySummary summarize(std::vector<std::int64_t>& samples_ns);

/// `"p50_ms":1.234,"p99_ms":...` (no braces), for building a JSON object.
std::string json_fields(const LatencySummary& s);

/// A JSON string literal for `text` (quotes and control characters escaped).
std::string json_string(const std::string& text);

}  // namespace vigil::bench
