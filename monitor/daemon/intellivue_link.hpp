#pragma once
// How IntelliVue Data Export messages reach a monitor: one message at a time, whatever the
// wire. Two links:
//   UDP (LAN): one datagram per message, to the monitor's Data Export port (24105). UDP has
//     no connection: the link is "up" once the socket is open and the address resolved;
//     whether the monitor is there is the session's business (association timeout).
//   MIB serial: each message in a MIB/RS-232 frame (intellivue/mib_frame.hpp) over a
//     SerialPortTransport, which reopens the port with backoff on its own.
//
// Bounds: a received datagram is read into a fixed 4096-byte buffer (the monitor sends at
// most the max_mtu_rx we announce, 1000 bytes; a longer one is cut and then fails to
// decode); at most kMaxQueuedMessages messages wait to be sent (the session sends at most
// three per tick), more are dropped and counted; the serial deframer holds one frame.
//
// Threading: the daemon's io thread only.

#include <utility>  // before Asio (Boost 1.74 in C++20)

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace vigil::daemon {

inline constexpr std::size_t kIvMaxQueuedMessages = 32;
inline constexpr std::size_t kIvMaxDatagram = 4096;

struct IvLinkCallbacks {
  std::function<void(std::string_view message)> on_message;  // one whole message
  std::function<void()> on_up;                               // may send now
  std::function<void(const std::string& reason)> on_down;    // nothing can be sent until on_up
};

struct IvLinkCounters {
  std::uint64_t messages_in = 0;
  std::uint64_t messages_out = 0;
  std::uint64_t dropped_out = 0;     // send queue full or link down
  std::uint64_t bad_frames = 0;      // serial: frames the MIB deframer dropped (FCS, header, ...)
  std::uint64_t receive_errors = 0;  // UDP: e.g. ICMP port unreachable
};

class IvLink {
 public:
  virtual ~IvLink() = default;
  virtual void start() = 0;
  /// Closes; no callback runs afterwards. Idempotent.
  virtual void stop() = 0;
  /// Queues one message; false when down or the queue is full.
  virtual bool send(std::string message) = 0;
  virtual const IvLinkCounters& counters() const = 0;
  /// "udp 10.1.2.3:24105" or "serial /dev/ttyUSB0", for logs and Reading::source.
  virtual std::string describe() const = 0;
};

/// UDP to HOST:PORT (the name is resolved asynchronously, again after each failure).
std::unique_ptr<IvLink> make_udp_link(boost::asio::io_context& io, std::string host, std::uint16_t port,
                                      IvLinkCallbacks callbacks,
                                      std::chrono::milliseconds retry = std::chrono::seconds(5));

/// MIB/RS-232 framing over a serial port at `baud`.
std::unique_ptr<IvLink> make_mib_serial_link(boost::asio::io_context& io, std::string device, unsigned baud,
                                             IvLinkCallbacks callbacks);

}  // namespace vigil::daemon
