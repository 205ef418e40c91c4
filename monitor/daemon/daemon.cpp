#include "daemon/daemon.hpp"

#include <spdlog/spdlog.h>

#include <chrono>
#include <ctime>

#include "common/wall_time.hpp"
#include "store/reading_export.hpp"

namespace vigil::daemon {

namespace asio = boost::asio;

namespace {

asio::ip::tcp::endpoint resolve_listen(asio::io_context& io, const ListenAddress& at,
                                       const std::string& what) {
  boost::system::error_code ec;
  auto address = asio::ip::make_address(at.host, ec);
  if (!ec) return {address, at.port};
  asio::ip::tcp::resolver resolver(io);
  auto results = resolver.resolve(at.host, std::to_string(at.port), ec);
  if (ec || results.empty())
    throw ConfigError(what + ": cannot resolve host '" + at.host + "': " + ec.message());
  return results.begin()->endpoint();
}

// HL7 times without an offset are the monitor's local time; by default we take it to be
// the same zone as ours (a clinic's monitors and server share a wall clock).
int local_utc_offset_minutes() {
  std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  return static_cast<int>(local.tm_gmtoff / 60);
}

// Until the stream has TLS and client authentication, only this host may reach it; the HL7
// port may face the monitor network only with an allow-list of monitor addresses.
void check_listen_policy(const asio::ip::tcp::endpoint& hl7, const asio::ip::tcp::endpoint& stream,
                         const Settings& settings) {
  if (!is_loopback(stream.address())) {
    throw ConfigError("--stream-listen " + to_string(stream) +
                      ": binding beyond loopback needs TLS and client authentication, which this build "
                      "does not have yet; bind to 127.0.0.1 or [::1] and use an SSH tunnel");
  }
  if (!is_loopback(hl7.address()) && settings.hl7_allow.empty()) {
    throw ConfigError("--hl7-listen " + to_string(hl7) +
                      ": binding beyond loopback needs an allow-list of monitor addresses: set hl7_allow "
                      "in the config file (e.g. hl7_allow: \"10.1.2.0/24\"), or bind to 127.0.0.1");
  }
}

}  // namespace

std::string to_string(const asio::ip::tcp::endpoint& endpoint) {
  const auto address = endpoint.address();
  std::string host = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
  return host + ":" + std::to_string(endpoint.port());
}

Daemon::Daemon(const Settings& settings)
    : settings_(settings), clock_(settings.time_scale), signals_(io_, SIGINT, SIGTERM) {
  // Policy first, before the database is touched: a refused configuration changes nothing.
  const auto hl7_at = resolve_listen(io_, settings_.hl7_listen, "--hl7-listen");
  const auto stream_at = resolve_listen(io_, settings_.stream_listen, "--stream-listen");
  check_listen_policy(hl7_at, stream_at, settings_);

  store_ = std::make_unique<store::Store>(store::StoreOptions{settings_.db_path});
  for (const auto& stored : store_->latest_readings()) board_.update(store::to_stream_reading(stored));

  stream::StreamServer::Options stream_options;
  stream_options.max_queue_bytes = settings_.client_queue_bytes;
  stream_options.wall_now_ms = [this] { return clock_.wall_ms(); };
  stream_ = std::make_unique<stream::StreamServer>(io_, stream_options, [this] {
    auto beds = board_.snapshot(clock_.wall_ms());
    alerts_->fill_snapshot(beds);
    return beds;
  });

  hl7::MapOptions map_options;
  map_options.default_utc_offset_minutes =
      settings_.hl7_default_utc_offset_minutes.value_or(local_utc_offset_minutes());
  pipeline_ = std::make_unique<IngestPipeline>(io_, clock_, *store_, board_, *stream_,
                                               BedResolver(settings_.bed_mappings), map_options);

  alerts_ = std::make_unique<AlertService>(io_, clock_, *pipeline_, *stream_, settings_.rule_profiles);
  spdlog::info("vigild: {}", alerts_->restore(*store_));
  pipeline_->set_enricher([this](store::WriteBatch& batch) { alerts_->enrich(batch); });
  pipeline_->set_health([this](bool ok, const std::string& error) { alerts_->on_store_health(ok, error); });
  pipeline_->set_nibp_failed([this](const std::string& bed, const std::string& source, const std::string& detail) {
    alerts_->on_device_conditions(bed, source, {"NIBP_FAILED"}, false, detail);
  });
  stream_->on_request([this](std::uint64_t client, const proto::ClientMessage& message) {
    alerts_->on_request(client, message);
  });
  stream_->on_display_heartbeat([this](std::uint64_t) { alerts_->on_display_heartbeat(); });
  pipeline_->log_and_announce(alerts_->profile_records(), nullptr);

  hl7_ = std::make_unique<Hl7Listener>(io_, *pipeline_, settings_.max_frame_bytes, hl7_source_limits(settings_));
  for (const SerialSpec& spec : settings_.serials) {
    const std::string source = "datex-s5:" + spec.device;  // the mapper's Reading::source
    auto sink = [this, source](store::WriteBatch batch) {
      if (batch.readings.empty()) return;
      board_.touch(batch.readings.front().bed, source, batch.readings.front().received_at_ms);
      pipeline_->store_and_announce(std::move(batch), {});
    };
    auto on_link = [this, source](const std::string& bed, LinkState state, const std::string& detail) {
      alerts_->on_device_link(bed, source, "serial", std::string(to_string(state)), detail);
    };
    auto on_conditions = [this, source](const std::string& bed, const std::vector<datex::DeviceCondition>& conditions) {
      std::vector<std::string> nibp_failures;
      bool spo2_trouble = false;
      std::string detail;
      for (const auto& c : conditions) {
        if (c.event && c.code.rfind("NIBP_", 0) == 0) nibp_failures.push_back(c.code);
        if (c.code.rfind("SPO2_", 0) == 0) spo2_trouble = true;
        if (!detail.empty()) detail += "; ";
        detail += c.text;
      }
      alerts_->on_device_conditions(bed, source, nibp_failures, spo2_trouble, detail);
    };
    SerialMonitorOptions serial_options;
    serial_options.wall_clock = [this] { return clock_.wall_ms(); };  // received_at on our clock
    serials_.push_back(std::make_unique<SerialMonitor>(io_, spec, std::move(sink), std::move(on_link),
                                                       std::move(on_conditions), serial_options));
  }

  auto bind = [&](auto& server, const asio::ip::tcp::endpoint& endpoint, const std::string& what) {
    try {
      return server.listen(endpoint);
    } catch (const boost::system::system_error& e) {
      throw ConfigError(what + ": cannot listen on " + to_string(endpoint) + ": " +
                        e.code().message());
    }
  };
  addresses_.hl7 = bind(*hl7_, hl7_at, "--hl7-listen");
  addresses_.stream = bind(*stream_, stream_at, "--stream-listen");

  for (auto& serial : serials_) serial->start();  // posted: nothing opens before run()
  alerts_->start();

  signals_.async_wait([this](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    spdlog::info("vigild: signal {} received, shutting down", signal);
    stop();
  });
}

Daemon::~Daemon() {
  // Members die in reverse order; connections hold references into the pipeline, so close
  // them while everything still exists.
  serials_.clear();
  if (hl7_) hl7_->close_all();
  if (stream_) stream_->stop();
}

void Daemon::stop() {
  asio::post(io_, [this] { shutdown(); });
}

void Daemon::shutdown() {
  if (stopping_) return;
  stopping_ = true;
  hl7_->stop_accepting();
  for (auto& serial : serials_) serial->stop();
  alerts_->stop();
  // Commit what the writer holds, then let the io thread deliver the ACKs it releases.
  store_->flush();
  io_.poll();
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(300);
  while (std::chrono::steady_clock::now() < deadline && io_.run_one_for(std::chrono::milliseconds(20))) {
  }
  hl7_->close_all();
  stream_->stop();
  signals_.cancel();
  io_.stop();
}

int Daemon::run() {
  io_.run();
  store_->flush();
  const auto& s = pipeline_->stats();
  spdlog::info("vigild: stopped; {} messages ({} AA, {} AE, {} AR), {} readings stored", s.messages,
               s.acked_aa, s.acked_ae, s.acked_ar, s.readings);
  spdlog::info("vigild: {}", hl7_->counters_line());
  return 0;
}

}  // namespace vigil::daemon
