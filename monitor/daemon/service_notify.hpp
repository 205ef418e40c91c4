#pragma once
// Talks to systemd as a Type=notify service with a watchdog (sd_notify(3) protocol, written
// here rather than linking libsystemd for two datagrams):
//   READY=1     once both ports are bound and the database is open (the unit's start ends)
//   WATCHDOG=1  every half WatchdogSec, from a timer on the io thread: an io loop that is
//               stuck stops sending, and systemd kills and restarts vigild
//   STOPPING=1  when shutdown begins
// Without NOTIFY_SOCKET (not under systemd, or Type=simple) every call does nothing.
//
// Threading: io thread.

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace vigil::daemon {

// The watchdog period systemd asks for (WATCHDOG_USEC, for this process per WATCHDOG_PID),
// if any.
std::optional<std::chrono::microseconds> watchdog_period_from_env();

class ServiceNotify {
 public:
  explicit ServiceNotify(boost::asio::io_context& io);
  ServiceNotify(const ServiceNotify&) = delete;
  ServiceNotify& operator=(const ServiceNotify&) = delete;

  bool enabled() const { return !socket_path_.empty(); }
  // READY=1, then WATCHDOG=1 every half period while the io loop runs.
  void ready();
  void stopping();
  // Sends one state line (e.g. "STATUS=..."). False when it could not be sent.
  bool send(std::string_view state);

 private:
  void arm();

  std::string socket_path_;  // "@..." is the abstract namespace
  boost::asio::steady_timer timer_;
  std::optional<std::chrono::microseconds> watchdog_;
};

}  // namespace vigil::daemon
