#pragma once
// Load mode: many simulated monitors on one io_context, each bed sending `rate` ORU^R01
// messages per second (HR/SpO2 numerics, an NIBP reading about once a minute) over its
// own connection(s). Prints a summary every 5 s and at the end.
//
// Threading: not thread-safe; everything runs on the io_context's thread.

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/latency_histogram.hpp"
#include "sim/mllp_sender.hpp"
#include "sim/oru_writer.hpp"

namespace vigil::sim {

/// What to drive.
struct LoadOptions {
  int beds = 10;
  double rate_hz = 1;      // messages per second per bed
  double duration_s = 60;  // 0: until stop()
  int connections_per_bed = 1;
  MessageStyle style = MessageStyle::Ihe;
  std::string bed_prefix = "LOAD";  // beds LOAD0001 ...
  std::string control_prefix = "L";
  SenderOptions sender;  // endpoint, timeouts, faults (seed varied per link)
  std::chrono::milliseconds report_every{5000};
  std::chrono::milliseconds drain_timeout{5000};
};

/// Totals over all links.
struct LoadSummary {
  double elapsed_s = 0;
  int links = 0;
  int connected = 0;
  std::uint64_t built = 0;
  SenderCounters totals;
  std::size_t queued = 0;
  LatencyHistogram latency;
};

/// "load: t=5.0s links=1000/1000 sent=... AA=... ack p50=...ms p99=...ms"
std::string format_summary(const LoadSummary& s);

/// Runs the load on an io_context the caller runs.
class LoadRunner : public std::enable_shared_from_this<LoadRunner> {
 public:
  using LineHook = std::function<void(const std::string& line)>;

  LoadRunner(boost::asio::io_context& io, LoadOptions options);
  /// Connects every link and starts the per-bed message timers; `on_done` runs after the
  /// duration and the drain.
  void start(std::function<void()> on_done);
  /// Ends early (e.g. on SIGINT): stops the timers and drains.
  void stop();
  /// Periodic and final summary lines.
  void set_line_hook(LineHook hook) { line_hook_ = std::move(hook); }
  /// Totals so far; after the end, the totals as they were just before the links closed.
  LoadSummary summary() const;

 private:
  LoadSummary live_summary() const;
  struct Bed {
    std::string name;
    std::string equipment;
    std::vector<std::shared_ptr<MllpSender>> links;
    std::unique_ptr<boost::asio::steady_timer> timer;
    std::uint64_t ticks = 0;
    std::uint64_t nibp_every = 60;
    std::uint64_t nibp_phase = 0;
    double hr = 72, spo2 = 98, sys = 120, dia = 78;
  };

  void tick(Bed& bed);
  void arm(Bed& bed, std::chrono::steady_clock::time_point at);
  void report();
  void finish(std::chrono::steady_clock::time_point deadline);

  boost::asio::io_context& io_;
  LoadOptions opt_;
  std::vector<Bed> beds_;
  boost::asio::steady_timer report_timer_;
  boost::asio::steady_timer end_timer_;
  std::chrono::steady_clock::duration period_{};
  std::chrono::steady_clock::time_point started_;
  LatencyHistogram latency_;
  std::mt19937_64 rng_;
  std::uint64_t built_ = 0;
  std::uint64_t seq_ = 0;
  bool stopping_ = false;
  bool finished_ = false;
  LoadSummary final_;  // taken in finish(), before the links close
  std::function<void()> on_done_;
  LineHook line_hook_;
};

}  // namespace vigil::sim
