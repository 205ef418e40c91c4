#include "daemon/intellivue_feed.hpp"

#include <algorithm>
#include <chrono>
#include <utility>

namespace vigil::daemon {

IntelliVueFeed::IntelliVueFeed(const DaemonClock& clock, std::string source, std::string transport,
                               int utc_offset_minutes, Journal& journal, AlertService& alerts,
                               BedBoard& board)
    : clock_(clock),
      source_(std::move(source)),
      transport_(std::move(transport)),
      utc_offset_minutes_(utc_offset_minutes),
      journal_(journal),
      alerts_(alerts),
      board_(board) {}

IntelliVueFeed::IntelliVueFeed(boost::asio::io_context& io, const DaemonClock& clock,
                               const IntelliVueSpec& spec, int utc_offset_minutes, Journal& journal,
                               AlertService& alerts, BedBoard& board)
    : IntelliVueFeed(clock, "intellivue:" + spec.host + ":" + std::to_string(spec.port), "udp",
                     utc_offset_minutes, journal, alerts, board) {
  check_intellivue_spec(spec, "intellivue " + spec.bed);
  const std::string host = spec.host;
  const std::uint16_t port = spec.port;
  monitor_ = std::make_unique<IntelliVueMonitor>(
      io, spec.bed, source_,
      [&io, host, port](IvLinkCallbacks callbacks) {
        return make_udp_link(io, host, port, std::move(callbacks));
      },
      sink(), on_link(), options());
}

IntelliVueFeed::IntelliVueFeed(boost::asio::io_context& io, const DaemonClock& clock, const SerialSpec& spec,
                               int utc_offset_minutes, Journal& journal, AlertService& alerts,
                               BedBoard& board)
    : IntelliVueFeed(clock, "intellivue:" + spec.device, "serial", utc_offset_minutes, journal, alerts,
                     board) {
  check_serial_spec(spec, "serial " + spec.bed);
  const std::string device = spec.device;
  const unsigned baud = spec.baud;
  monitor_ = std::make_unique<IntelliVueMonitor>(
      io, spec.bed, source_,
      [&io, device, baud](IvLinkCallbacks callbacks) {
        return make_mib_serial_link(io, device, baud, std::move(callbacks));
      },
      sink(), on_link(), options());
}

IntelliVueMonitorOptions IntelliVueFeed::options() const {
  IntelliVueMonitorOptions o;
  o.wall_clock = [&clock = clock_] { return clock.wall_ms(); };  // received_at on our clock
  o.mapper.monitor_utc_offset_minutes = utc_offset_minutes_;
  // --time-scale N (demo and tests only) runs the daemon's timers N times faster, T1's
  // "no data for 15 s" included: ask for numerics N times as often, so they still come once
  // a second on the daemon's clock. The timeouts stay real: the monitor is not faster.
  if (clock_.scale() > 1.0) {
    const auto scaled =
        std::chrono::duration_cast<std::chrono::milliseconds>(o.session.poll_interval / clock_.scale());
    o.session.poll_interval = std::max(scaled, std::chrono::milliseconds(10));
  }
  return o;
}

IntelliVueMonitor::Sink IntelliVueFeed::sink() {
  return [this](store::WriteBatch batch) {
    if (!batch.readings.empty())
      board_.touch(batch.readings.front().bed, source_, batch.readings.front().received_at_ms);
    alerts_.enrich(batch);
    journal_.write(std::move(batch), {});
  };
}

IntelliVueMonitor::LinkStateFn IntelliVueFeed::on_link() {
  return [this](const std::string& bed, LinkState state, const std::string& detail) {
    proto::DeviceStatus status;
    status.set_bed(bed);
    status.set_source(source_);
    status.set_transport(transport_);
    status.set_state(to_proto(state));
    status.set_detail(detail);
    status.set_at_ms(clock_.wall_ms());
    journal_.show_device(status);
    // Refused, no answer, dropped: the nurse must hear of it even if no data ever came.
    if (state == LinkState::Lost || state == LinkState::Silent)
      alerts_.on_link(bed, source_, true, detail.empty() ? std::string(to_string(state)) : detail);
    else if (state == LinkState::Receiving)
      alerts_.on_link(bed, source_, false, "");
  };
}

}  // namespace vigil::daemon
