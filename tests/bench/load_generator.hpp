#pragma once
// The load generator of vigil-bench-ingest and vigil-bench-capacity: N MLLP connections,
// each a monitor with its own bed, sending one ORU^R01 (IHE PCD-01, 5 OBX, ~800 bytes) at a
// time with a unique MSH-10 and waiting for its ACK, which must be AA echoing that id.
//
//   closed loop (rate 0):   send --ACK--> send --ACK--> ...          as fast as answered
//   paced (rate R Hz):      send at t0+phase+k/R; if the ACK is late, the next message
//                           goes when it arrives (still one in flight) and counts as late
//
// Latency is measured from the moment the message was due (closed loop: when it was
// written), so a paced run that falls behind shows it in its percentiles instead of
// hiding it (no coordinated omission).
//
// Every failure is counted by kind (not AA, wrong id, unreadable ACK, ACK timeout,
// connect failure, disconnect); a broken connection reconnects after a short pause.
//
// Threading: not thread-safe. One LoadGenerator per io_context; every call and handler
// runs on that io_context's thread (post to it from elsewhere).

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "sim/latency_histogram.hpp"

namespace vigil::bench {

struct LoadOptions {
  boost::asio::ip::tcp::endpoint target;
  double rate_per_connection_hz = 0;  // 0: closed loop
  std::string bed_prefix = "BENCH";   // beds BENCH000001 ...; MSH-10 "<index>-<seq>"
  std::chrono::milliseconds ack_timeout{10000};
  std::chrono::milliseconds reconnect_delay{200};
  std::uint64_t seed = 1;  // paced start phases
};

/// What happened since the last reset_window(). `messages` counts good ACKs only.
struct LoadWindow {
  double seconds = 0;
  std::uint64_t messages = 0;
  std::uint64_t not_aa = 0, wrong_id = 0, bad_ack = 0, stray_ack = 0, timeouts = 0;
  std::uint64_t connect_failures = 0, disconnects = 0;
  std::uint64_t late_sends = 0;  // paced: sent after its slot because the ACK was late
  sim::LatencyHistogram latency;
  std::chrono::nanoseconds max_latency{0};
  std::uint64_t errors() const {
    return not_aa + wrong_id + bad_ack + stray_ack + timeouts + connect_failures + disconnects;
  }
  /// Adds another generator's window (same span of time: seconds is the longest).
  void merge(const LoadWindow& other);
};

/// One simulated monitor's message with slots for its MSH-10 and its timestamps, so each
/// message is made by overwriting bytes in place rather than building text.
class OruTemplate {
 public:
  explicit OruTemplate(int index, const std::string& bed_prefix);
  /// The MLLP frame for message `seq`, timestamps set to `now_ms` (UTC).
  const std::string& frame(std::uint64_t seq, std::int64_t now_ms);
  /// The MSH-10 of the last frame().
  std::string_view control_id() const;

 private:
  std::string frame_;
  std::vector<std::size_t> id_at_, time_at_;
  std::int64_t stamped_second_ = -1;
  int index_;
};

/// The text of a control id: "<index, 6 digits>-<seq, 11 digits>" (18 characters).
inline constexpr std::size_t kControlIdSize = 18;

class LoadGenerator {
 public:
  LoadGenerator(boost::asio::io_context& io, LoadOptions options);
  ~LoadGenerator();
  LoadGenerator(const LoadGenerator&) = delete;
  LoadGenerator& operator=(const LoadGenerator&) = delete;

  /// Opens `count` more connections (monitors), numbered from first_index on, and starts
  /// sending on each as soon as it is connected.
  void add_connections(int count, int first_index);
  /// Connections open right now.
  int connected() const;
  int connections() const { return static_cast<int>(links_.size()); }
  /// Starts a new measuring window (counters and histogram to zero).
  void reset_window();
  /// The current window, with `seconds` set to its length so far.
  LoadWindow window() const;
  /// Every failure since the start, windows or not (histogram unused).
  const LoadWindow& lifetime() const { return lifetime_; }
  /// Closes every connection; handlers still queued become no-ops.
  void stop();

 private:
  struct Link;
  void sweep_timeouts();
  void bump(std::uint64_t LoadWindow::*counter);  // window and lifetime

  boost::asio::io_context& io_;
  LoadOptions opt_;
  std::vector<std::shared_ptr<Link>> links_;
  LoadWindow window_;
  LoadWindow lifetime_;
  std::chrono::steady_clock::time_point window_start_;
  boost::asio::steady_timer sweep_;
  std::mt19937_64 rng_;
  bool stopped_ = false;
};

}  // namespace vigil::bench
