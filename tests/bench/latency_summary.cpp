#include "bench/latency_summary.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <numeric>

namespace vigil::bench {

std::int64_t mono_now_ns() {
  timespec ts{};
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec;
}

namespace {
double ms(std::int64_t ns) { return static_cast<double>(ns) / 1e6; }

// Nearest rank: the smallest sample with at least p % of the samples at or below it.
std::int64_t percentile(const std::vector<std::int64_t>& sorted, double p) {
  const auto n = sorted.size();
  auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(n)));
  rank = std::clamp<std::size_t>(rank, 1, n);
  return sorted[rank - 1];
}
}  // namespace

LatencySummary summarize(std::vector<std::int64_t>& samples_ns) {
  LatencySummary s;
  if (samples_ns.empty()) return s;
  std::sort(samples_ns.begin(), samples_ns.end());
  s.count = samples_ns.size();
  s.p50_ms = ms(percentile(samples_ns, 50));
  s.p99_ms = ms(percentile(samples_ns, 99));
  s.max_ms = ms(samples_ns.back());
  s.min_ms = ms(samples_ns.front());
  const long double sum = std::accumulate(samples_ns.begin(), samples_ns.end(), 0.0L);
  s.mean_ms = static_cast<double>(sum / static_cast<long double>(s.count)) / 1e6;
  return s;
}

std::string json_fields(const LatencySummary& s) {
  char buf[256];
  std::snprintf(
      buf, sizeof buf,
      "\"count\":%zu,\"p50_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f,\"mean_ms\":%.3f,\"min_ms\":%.3f",
      s.count, s.p50_ms, s.p99_ms, s.max_ms, s.mean_ms, s.min_ms);
  return buf;
}

std::string json_string(const std::string& text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char esc[8];
      std::snprintf(esc, sizeof esc, "\\u%04x", c);
      out += esc;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

}  // namespace vigil::bench
