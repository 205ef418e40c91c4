// Benchmark, not a test: what a retention run costs the writer. Fills a database with N
// observation sets (HR + SpO2 + NIBP, one a second per chair) older than the limit plus a
// few young ones, then times one run while a sender keeps committing one batch at a time
// (as a monitor waiting for its AA): rows moved per second, and the sender's commit latency
// (its p50/p99/max) during the run against before it. Prints figures; asserts nothing.
//
//   retention_bench [sets=200000] [rows_per_step=500] [dir=/tmp/vigil-retention-bench]
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "store/store.hpp"

namespace {

using Clock = std::chrono::steady_clock;
constexpr vigil::WallMillis kNow = 1'800'000'000'000;  // the run's injected clock
constexpr vigil::WallMillis kDay = 86'400'000;

vigil::store::WriteBatch message(int chair, vigil::WallMillis at) {
  vigil::store::WriteBatch b;
  for (auto [kind, value] : {std::pair{vigil::VitalKind::HeartRate, 72.0},
                             {vigil::VitalKind::SpO2, 97.0},
                             {vigil::VitalKind::NibpSys, 128.0},
                             {vigil::VitalKind::NibpDia, 82.0}}) {
    vigil::Reading r;
    r.bed = "CHAIR" + std::to_string(chair);
    r.kind = kind;
    r.value = value;
    r.measured_at_ms = at;
    r.received_at_ms = at;
    r.source = "MON-" + std::to_string(chair);
    r.valid = true;
    r.status = "F";
    b.readings.push_back(r);
  }
  return b;
}

// Commits one batch and waits for it; returns how long that took.
double commit_ms(vigil::store::Store& store, vigil::WallMillis at) {
  std::promise<void> done;
  auto future = done.get_future();
  const auto start = Clock::now();
  if (!store.submit(message(99, at), [&](vigil::store::WriteOutcome) { done.set_value(); })) return -1;
  future.wait();
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

void print_latency(const char* what, std::vector<double> v) {
  if (v.empty()) return;
  std::sort(v.begin(), v.end());
  std::printf("  %-22s %6zu commits  p50 %6.2f ms  p99 %6.2f ms  max %6.2f ms\n", what, v.size(),
              v[v.size() / 2], v[v.size() * 99 / 100], v.back());
}

}  // namespace

int main(int argc, char** argv) {
  const int sets = argc > 1 ? std::atoi(argv[1]) : 200000;
  const int per_step = argc > 2 ? std::atoi(argv[2]) : 500;
  const std::string dir = argc > 3 ? argv[3] : "/tmp/vigil-retention-bench";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  vigil::store::Store store({dir + "/vigil.db"});
  // Old sets from 100 days back, one every 3 s (10 chairs), all older than the 90-day limit.
  const vigil::WallMillis old = kNow - 100 * kDay;
  constexpr int kPerBatch = 500;
  for (int i = 0; i < sets; i += kPerBatch) {
    for (int j = i; j < std::min(sets, i + kPerBatch); ++j)
      store.submit(message(j % 10, old + static_cast<vigil::WallMillis>(j) * 3000), nullptr);
    store.flush();
  }
  std::vector<double> before;
  for (int i = 0; i < 300; ++i) before.push_back(commit_ms(store, kNow - 1000 + i));

  vigil::store::RetentionPolicy policy;
  policy.archive_dir = dir + "/archive";
  policy.rows_per_step = static_cast<std::uint64_t>(per_step);
  policy.max_rows_per_run = static_cast<std::uint64_t>(sets) + 1;
  std::promise<vigil::store::RetentionReport> report;
  auto future = report.get_future();
  const auto start = Clock::now();
  store.retain(policy, kNow, [&](const vigil::store::RetentionReport& r) { report.set_value(r); });
  std::vector<double> during;
  int i = 0;
  while (future.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
    during.push_back(commit_ms(store, kNow + i++));
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  const vigil::store::RetentionReport r = future.get();
  std::uint64_t moved = 0;
  for (const auto& t : r.tables) moved += t.moved;
  std::printf(
      "retention: %llu observation sets (4 readings each) moved in %.2f s = %.0f sets/s, %d per step%s\n",
      static_cast<unsigned long long>(moved), seconds, moved / seconds, per_step,
      r.error.empty() ? "" : (" ERROR " + r.error).c_str());
  std::printf("  %s\n", r.summary().c_str());
  std::printf("one sender's commit latency (AA wait):\n");
  print_latency("before the run", before);
  print_latency("during the run", during);
  std::filesystem::remove_all(dir);
  return 0;
}
