#pragma once
// What a real IntelliVue does while Data Export is enabled: broadcast a Connect Indication
// (its address, association port and model) to UDP port 24005 every few seconds. The
// simulated monitor sends it to one configured HOST:PORT instead (vigil-sim --iv-announce),
// from a socket on its own address, so the sender is the monitor's address as on a LAN.
//
// Threading: not thread-safe; the io_context thread runs it.

#include <utility>  // before Asio (Boost 1.74 in C++20)

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <string>

namespace vigil::sim {

class IvAnnouncer {
 public:
  /// `target` is "HOST:PORT" (an IP address); `from_ip` the monitor's own IPv4 address,
  /// announced and sent from. Throws std::runtime_error on a bad target or socket failure.
  IvAnnouncer(boost::asio::io_context& io, const std::string& target, const std::string& from_ip,
              std::uint16_t association_port, std::uint64_t seed, std::chrono::milliseconds period);

  /// Sends one at once, then every period.
  void start();
  void stop();
  std::uint64_t sent() const { return sent_; }

 private:
  void tick();

  boost::asio::ip::udp::socket socket_;
  boost::asio::steady_timer timer_;
  boost::asio::ip::udp::endpoint target_;
  std::string message_;  // the same every time: nothing in it changes
  std::chrono::milliseconds period_;
  std::uint64_t sent_ = 0;
  bool stopped_ = false;
};

}  // namespace vigil::sim
