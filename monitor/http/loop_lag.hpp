#pragma once
// How late the io loop runs its timers: a periodic timer notes how much after its due time
// it fired. A loop stuck in a long handler (or starved of CPU) shows as a growing lag; the
// probe itself costs one timer wake-up per period.
//
//   lag_ms() = the larger of: the last wake-up's lateness, and (when the next wake-up is
//              overdue now) how overdue it is, so a loop that is stuck right now is seen
//              as stuck by whoever can still ask (a test's thread, not the stuck loop).
//
// Threading: start/stop and the timer on the io thread; lag_ms() from any thread.

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>

namespace vigil::http {

class LoopLagProbe {
 public:
  LoopLagProbe(boost::asio::io_context& io, std::chrono::milliseconds period);
  void start();
  void stop();
  std::int64_t lag_ms() const;
  std::int64_t max_lag_ms() const { return max_lag_ms_.load(); }

 private:
  void arm();

  boost::asio::steady_timer timer_;
  std::chrono::milliseconds period_;
  bool running_ = false;
  std::atomic<std::int64_t> last_lag_ms_{0};
  std::atomic<std::int64_t> max_lag_ms_{0};
  std::atomic<std::int64_t> due_ns_{0};  // steady clock, ns since its epoch; 0: not armed
};

}  // namespace vigil::http
