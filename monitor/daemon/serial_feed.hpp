#pragma once
// One serial S/5 monitor as a producer of vigild: what its SerialMonitor reports, routed.
//
//   readings ─► BedBoard::touch ─► AlertService::enrich ─► Journal::write (no ACK to wait for)
//   link state ─► DeviceStatus{transport "serial"} ─► Journal::show_device (board + stream)
//   conditions ─► datex::summarize ─► AlertService::on_device_conditions (T4, T6)
//
// Threading: io thread only, like the SerialMonitor it owns.

#include <boost/asio/io_context.hpp>

#include <string>

#include "daemon/alert_service.hpp"
#include "daemon/bed_board.hpp"
#include "daemon/daemon_clock.hpp"
#include "daemon/journal.hpp"
#include "daemon/serial_monitor.hpp"

namespace vigil::daemon {

class SerialFeed {
 public:
  // Throws ConfigError for a spec check_serial_spec rejects. Nothing is opened yet.
  SerialFeed(boost::asio::io_context& io, const DaemonClock& clock, const SerialSpec& spec, Journal& journal,
             AlertService& alerts, BedBoard& board);
  SerialFeed(const SerialFeed&) = delete;
  SerialFeed& operator=(const SerialFeed&) = delete;

  void start() { monitor_.start(); }
  void stop() { monitor_.stop(); }
  // The link's state now (for the metrics port).
  LinkState link_state() const { return monitor_.state(); }

 private:
  SerialMonitor::Sink sink();
  SerialMonitor::LinkStateFn on_link();
  SerialMonitor::ConditionFn on_conditions();

  const DaemonClock& clock_;
  const std::string source_;  // the mapper's Reading::source, "datex-s5:<device>"
  Journal& journal_;
  AlertService& alerts_;
  BedBoard& board_;
  SerialMonitor monitor_;  // last: its callbacks use the members above
};

}  // namespace vigil::daemon
