#pragma once
// How many chairs vigild knows, and for how long. Chairs are named by arriving messages
// (PV1-3, MSH-3 ...), so without a bound any sender could make the daemon hold, and every
// stream snapshot carry, as many as it invents.
//
//   message for chair C --refuse(C)--> nullopt (known, or room left)
//                                  \-> "too many chairs: N known, cap M" (AR, nothing stored;
//                                      T8 on every chair; a warning, rate-limited)
//   every sweep_interval: chairs with no data for idle_forget, no session and no live alert
//      are forgotten (bed board, alert state, device status, duplicate cache of their
//      source); when the count is below the cap again, the T8 ends.
//
// Decided on the daemon's clock: a chair is idle by when Vigil last received from it.
//
// Threading: io thread only.

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "daemon/alert_service.hpp"
#include "daemon/bed_board.hpp"
#include "daemon/daemon_clock.hpp"

namespace vigil::daemon {

class ChairBounds {
 public:
  struct Options {
    std::size_t max_chairs = 2000;
    std::chrono::milliseconds idle_forget{std::chrono::hours(12)};  // zero: never forget
    std::chrono::milliseconds sweep_interval{std::chrono::minutes(1)};
    std::chrono::milliseconds warn_interval{std::chrono::minutes(1)};
  };
  struct Counters {
    std::uint64_t refused_messages = 0;  // answered AR for a chair over the cap
    std::uint64_t forgotten = 0;         // idle chairs forgotten
  };

  // Told the source of each forgotten chair (the HL7 receiver drops its duplicate cache).
  using ForgetSource = std::function<void(const std::string& source)>;

  ChairBounds(boost::asio::io_context& io, const DaemonClock& clock, BedBoard& board, AlertService& alerts,
              ForgetSource forget_source, Options options);

  // The HL7 receiver's chair gate: nullopt when `bed` may be stored.
  std::optional<std::string> refuse(const std::string& bed);

  void start();
  void stop();
  // One sweep now (the timer calls it).
  void sweep();
  const Counters& counters() const { return counters_; }

 private:
  void arm();
  std::string full_text() const;

  boost::asio::steady_timer timer_;
  const DaemonClock& clock_;
  BedBoard& board_;
  AlertService& alerts_;
  ForgetSource forget_source_;
  Options options_;
  Counters counters_;
  bool alarm_ = false;
  std::chrono::steady_clock::time_point last_warn_{};
  bool warned_ = false;
  std::uint64_t unlogged_ = 0;
};

}  // namespace vigil::daemon
