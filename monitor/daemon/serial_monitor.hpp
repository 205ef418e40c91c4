#pragma once
// One GE Datex-Ohmeda S/5 monitor on one serial port, for one chair.
//
//   SerialPortTransport --bytes--> S5Deframer --record--> decode_record --> S5ReadingMapper
//        ^                                                                  |
//        | start request (on connect, and again after silence)             v
//        +--------------------------------------------- readings (bed, received_at) --> Sink
//                                                       device conditions -----------> ConditionFn
//
// Link states, reported through LinkStateFn each time they change:
//
//   (start) ──port opens──► Connected ──valid record──► Receiving
//                              │    ▲                      │  no valid record for
//                              │    └── valid record ─── Silent ◄─ silence_timeout
//                              │                           │  (start request re-sent
//   any state ──read error, EOF, unplug, open fails──► Lost   every silence_timeout)
//                    (transport reopens with backoff; reopened ──► Connected)
//
// Silent matters as much as Lost: a USB adapter whose RS-232 cable is pulled out of the
// monitor stays open and simply goes quiet.
//
// Timing: the monitor is asked for displayed values every 5 s (GE's minimum; the freshest
// data the interface gives), and the request is re-sent when no valid record arrived for 3
// intervals (15 s, the same as the T1 "monitor link lost" threshold).
//
// NIBP: the mapper (one per monitor, kept across reconnects) announces a result only when
// the monitor's nibp_time changes, so the result the monitor repeats in every record, also
// right after a reconnect, is stored once.
//
// Threading: lives on the daemon's io thread; construct, start(), stop() and every
// callback there. Not copyable; destroy after stop() or let the destructor stop it.

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "daemon/serial_port_transport.hpp"
#include "daemon/serial_spec.hpp"
#include "datex/s5_deframer.hpp"
#include "datex/s5_reading_mapper.hpp"
#include "reading/reading.hpp"
#include "store/records.hpp"
#include "vocabulary.pb.h"

namespace vigil::daemon {

/// Where a serial monitor's link is; see the diagram in serial_monitor.hpp.
enum class LinkState : std::uint8_t {
  Connected,  // port open, no valid record yet
  Receiving,  // valid records arrive
  Silent,     // port open but no valid record for silence_timeout
  Lost,       // port closed: read error, EOF, device vanished, or it cannot be opened
};

/// "connected", "receiving", "silent", "lost".
std::string_view to_string(LinkState state);
/// The same state as the stream's DeviceStatus carries it.
proto::DeviceLinkState to_proto(LinkState state);

/// Totals since construction (across reconnects).
struct SerialMonitorCounters {
  std::uint64_t records = 0;         // valid records decoded
  std::uint64_t bad_frames = 0;      // frames the deframer dropped (checksum, length, ...)
  std::uint64_t decode_errors = 0;   // framed records decode_record rejected
  std::uint64_t readings = 0;        // readings handed to the sink
  std::uint64_t reconnects = 0;      // opens after the first
  std::uint64_t start_requests = 0;  // start requests sent (on connect and after silence)
};

/// Tuning; the defaults are what vigild uses.
struct SerialMonitorOptions {
  std::int16_t interval_s = 5;                        // displayed-values interval asked of the monitor (>= 5)
  std::chrono::milliseconds silence_timeout{15'000};  // re-request after this long without a record
  std::chrono::milliseconds initial_backoff{500};     // transport reopen backoff
  std::chrono::milliseconds max_backoff{10'000};
  std::function<WallMillis()> wall_clock;  // received_at_ms; empty: vigil::wall_now_ms
};

/// One S/5 monitor on one serial port for one chair (see the file comment).
class SerialMonitor {
 public:
  /// Readings of one record: bed, received_at_ms and measured_at_ms set. Never empty.
  using Sink = std::function<void(store::WriteBatch batch)>;
  /// Link state changes; `detail` says why (e.g. the read error), may be empty.
  using LinkStateFn = std::function<void(const std::string& bed, LinkState state, const std::string& detail)>;
  /// The conditions present in one displayed-values record (possibly none, so a receiver
  /// can clear what ended). Event conditions (NIBP failures) appear once per result.
  using ConditionFn =
      std::function<void(const std::string& bed, const std::vector<datex::DeviceCondition>& conditions)>;

  /// Throws ConfigError for a spec check_serial_spec rejects. Nothing is opened yet.
  SerialMonitor(boost::asio::io_context& io, SerialSpec spec, Sink sink, LinkStateFn on_link,
                ConditionFn on_conditions, SerialMonitorOptions options = {});
  ~SerialMonitor();
  SerialMonitor(const SerialMonitor&) = delete;
  SerialMonitor& operator=(const SerialMonitor&) = delete;

  /// Opens the port (asynchronously) and keeps it open until stop().
  void start();
  /// Closes the port; no callback runs afterwards. Idempotent.
  void stop();

  const SerialSpec& spec() const { return spec_; }
  LinkState state() const { return state_; }
  /// Codec and link totals; transport_counters() gives the byte-level ones.
  const SerialMonitorCounters& counters() const { return counters_; }
  const transport::SerialPortCounters& transport_counters() const { return transport_.counters(); }

 private:
  void on_connected();
  void on_lost(const std::string& reason);
  void on_bytes(std::string_view bytes);
  void handle_record(const std::string& record);
  void send_start_request();
  void arm_silence_timer();
  void set_state(LinkState state, const std::string& detail);
  WallMillis now() const;

  SerialSpec spec_;
  SerialMonitorOptions options_;
  Sink sink_;
  LinkStateFn on_link_;
  ConditionFn on_conditions_;
  datex::S5Deframer deframer_;
  datex::S5ReadingMapper mapper_;
  std::vector<std::string> records_;  // scratch for the deframer's output
  boost::asio::steady_timer silence_timer_;
  transport::SerialPortTransport transport_;
  LinkState state_ = LinkState::Lost;
  bool reported_ = false;  // no state reported yet: the first one is always a change
  bool stopped_ = false;
  SerialMonitorCounters counters_;
  std::uint64_t deframer_bad_seen_ = 0;
  // Guards timer handlers that may run after this object is gone.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace vigil::daemon
