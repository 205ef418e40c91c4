// vigil-bench-ingest: the closed-loop HL7/MLLP load generator (vigild's
// throughput and ACK latency, against other servers under the same load).
//
//   vigil-bench-ingest --target HOST:PORT --connections N --duration S [--warmup S]
//                      [--label NAME] [--json FILE] [--rate-per-connection HZ] [--threads T]
//
// Each connection is one monitor (its own bed) sending a 5-OBX ORU^R01 with a unique
// MSH-10, waiting for the ACK (AA echoing that id) and sending the next; with
// --rate-per-connection it sends at that pace instead (see load_generator.hpp). Messages
// acknowledged during the warm-up are not counted. Prints one line of figures; --json
// writes them as one JSON object. Exit status 1 when any error was seen (every error is
// counted and printed by kind) or nothing was acknowledged; 2 for bad arguments.
//
// A benchmark, not a test: it prints figures and asserts no timing.
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <thread>
#include <vector>

#include "load_report.hpp"
#include "net/fd_limit.hpp"

namespace {

using namespace vigil::bench;

struct Flags {
  std::string target;
  int connections = 1;
  double duration_s = 10;
  double warmup_s = 2;
  std::string label;
  std::string json;
  double rate_hz = 0;
  int threads = 1;
  int ack_timeout_ms = 10000;
};

int run(const Flags& f) {
  vigil::net::raise_fd_limit();
  LoadOptions options;
  options.target = resolve_endpoint(f.target);
  options.rate_per_connection_hz = f.rate_hz;
  options.ack_timeout = std::chrono::milliseconds(f.ack_timeout_ms);
  const int threads = std::max(1, std::min(f.threads, f.connections));
  std::vector<std::unique_ptr<LoadThread>> loads;
  int next_index = 1;
  for (int t = 0; t < threads; ++t) {
    options.seed = static_cast<std::uint64_t>(t + 1);
    loads.push_back(std::make_unique<LoadThread>(options));
    const int count = f.connections / threads + (t < f.connections % threads ? 1 : 0);
    on_io(loads.back()->io(), [&, count, first = next_index] {
      loads.back()->generator().add_connections(count, first);
      return 0;
    });
    next_index += count;
  }
  auto for_each = [&](auto fn) {
    for (auto& l : loads) on_io(l->io(), [&] { return fn(l->generator()); });
  };
  std::this_thread::sleep_for(
      std::chrono::duration<double>(f.warmup_s));  // the window is measured, not assumed
  for_each([](LoadGenerator& g) {
    g.reset_window();
    return 0;
  });
  std::this_thread::sleep_for(std::chrono::duration<double>(f.duration_s));
  LoadWindow total;
  LoadWindow lifetime;
  int connected = 0;
  for_each([&](LoadGenerator& g) {
    total.merge(g.window());
    lifetime.merge(g.lifetime());
    connected += g.connected();
    return 0;
  });
  loads.clear();

  const LatencyFigures lat = latency_figures(total);
  const double rate = total.seconds > 0 ? static_cast<double>(total.messages) / total.seconds : 0;
  const std::string label = f.label.empty() ? f.target : f.label;
  std::printf(
      "ingest: label=%s connections=%d connected=%d messages=%llu seconds=%.2f msgs/s=%.0f "
      "p50=%.3fms p99=%.3fms max=%.3fms errors=%llu (%s)%s\n",
      label.c_str(), f.connections, connected, static_cast<unsigned long long>(total.messages), total.seconds,
      rate, lat.p50_ms, lat.p99_ms, lat.max_ms, static_cast<unsigned long long>(total.errors()),
      error_detail(total).c_str(),
      f.rate_hz > 0 ? (" late_sends=" + std::to_string(total.late_sends)).c_str() : "");
  if (lifetime.errors() != total.errors()) {
    std::printf("ingest: errors outside the window (warm-up included): %s\n", error_detail(lifetime).c_str());
  }
  if (!f.json.empty()) {
    std::ofstream out(f.json);
    out << window_json(label, f.connections, f.rate_hz, total) << "\n";
    if (!out) {
      std::fprintf(stderr, "vigil-bench-ingest: cannot write %s\n", f.json.c_str());
      return 1;
    }
  }
  return (lifetime.errors() == 0 && total.messages > 0) ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  Flags f;
  CLI::App app{"Closed-loop HL7/MLLP load generator: N monitors, one ORU^R01 in flight each"};
  app.add_option("--target", f.target, "the HL7/MLLP listener, HOST:PORT")->required();
  app.add_option("--connections", f.connections, "connections (monitors), each its own bed")
      ->check(CLI::Range(1, 60000));
  app.add_option("--duration", f.duration_s, "measured seconds")->check(CLI::Range(0.1, 86400.0));
  app.add_option("--warmup", f.warmup_s, "seconds before measuring")->check(CLI::Range(0.0, 3600.0));
  app.add_option("--label", f.label, "name printed and written with the figures (default: the target)");
  app.add_option("--json", f.json, "write the figures to FILE as one JSON object");
  app.add_option("--rate-per-connection", f.rate_hz,
                 "paced: messages per second per connection (0: closed loop)")
      ->check(CLI::Range(0.0, 100000.0));
  app.add_option("--threads", f.threads, "io threads, connections split among them")
      ->check(CLI::Range(1, 64));
  app.add_option("--ack-timeout-ms", f.ack_timeout_ms, "an ACK later than this is an error")
      ->check(CLI::Range(1, 3600000));
  CLI11_PARSE(app, argc, argv);
  try {
    return run(f);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vigil-bench-ingest: %s\n", e.what());
    return 2;
  }
}
