#include "daemon/serial_feed.hpp"

#include <utility>

#include "datex/s5_condition_summary.hpp"

namespace vigil::daemon {

namespace {
SerialMonitorOptions options_for(const DaemonClock& clock) {
  SerialMonitorOptions options;
  options.wall_clock = [&clock] { return clock.wall_ms(); };  // received_at on our clock
  return options;
}
}  // namespace

SerialFeed::SerialFeed(boost::asio::io_context& io, const DaemonClock& clock, const SerialSpec& spec,
                       Journal& journal, AlertService& alerts, BedBoard& board)
    : clock_(clock),
      source_("datex-s5:" + spec.device),
      journal_(journal),
      alerts_(alerts),
      board_(board),
      monitor_(io, spec, sink(), on_link(), on_conditions(), options_for(clock)) {}

SerialMonitor::Sink SerialFeed::sink() {
  return [this](store::WriteBatch batch) {
    if (batch.readings.empty()) return;
    board_.touch(batch.readings.front().bed, source_, batch.readings.front().received_at_ms);
    alerts_.enrich(batch);
    journal_.write(std::move(batch), {});
  };
}

SerialMonitor::LinkStateFn SerialFeed::on_link() {
  return [this](const std::string& bed, LinkState state, const std::string& detail) {
    proto::DeviceStatus status;
    status.set_bed(bed);
    status.set_source(source_);
    status.set_transport("serial");
    status.set_state(to_proto(state));
    status.set_detail(detail);
    status.set_at_ms(clock_.wall_ms());
    journal_.show_device(status);
  };
}

SerialMonitor::ConditionFn SerialFeed::on_conditions() {
  return [this](const std::string& bed, const std::vector<datex::DeviceCondition>& conditions) {
    const datex::ConditionSummary summary = datex::summarize(conditions);
    alerts_.on_device_conditions(bed, source_, summary.nibp_failures, summary.spo2_trouble, summary.detail);
    if (!summary.unreadable.empty()) alerts_.on_unreadable(bed, source_, summary.unreadable);
  };
}

}  // namespace vigil::daemon
