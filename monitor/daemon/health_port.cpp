#include "daemon/health_port.hpp"

#include <sys/stat.h>

#include "daemon/disk_space_watch.hpp"
#include "http/health.hpp"
#include "web/web_routes.hpp"

namespace vigil::daemon {

namespace {

std::optional<std::uint64_t> file_bytes(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return static_cast<std::uint64_t>(st.st_size);
}

http::HistogramValue commit_histogram(const store::StoreStats& s) {
  http::HistogramValue h;
  h.bounds.assign(store::StoreStats::kCommitBounds.begin(), store::StoreStats::kCommitBounds.end());
  h.cumulative.assign(s.commit_buckets.begin(), s.commit_buckets.end());
  h.sum = s.commit_seconds_sum;
  h.count = s.transactions;
  return h;
}

void count_link(http::LinkStateCounts& counts, LinkState state) {
  switch (state) {
    case LinkState::Connected: ++counts.connected; break;
    case LinkState::Receiving: ++counts.receiving; break;
    case LinkState::Silent: ++counts.silent; break;
    case LinkState::Lost: ++counts.lost; break;
  }
}

}  // namespace

HealthPort::HealthPort(boost::asio::io_context& io, Sources sources,
                       std::shared_ptr<boost::asio::ssl::context> tls)
    : sources_(std::move(sources)), lag_(io, kLagPeriod) {
  http::HttpRoutes routes;
  routes.add("/healthz", [this] { return healthz(); });
  routes.add("/metrics", [this] { return metrics(); });
  web::add_web_routes(routes, *sources_.stream);
  http::HttpServerOptions options;
  options.tls = std::move(tls);
  server_ = std::make_unique<http::HttpServer>(io, options, std::move(routes));
}

boost::asio::ip::tcp::endpoint HealthPort::listen(const boost::asio::ip::tcp::endpoint& at) {
  auto bound = server_->listen(at);
  lag_.start();
  return bound;
}

void HealthPort::stop() {
  lag_.stop();
  server_->stop();
}

http::HttpAnswer HealthPort::healthz() const {
  http::HealthFacts facts;
  facts.store_ok = sources_.store->healthy();
  if (!facts.store_ok) facts.store_error = sources_.store->last_error();
  facts.io_loop_lag_ms = lag_.lag_ms();
  facts.io_loop_lag_limit_ms = kLagLimit.count();
  const auto counts = sources_.alerts->alert_counts();
  facts.technical_alerts = counts.technical;
  facts.technical_reasons = counts.technical_texts;
  const http::HealthVerdict verdict = http::judge_health(facts);
  http::HttpAnswer answer;
  answer.status = verdict.ok ? 200 : 503;
  answer.content_type = "application/json";
  answer.body = verdict.json + "\n";
  return answer;
}

http::HttpAnswer HealthPort::metrics() const {
  http::HttpAnswer answer;
  answer.content_type = "text/plain; version=0.0.4; charset=utf-8";
  answer.body = http::vigil_metrics_text(figures());
  return answer;
}

http::VigilFigures HealthPort::figures() const {
  http::VigilFigures f;
  for (const auto& [source, counts] : sources_.receiver->ack_tally().by_source())
    f.acks.push_back({source, counts[0], counts[1], counts[2]});
  const store::StoreStats store = sources_.store->stats();
  f.readings_stored = store.readings;
  f.commit_seconds = commit_histogram(store);
  f.failed_transactions = store.failed_transactions;
  f.checkpoints_thread = store.checkpoints;
  f.checkpoints_writer = store.writer_checkpoints;
  f.store_healthy = sources_.store->healthy();
  f.store_queue = store.pending;
  f.journal_queue = sources_.journal->waiting();
  const auto hl7 = sources_.hl7->connection_states();
  f.hl7_connections = {hl7.idle, hl7.busy, hl7.paused};
  for (const auto& serial : *sources_.serials) count_link(f.serial_links, serial->link_state());
  if (sources_.intellivues)
    for (const auto& monitor : *sources_.intellivues) count_link(f.intellivue_links, monitor->link_state());
  f.stream_clients = sources_.stream->stats().clients;
  const auto counts = sources_.alerts->alert_counts();
  f.alerts_low = counts.low;
  f.alerts_medium = counts.medium;
  f.alerts_high = counts.high;
  f.technical_alerts = counts.technical;
  if (sources_.forwarder) {
    const auto& gauge = sources_.forwarder->outbox_gauge();
    f.outbox_pending = gauge.pending;
    if (gauge.oldest_pending_ms && sources_.wall_now_ms) {
      const WallMillis age_ms = sources_.wall_now_ms() - *gauge.oldest_pending_ms;
      f.outbox_oldest_pending_age_s = age_ms > 0 ? static_cast<double>(age_ms) / 1000.0 : 0.0;
    }
  }
  const auto db = file_bytes(sources_.db_path);
  if (db) f.database_bytes = *db + file_bytes(sources_.db_path + "-wal").value_or(0);
  f.disk_free_bytes = free_bytes_at(sources_.db_path);
  f.io_loop_lag_s = static_cast<double>(lag_.lag_ms()) / 1000.0;
  return f;
}

}  // namespace vigil::daemon
