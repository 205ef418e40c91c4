// vigil-bench-capacity: how many beds at 1 message/s a fresh vigild with
// durable storage sustains with ACK p99 under 50 ms, its CPU use and resident memory.
//
//   vigil-bench-capacity [--steps 1000,2000,5000,10000,15000,20000] [--hold 20] [--settle 5]
//                        [--p99-limit-ms 50] [--rate 1] [--threads 1] [--json FILE] [--keep-going]
//
// One connection per bed, as a real monitor holds its own link; each paced at --rate
// (load_generator.hpp: latency from when the message was due). The beds are ramped: each
// step adds connections to the ones already open, lets them settle, then measures for
// --hold seconds. A step passes with no error, ACK p99 under the limit and at least 95% of
// the offered messages acknowledged. vigild runs from this build's bin directory with a
// temporary database (synchronous=FULL, as always); its CPU (% of one core, from
// /proc/PID/stat) and VmRSS are sampled over each hold. RLIMIT_NOFILE is raised to its hard
// limit here, so vigild (a child) inherits it: it needs one descriptor per bed plus ~20.
//
// A benchmark, not a test: prints figures, asserts none. Exit 1 if vigild failed.
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <thread>
#include <vector>

#include "load_report.hpp"
#include "net/fd_limit.hpp"
#include "proc_usage.hpp"
#include "support/child_process.hpp"
#include "support/vigild_fixture.hpp"

namespace {

using namespace vigil::bench;
using Clock = std::chrono::steady_clock;

struct Flags {
  std::vector<int> steps{1000, 2000, 5000, 10000, 15000, 20000};
  double hold_s = 20, settle_s = 5, p99_limit_ms = 50, rate_hz = 1;
  int threads = 1;
  std::string json;
  bool keep_going = false;
};

struct StepResult {
  int beds = 0;
  LoadWindow window;
  double cpu_pct = 0;
  std::uint64_t rss_kib = 0;
  bool pass = false;
};

// Opens connections up to `beds` in chunks (the listen backlog is finite), waiting for
// each chunk to connect; false if they do not within the deadline.
bool ramp_to(std::vector<std::unique_ptr<LoadThread>>& loads, int& open, int beds) {
  constexpr int kChunk = 1000;
  while (open < beds) {
    const int n = std::min(kChunk, beds - open);
    for (int i = 0; i < n; ++i) {
      auto& l = loads[static_cast<std::size_t>((open + i) % static_cast<int>(loads.size()))];
      on_io(l->io(), [&l, first = open + i + 1] {
        l->generator().add_connections(1, first);
        return 0;
      });
    }
    open += n;
    const auto deadline = Clock::now() + std::chrono::seconds(60);
    for (;;) {
      int connected = 0;
      for (auto& l : loads) connected += on_io(l->io(), [&l] { return l->generator().connected(); });
      if (connected >= open) break;
      if (Clock::now() > deadline) {
        std::printf("capacity: only %d of %d beds connected after 60 s\n", connected, open);
        return false;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));  // polling a condition, with a deadline
    }
  }
  return true;
}

StepResult measure(std::vector<std::unique_ptr<LoadThread>>& loads, pid_t vigild, int beds, const Flags& f) {
  std::this_thread::sleep_for(std::chrono::duration<double>(f.settle_s));
  for (auto& l : loads)
    on_io(l->io(), [&l] {
      l->generator().reset_window();
      return 0;
    });
  const auto cpu0 = cpu_seconds(vigild).value_or(0);
  const auto t0 = Clock::now();
  std::this_thread::sleep_for(std::chrono::duration<double>(f.hold_s));
  StepResult r;
  r.beds = beds;
  for (auto& l : loads)
    on_io(l->io(), [&] {
      r.window.merge(l->generator().window());
      return 0;
    });
  const double wall = std::chrono::duration<double>(Clock::now() - t0).count();
  r.cpu_pct = 100.0 * (cpu_seconds(vigild).value_or(cpu0) - cpu0) / wall;
  r.rss_kib = rss_kib(vigild).value_or(0);
  const double offered = beds * f.rate_hz * r.window.seconds;
  r.pass = r.window.errors() == 0 && latency_figures(r.window).p99_ms < f.p99_limit_ms &&
           static_cast<double>(r.window.messages) >= 0.95 * offered;
  return r;
}

int run(const Flags& f) {
  vigil::net::raise_fd_limit();
  vigil::test::TempDir dir;
  // Every step's chairs are real: the chair cap (default 2000) is raised to the largest.
  const std::string conf = dir.file("capacity.conf");
  std::ofstream(conf) << "max_chairs: 20000\nsnapshot_max_bytes: 33554432\n";
  vigil::test::Vigild vigild(dir.file("capacity.db"), {"--config", conf});
  const pid_t pid = vigild.process().pid();
  std::this_thread::sleep_for(std::chrono::seconds(1));  // let start-up allocations settle
  const std::uint64_t base_rss = rss_kib(pid).value_or(0);
  std::printf("capacity: vigild pid %d on %s, base RSS %llu KiB, one connection per bed at %g msg/s\n",
              static_cast<int>(pid), vigild.hl7.str().c_str(), static_cast<unsigned long long>(base_rss),
              f.rate_hz);
  std::fflush(stdout);

  LoadOptions options;
  options.target = resolve_endpoint(vigild.hl7.str());
  options.rate_per_connection_hz = f.rate_hz;
  options.bed_prefix = "CAP";
  std::vector<std::unique_ptr<LoadThread>> loads;
  for (int t = 0; t < f.threads; ++t) {
    options.seed = static_cast<std::uint64_t>(t + 1);
    loads.push_back(std::make_unique<LoadThread>(options));
  }
  std::vector<StepResult> results;
  int open = 0, best = 0;
  for (int beds : f.steps) {
    if (!ramp_to(loads, open, beds)) break;
    StepResult r = measure(loads, pid, beds, f);
    const auto lat = latency_figures(r.window);
    const double per_bed =
        beds > 0 && r.rss_kib > base_rss ? static_cast<double>(r.rss_kib - base_rss) / beds : 0;
    std::printf(
        "capacity: beds=%d msgs/s=%.0f p50=%.2fms p99=%.2fms max=%.2fms errors=%llu (%s) late=%llu "
        "vigild cpu=%.0f%% rss=%llu KiB (%.1f KiB/bed beyond base) %s\n",
        beds, static_cast<double>(r.window.messages) / r.window.seconds, lat.p50_ms, lat.p99_ms, lat.max_ms,
        static_cast<unsigned long long>(r.window.errors()), error_detail(r.window).c_str(),
        static_cast<unsigned long long>(r.window.late_sends), r.cpu_pct,
        static_cast<unsigned long long>(r.rss_kib), per_bed, r.pass ? "PASS" : "FAIL");
    std::fflush(stdout);
    results.push_back(r);
    if (r.pass) best = std::max(best, beds);
    if (!r.pass && !f.keep_going) break;
    if (!vigild.process().running()) {
      std::printf("capacity: vigild exited:\n%s\n", vigild.process().stderr_text().c_str());
      return 1;
    }
  }
  loads.clear();
  double per_bed_at_best = 0;
  for (const auto& r : results)
    if (r.beds == best && r.rss_kib > base_rss)
      per_bed_at_best = static_cast<double>(r.rss_kib - base_rss) / best;
  std::printf("capacity: largest bed count with p99 < %g ms: %d; RSS per bed beyond base there: %.1f KiB\n",
              f.p99_limit_ms, best, per_bed_at_best);
  const int code = vigild.stop();
  if (!f.json.empty()) {
    std::ostringstream j;
    j << "{\"label\":\"capacity\",\"rate_per_bed_hz\":" << f.rate_hz << ",\"p99_limit_ms\":" << f.p99_limit_ms
      << ",\"base_rss_kib\":" << base_rss << ",\"max_beds\":" << best
      << ",\"rss_per_bed_kib\":" << per_bed_at_best << ",\"steps\":[";
    for (std::size_t i = 0; i < results.size(); ++i) {
      const auto& r = results[i];
      std::string w = window_json("beds", r.beds, f.rate_hz, r.window);
      w.pop_back();  // the closing brace: vigild's figures go into the same object
      j << (i ? "," : "") << w << ",\"vigild_cpu_pct\":" << r.cpu_pct << ",\"vigild_rss_kib\":" << r.rss_kib
        << ",\"pass\":" << (r.pass ? "true" : "false") << "}";
    }
    j << "]}\n";
    std::ofstream(f.json) << j.str();
  }
  return code == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  Flags f;
  CLI::App app{"Bed capacity of vigild at 1 message/s per bed, ACK p99 under a limit"};
  app.add_option("--steps", f.steps, "bed counts, ascending")->delimiter(',');
  app.add_option("--hold", f.hold_s, "measured seconds per step")->check(CLI::Range(1.0, 3600.0));
  app.add_option("--settle", f.settle_s, "seconds after a ramp before measuring")
      ->check(CLI::Range(0.0, 600.0));
  app.add_option("--p99-limit-ms", f.p99_limit_ms, "a step passes with ACK p99 below this");
  app.add_option("--rate", f.rate_hz, "messages per second per bed")->check(CLI::Range(0.01, 1000.0));
  app.add_option("--threads", f.threads, "load generator io threads")->check(CLI::Range(1, 16));
  app.add_option("--json", f.json, "write the steps to FILE as JSON");
  app.add_flag("--keep-going", f.keep_going, "measure every step, even after one fails");
  CLI11_PARSE(app, argc, argv);
  try {
    return run(f);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vigil-bench-capacity: %s\n", e.what());
    return 2;
  }
}
