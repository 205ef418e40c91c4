#include "daemon/serial_monitor.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "common/wall_time.hpp"
#include "datex/s5_decoder.hpp"
#include "datex/s5_encoder.hpp"

namespace vigil::daemon {

namespace {

transport::SerialPortOptions transport_options(const SerialSpec& spec, const SerialMonitorOptions& o) {
  transport::SerialPortOptions t;
  t.device = spec.device;
  t.baud = spec.baud;
  t.initial_backoff = o.initial_backoff;
  t.max_backoff = o.max_backoff;
  return t;
}

const SerialSpec& checked(const SerialSpec& spec) {
  check_serial_spec(spec, "serial " + spec.bed);
  return spec;
}

}  // namespace

proto::DeviceLinkState to_proto(LinkState state) {
  switch (state) {
    case LinkState::Connected: return proto::connected;
    case LinkState::Receiving: return proto::receiving;
    case LinkState::Silent: return proto::silent;
    case LinkState::Lost: return proto::lost;
  }
  return proto::DEVICE_LINK_UNSET;
}

std::string_view to_string(LinkState state) {
  switch (state) {
    case LinkState::Connected: return "connected";
    case LinkState::Receiving: return "receiving";
    case LinkState::Silent: return "silent";
    case LinkState::Lost: return "lost";
  }
  return "unknown";
}

SerialMonitor::SerialMonitor(boost::asio::io_context& io, SerialSpec spec, Sink sink, LinkStateFn on_link,
                             ConditionFn on_conditions, SerialMonitorOptions options)
    : spec_(checked(spec)),
      options_(std::move(options)),
      sink_(std::move(sink)),
      on_link_(std::move(on_link)),
      on_conditions_(std::move(on_conditions)),
      mapper_("datex-s5:" + spec_.device),
      silence_timer_(io),
      transport_(io, transport_options(spec_, options_),
                 transport::SerialPortCallbacks{
                     [this](std::string_view bytes) { on_bytes(bytes); }, [this] { on_connected(); },
                     [this](const std::string& reason) { on_lost(reason); },
                     [this](const std::string& warning) {
                       spdlog::warn("serial {} ({}): {}", spec_.bed, spec_.device, warning);
                     }}) {
  // GE accepts -1 (once), 0 (stop) or >= 5; anything else would be ignored by the monitor.
  options_.interval_s = std::max<std::int16_t>(options_.interval_s, 5);
  if (options_.silence_timeout.count() <= 0) options_.silence_timeout = std::chrono::seconds(15);
}

SerialMonitor::~SerialMonitor() {
  *alive_ = false;
  stop();
}

void SerialMonitor::start() {
  spdlog::info("serial {}: opening {} at {} baud ({})", spec_.bed, spec_.device, spec_.baud, spec_.protocol);
  transport_.start();
}

void SerialMonitor::stop() {
  if (stopped_) return;
  stopped_ = true;
  transport_.stop();
  silence_timer_.cancel();
}

WallMillis SerialMonitor::now() const { return options_.wall_clock ? options_.wall_clock() : wall_now_ms(); }

void SerialMonitor::set_state(LinkState state, const std::string& detail) {
  if (reported_ && state == state_) return;
  reported_ = true;
  state_ = state;
  if (state == LinkState::Lost || state == LinkState::Silent) {
    spdlog::warn("serial {} ({}): link {}: {}", spec_.bed, spec_.device, to_string(state), detail);
  } else {
    spdlog::info("serial {} ({}): link {}{}{}", spec_.bed, spec_.device, to_string(state),
                 detail.empty() ? "" : ": ", detail);
  }
  if (on_link_) on_link_(spec_.bed, state, detail);
}

void SerialMonitor::on_connected() {
  if (stopped_) return;
  if (transport_.counters().opens > 1) ++counters_.reconnects;
  // Whatever was half-received on the previous connection cannot continue this one.
  deframer_.reset();
  set_state(LinkState::Connected, spec_.device);
  if (stopped_) return;
  send_start_request();
  arm_silence_timer();
}

void SerialMonitor::on_lost(const std::string& reason) {
  if (stopped_) return;
  silence_timer_.cancel();
  set_state(LinkState::Lost, reason);
}

void SerialMonitor::send_start_request() {
  ++counters_.start_requests;
  if (!transport_.send(datex::encode_start_displayed(options_.interval_s))) {
    spdlog::warn("serial {} ({}): start request not queued", spec_.bed, spec_.device);
  }
}

void SerialMonitor::arm_silence_timer() {
  silence_timer_.expires_after(options_.silence_timeout);
  silence_timer_.async_wait([this, alive = alive_](const boost::system::error_code& ec) {
    // Aborted: a record arrived (re-armed), the link was lost, or we stopped.
    if (ec || !*alive || stopped_ || !transport_.is_open()) return;
    // The monitor may have been switched off and on, or it dropped our request: ask again.
    set_state(LinkState::Silent,
              "no valid record for " + std::to_string(options_.silence_timeout.count()) + " ms");
    if (stopped_) return;
    send_start_request();
    arm_silence_timer();
  });
}

void SerialMonitor::on_bytes(std::string_view bytes) {
  if (stopped_) return;
  records_.clear();
  deframer_.feed(bytes, records_);
  const std::uint64_t bad = deframer_.counters().bad_frames();
  counters_.bad_frames += bad - deframer_bad_seen_;
  deframer_bad_seen_ = bad;
  for (const std::string& record : records_) {
    handle_record(record);
    if (stopped_) return;
  }
}

void SerialMonitor::handle_record(const std::string& record) {
  const datex::DecodeResult decoded = datex::decode_record(record);
  if (!decoded.ok()) {
    ++counters_.decode_errors;
    spdlog::debug("serial {}: record dropped: {}", spec_.bed, datex::to_string(decoded.error));
    return;
  }
  ++counters_.records;
  arm_silence_timer();  // re-arming cancels the pending wait
  set_state(LinkState::Receiving, "");
  if (stopped_) return;

  datex::MappedRecord mapped = mapper_.map(decoded.record);
  if (!mapped.had_basic_values) return;  // e.g. a trend or alarm record: nothing to store
  const WallMillis received = now();
  store::WriteBatch batch;
  batch.readings = std::move(mapped.readings);
  for (Reading& r : batch.readings) {
    r.bed = spec_.bed;
    r.received_at_ms = received;
    // r_time 0: the monitor's clock is unset; the moment we received it is the honest time.
    if (r.measured_at_ms <= 0) r.measured_at_ms = received;
  }
  if (on_conditions_) on_conditions_(spec_.bed, mapped.conditions);
  if (stopped_ || batch.readings.empty()) return;
  counters_.readings += batch.readings.size();
  if (sink_) sink_(std::move(batch));
}

}  // namespace vigil::daemon
