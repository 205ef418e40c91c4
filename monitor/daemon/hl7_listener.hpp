#pragma once
// Accepts monitor connections on the HL7/MLLP port and hands each to an Hl7Connection,
// after the per-source checks of SourceLimits (allow-list, connections per source); each
// connection asks them again per message (rate). Breaches are counted, logged at most once
// per source per 10 s, and summed up in an info line every minute and at shutdown.
//
// Threading: io thread only.

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <list>
#include <memory>
#include <string>

#include "daemon/hl7_connection.hpp"
#include "daemon/source_limits.hpp"
#include "net/acceptor.hpp"

namespace vigil::daemon {

class Hl7Listener {
 public:
  // Connections beyond this are closed at once: memory stays bounded under a connect flood.
  static constexpr std::size_t kMaxConnections = 20000;
  // How often the counters line is logged.
  static constexpr std::chrono::seconds kCountersInterval{60};

  // `frame_timeout`: deadline for a frame started but not finished (Hl7Connection); zero:
  // none. `limits` default: anyone, unlimited (tests); the daemon passes hl7_source_limits().
  Hl7Listener(boost::asio::io_context& io, Hl7Receiver& receiver, std::size_t max_frame_bytes,
              std::chrono::milliseconds frame_timeout, SourceLimitOptions limits = {});

  // Binds and starts accepting; returns the bound endpoint. Throws boost::system::system_error.
  boost::asio::ip::tcp::endpoint listen(const boost::asio::ip::tcp::endpoint& at);
  void stop_accepting();
  void close_all();
  const Hl7ConnectionStats& stats() const { return stats_; }
  std::size_t open_connections();
  // Open connections by state (Hl7Connection::state), for the metrics port.
  struct StateCounts {
    std::size_t idle = 0, busy = 0, paused = 0;
  };
  StateCounts connection_states();
  // "hl7 counters: connections=... refused_not_allowed=... ..." for logs.
  std::string counters_line();

 private:
  void on_accept(boost::asio::ip::tcp::socket socket);
  void on_accept_error(const boost::system::error_code& ec);
  void admit(boost::asio::ip::tcp::socket socket);
  void arm_counters_timer();

  Hl7Receiver& receiver_;
  std::size_t max_frame_bytes_;
  // Shared with every connection's lease, which may outlive the listener at teardown.
  std::shared_ptr<SourceLimits> limits_;
  boost::asio::steady_timer counters_timer_;
  std::uint64_t accept_errors_unlogged_ = 0;
  std::chrono::steady_clock::time_point last_accept_warning_{};
  Hl7ConnectionStats stats_;
  const std::chrono::milliseconds frame_timeout_;
  std::list<std::weak_ptr<Hl7Connection>> connections_;
  std::uint64_t refused_ = 0;
  // Last: destroyed first, so no accept reaches a half-destroyed listener.
  net::Acceptor acceptor_;
};

}  // namespace vigil::daemon
