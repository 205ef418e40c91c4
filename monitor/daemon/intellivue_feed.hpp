#pragma once
// One IntelliVue monitor as a producer of vigild, routed like a serial S/5 (serial_feed.hpp):
//
//   readings, first-seen unmapped ─► BedBoard::touch ─► AlertService::enrich ─► Journal::write
//   link state ─► DeviceStatus{transport "udp" or "serial"} ─► Journal::show_device
//
// T1 ("monitor link lost") follows from the readings stopping, as for every source.
// Threading: io thread only, like the IntelliVueMonitor it owns.

#include <memory>
#include <string>

#include "daemon/alert_service.hpp"
#include "daemon/bed_board.hpp"
#include "daemon/daemon_clock.hpp"
#include "daemon/intellivue_monitor.hpp"
#include "daemon/intellivue_spec.hpp"
#include "daemon/journal.hpp"
#include "daemon/serial_spec.hpp"

namespace vigil::daemon {

class IntelliVueFeed {
 public:
  /// A monitor on the LAN (UDP). `utc_offset_minutes`: how far east of UTC the monitor's
  /// clock runs (its AbsoluteTime carries no zone).
  IntelliVueFeed(boost::asio::io_context& io, const DaemonClock& clock, const IntelliVueSpec& spec,
                 int utc_offset_minutes, Journal& journal, AlertService& alerts, BedBoard& board);
  /// A monitor on a MIB serial port (spec.protocol "intellivue").
  IntelliVueFeed(boost::asio::io_context& io, const DaemonClock& clock, const SerialSpec& spec,
                 int utc_offset_minutes, Journal& journal, AlertService& alerts, BedBoard& board);
  IntelliVueFeed(const IntelliVueFeed&) = delete;
  IntelliVueFeed& operator=(const IntelliVueFeed&) = delete;

  void start() { monitor_->start(); }
  void stop() { monitor_->stop(); }
  // The link's state now (for the metrics port).
  LinkState link_state() const { return monitor_->state(); }

 private:
  IntelliVueFeed(const DaemonClock& clock, std::string source, std::string transport, int utc_offset_minutes,
                 Journal& journal, AlertService& alerts, BedBoard& board);
  IntelliVueMonitor::Sink sink();
  IntelliVueMonitor::LinkStateFn on_link();
  IntelliVueMonitorOptions options() const;

  const DaemonClock& clock_;
  const std::string source_;     // "intellivue:HOST:PORT" or "intellivue:/dev/ttyX"
  const std::string transport_;  // "udp" or "serial"
  const int utc_offset_minutes_;
  Journal& journal_;
  AlertService& alerts_;
  BedBoard& board_;
  std::unique_ptr<IntelliVueMonitor> monitor_;  // last: its callbacks use the members above
};

}  // namespace vigil::daemon
