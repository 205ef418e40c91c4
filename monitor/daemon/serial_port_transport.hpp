#pragma once
// A serial port that only moves bytes: open, configure the line, read, write, and reopen
// after the device fails or vanishes (a USB adapter unplugged). Knows no protocol.
//
//   start() ──► open ──ok──► Connected ──read/write error, EOF, hangup──► Lost ─┐
//                 │                                                            │
//                 └──fails──► Lost (reported once per outage) ◄────────────────┘
//                               │
//                               └──wait backoff (0.5 s, doubling to 10 s)──► open ...
//   stop() from any state ──► Stopped (no more callbacks)
//
// Opening never blocks the io_context: the path is opened with O_NONBLOCK | O_NOCTTY
// (a modem-control tty would otherwise wait for carrier; O_NOCTTY keeps a daemon without a
// controlling terminal from acquiring this one and being sent SIGHUP when it hangs up).
// The descriptor stays non-blocking: Asio's reactor expects that and retries on EAGAIN.
// The line is set raw (VMIN 1, so an empty non-blocking read is EAGAIN, not a false EOF),
// then 8 data bits, even parity, 1 stop bit, RTS/CTS and the baud rate.
//
// Pseudo-terminals (tests, socat) have no line: Linux stores or ignores parity and flow
// control there. If setting a line option fails on a pty, that is reported through
// on_warning and the port is used anyway; on a real port it is a failed open (reported as
// Lost and retried, since a replugged adapter may behave).
//
// Threading: every member must be called on the io_context's thread (one thread running
// the context, or before it runs); every callback runs there. Handlers hold the internal
// state alive, so destroying the transport with operations pending is safe.

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace vigil::transport {

/// How to open and keep a serial port.
struct SerialPortOptions {
  std::string device;                             // e.g. /dev/ttyUSB0, or a symlink to one
  unsigned baud = 19200;                          // 9600, 19200, 38400, 57600 or 115200
  std::size_t max_write_queue_bytes = 64 * 1024;  // send() refuses beyond this
  std::chrono::milliseconds initial_backoff{500};
  std::chrono::milliseconds max_backoff{10'000};
};

/// What happens on the line; any member may be empty.
struct SerialPortCallbacks {
  std::function<void(std::string_view bytes)> on_bytes;        // a chunk as read
  std::function<void()> on_connected;                          // port open and configured
  std::function<void(const std::string& reason)> on_lost;      // once per outage
  std::function<void(const std::string& warning)> on_warning;  // e.g. option ignored on a pty
};

/// Totals since construction.
struct SerialPortCounters {
  std::uint64_t bytes_read = 0;
  std::uint64_t bytes_written = 0;
  std::uint64_t opens = 0;           // successful opens
  std::uint64_t open_failures = 0;   // every failed attempt, not only the reported one
  std::uint64_t losses = 0;          // Connected -> Lost transitions
  std::uint64_t writes_refused = 0;  // send() over the queue bound or while closed
};

/// True for the baud rates the transport can set.
bool is_supported_baud(unsigned baud);

/// One serial port, reopened until stop(). See the file comment for the life cycle.
class SerialPortTransport {
 public:
  SerialPortTransport(boost::asio::io_context& io, SerialPortOptions options, SerialPortCallbacks callbacks);
  ~SerialPortTransport();  // stop()s
  SerialPortTransport(const SerialPortTransport&) = delete;
  SerialPortTransport& operator=(const SerialPortTransport&) = delete;

  /// Starts the first open attempt (posted, so start() returns at once). Call once.
  void start();

  /// Closes the port, cancels the retry timer and drops queued writes. No callback runs
  /// afterwards. Idempotent.
  void stop();

  /// Queues bytes for writing. False (and nothing queued) when the port is not open or
  /// the queue would exceed max_write_queue_bytes.
  bool send(std::string bytes);

  /// True while the port is open.
  bool is_open() const;

  /// Totals since construction.
  const SerialPortCounters& counters() const;

  /// The options this transport was made with.
  const SerialPortOptions& options() const;

 private:
  class Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace vigil::transport
