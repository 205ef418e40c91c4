#include "daemon/daemon.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <ctime>

#include "common/wall_time.hpp"
#include "daemon/io_loop.hpp"
#include "daemon/previous_stop.hpp"
#include "daemon/start_checks.hpp"
#include "daemon/stream_auth.hpp"
#include "escalation/escalation_text.hpp"
#include "net/tls_context.hpp"
#include "store/reading_export.hpp"

namespace vigil::daemon {

namespace asio = boost::asio;

namespace {

// HL7 times without an offset are the monitor's local time; by default we take it to be
// the same zone as ours (a clinic's monitors and server share a wall clock).
int local_utc_offset_minutes() {
  std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  return static_cast<int>(local.tm_gmtoff / 60);
}

// Authentication behind the per-address backoff: a locked-out address is refused without its
// credential being looked at, so guessing is as slow as the lockouts make it.
stream::StreamServer::Admission admit_with_backoff(const StreamAuth& auth, LoginBackoff& backoff,
                                                   const stream::StreamServer::HelloFacts& facts) {
  if (!auth.enabled()) return auth.admit(facts);
  const auto locked = backoff.check(facts.peer_address);
  if (locked.count() > 0) {
    stream::StreamServer::Admission refused;
    refused.accepted = false;
    refused.reason = "too many failed logins from this address; retry in " +
                     std::to_string((locked.count() + 999) / 1000) + " s";
    return refused;
  }
  auto admission = auth.admit(facts);
  if (admission.accepted) {
    backoff.succeeded(facts.peer_address);
  } else {
    backoff.failed(facts.peer_address);
  }
  return admission;
}

}  // namespace

std::string to_string(const asio::ip::tcp::endpoint& endpoint) {
  const auto address = endpoint.address();
  std::string host = address.is_v6() ? "[" + address.to_string() + "]" : address.to_string();
  return host + ":" + std::to_string(endpoint.port());
}

std::string to_string(const asio::ip::udp::endpoint& endpoint) {
  return to_string(asio::ip::tcp::endpoint(endpoint.address(), endpoint.port()));
}

Daemon::Daemon(const Settings& settings)
    : settings_(settings), clock_(settings.time_scale), signals_(io_, SIGINT, SIGTERM) {
  // Policy first, before the database is touched: a refused configuration changes nothing.
  const auto hl7_at = resolve_listen(io_, settings_.hl7_listen, "--hl7-listen");
  const auto stream_at = resolve_listen(io_, settings_.stream_listen, "--stream-listen");
  check_listen_policy(hl7_at, stream_at, settings_);
  auto stream_tls = stream_tls_context(settings_.stream_tls);
  const auto http_at = resolve_listen(
      io_, settings_.http_listen.value_or(ListenAddress{"127.0.0.1", kDefaultHttpPort}), "--http-listen");
  auto http_tls = http_tls_context(http_at, settings_);

  store::StoreOptions store_options{settings_.db_path};
  store_options.writer_spin = settings_.spin;
  store_ = std::make_unique<store::Store>(std::move(store_options));
  for (const auto& stored : store_->latest_readings()) board_.update(store::to_stream_reading(stored));

  stream::StreamServer::Options stream_options;
  stream_options.max_queue_bytes = settings_.client_queue_bytes;
  stream_options.wall_now_ms = [this] { return clock_.wall_ms(); };
  stream_options.tls = stream_tls;
  stream_options.handshake_timeout = std::chrono::milliseconds(settings_.stream_tls.handshake_timeout_ms);
  stream_options.max_clients = settings_.max_stream_clients;
  stream_options.prelogin_frame_bytes = settings_.stream_prelogin_frame_bytes;
  stream_options.max_snapshot_bytes = settings_.snapshot_max_bytes;
  StreamAuth auth(settings_.stream_users, !settings_.stream_tls.client_ca_file.empty());
  if (stream_tls || auth.enabled())
    spdlog::info("stream: {}, {}", stream_tls ? "TLS" : "plain TCP (loopback)",
                 auth.enabled()
                     ? std::to_string(settings_.stream_users.size()) + " users, every client logs in"
                     : std::string("no logins"));
  LoginBackoffOptions backoff_options;
  backoff_options.free_failures = settings_.stream_login_free_failures;
  backoff_options.max_delay = std::chrono::seconds(settings_.stream_login_backoff_max_s);
  // Real time, like the HL7 rate limits: a demo's scaled clock must not shorten a lockout.
  login_backoff_ =
      std::make_shared<LoginBackoff>(backoff_options, [] { return std::chrono::steady_clock::now(); });
  stream::StreamServer::Handlers handlers;
  // Clients are served only once run() starts, when the router and the alert service exist.
  handlers.request = [this](std::uint64_t client, const stream::StreamServer::ClientIdentity& who,
                            const proto::ClientMessage& message) { router_->route(client, who, message); };
  handlers.display_heartbeat = [this](std::uint64_t) { alerts_->on_display_heartbeat(); };
  handlers.admit = [auth, backoff = login_backoff_](const stream::StreamServer::HelloFacts& facts) {
    return admit_with_backoff(auth, *backoff, facts);
  };
  handlers.log = [](const std::string& line) { spdlog::warn("{}", line); };
  handlers.client_live = [this](std::uint64_t client, const stream::StreamServer::ClientIdentity& who,
                                const proto::ClientHello& hello) {
    if (escalation_) escalation_->on_client_live(client, who.user, hello);
  };
  handlers.client_gone = [this](std::uint64_t client) {
    if (escalation_) escalation_->on_client_gone(client);
  };
  stream_ = std::make_unique<stream::StreamServer>(
      io_, stream_options, [this] { return snapshot(); }, std::move(handlers));

  Journal::Hooks journal_hooks;
  if (settings_.forward) {
    // Outbox rows continue where the last run left them: row numbers (MSH-10) after the
    // highest ever used, and follow-ups of still-open alerts linked to their start messages.
    outbox_filler_ = std::make_unique<forward::OutboxFiller>(
        settings_.forward->daemon_id, store::outbox_max_id(settings_.db_path),
        store::outbox_open_alert_starts(settings_.db_path));
    journal_hooks.outbox = outbox_filler_.get();
  }
  journal_hooks.health = [this](bool ok, const std::string& error) { alerts_->on_store_health(ok, error); };
  journal_hooks.alert_announced = [this](const proto::AlertEvent& event) {
    if (escalation_) escalation_->on_alert(event);
  };
  journal_ = std::make_unique<Journal>(io_, clock_, *store_, board_, *stream_, std::move(journal_hooks),
                                       settings_.spin);
  start_escalation();

  alerts_ = std::make_unique<AlertService>(io_, clock_, *journal_, settings_.rule_profiles);
  reports_ = std::make_unique<ReportService>(
      io_, *stream_,
      ReportService::Options{settings_.db_path, settings_.reports_dir, settings_.rule_profiles},
      [this] { return clock_.wall_ms(); });
  HistoryService::Options history_options;
  history_options.db_path = settings_.db_path;
  history_ = std::make_unique<HistoryService>(io_, *stream_, std::move(history_options),
                                              [this] { return clock_.wall_ms(); });
  // Wrong PINs back off like wrong logins (same limits), counted per screen and nurse.
  acting_ = std::make_unique<ActingUser>(
      settings_.stream_users,
      std::make_shared<LoginBackoff>(backoff_options, [] { return std::chrono::steady_clock::now(); }));
  router_ =
      std::make_unique<RequestRouter>(*alerts_, *reports_, *history_, *acting_,
                                      [this](std::uint64_t client, const proto::ServerMessage& message) {
                                        return stream_->send_to(client, message);
                                      });
  spdlog::info("vigild: {}", alerts_->restore(*store_));
  // Half an hour: long enough to be seen on a round, not a standing alarm.
  if (auto stop = take_previous_stop(settings_.last_stop_file)) {
    if (auto notice = restart_notice(*stop)) alerts_->on_restarted(*notice, std::chrono::minutes(30));
  }
  ChairBounds::Options chair_options;
  chair_options.max_chairs = settings_.max_chairs;
  chair_options.idle_forget = std::chrono::seconds(settings_.chair_idle_forget_s);
  // A quarter of the idle time (a chair goes at most 25 % late), at most once a minute.
  chair_options.sweep_interval = std::clamp<std::chrono::milliseconds>(
      chair_options.idle_forget / 4, std::chrono::milliseconds(100), std::chrono::minutes(1));
  chairs_ = std::make_unique<ChairBounds>(
      io_, clock_, board_, *alerts_, [this](const std::string& source) { receiver_->forget_source(source); },
      chair_options);
  // Every 10 s: free space shrinks over hours, and one statvfs is nothing next to that.
  disk_watch_ = std::make_unique<DiskSpaceWatch>(
      io_, settings_.db_path, settings_.db_min_free_mb * 1024 * 1024, std::chrono::seconds(10),
      [this](bool low, const std::string& detail) { alerts_->on_disk_space(low, detail); });
  disk_watch_->start();
  store::RetentionPolicy retention = settings_.retention;
  if (retention.archive_dir.empty()) retention.archive_dir = default_archive_dir(settings_.db_path);
  retention_ = std::make_unique<RetentionSchedule>(io_, *store_, clock_, std::move(retention));
  notify_ = std::make_unique<ServiceNotify>(io_);
  if (settings_.forward) start_forwarding();
  journal_->write(alerts_->profile_records(), nullptr);

  hl7::MapOptions map_options;
  map_options.default_utc_offset_minutes =
      settings_.hl7_default_utc_offset_minutes.value_or(local_utc_offset_minutes());
  map_options.code_map = settings_.code_map;
  receiver_ = std::make_unique<Hl7Receiver>(clock_, *journal_, *alerts_, board_, *chairs_,
                                            BedResolver(settings_.bed_mappings), map_options);
  hl7_ = std::make_unique<Hl7Listener>(io_, *receiver_, settings_.max_frame_bytes,
                                       std::chrono::seconds(settings_.hl7_frame_timeout_s),
                                       hl7_source_limits(settings_));
  // IntelliVue clocks, like HL7 times without an offset, are the monitor's local time.
  const int monitor_offset = map_options.default_utc_offset_minutes;
  for (const SerialSpec& spec : settings_.serials) {
    if (spec.protocol == kSerialProtocolIntelliVue)
      intellivues_.push_back(
          std::make_unique<IntelliVueFeed>(io_, clock_, spec, monitor_offset, *journal_, *alerts_, board_));
    else
      serials_.push_back(std::make_unique<SerialFeed>(io_, clock_, spec, *journal_, *alerts_, board_));
  }
  for (const IntelliVueSpec& spec : settings_.intellivues)
    intellivues_.push_back(
        std::make_unique<IntelliVueFeed>(io_, clock_, spec, monitor_offset, *journal_, *alerts_, board_));
  if (settings_.intellivue_discover) {
    discovery_ = std::make_unique<IntelliVueDiscovery>(
        io_, *settings_.intellivue_discover, [this] { return clock_.wall_ms(); }, settings_.intellivues);
    addresses_.discover = discovery_->local_endpoint();
  }
  router_->set_device_lister([this](proto::RequestResult& result) {
    if (!discovery_) {
      result.set_ok(false);
      result.set_reason(
          "IntelliVue discovery is off: start vigild with --intellivue-discover 0.0.0.0:24005 (or config "
          "intellivue_discover)");
      return;
    }
    result.set_ok(true);
    for (auto& m : discovery_->to_proto()) *result.add_monitors() = std::move(m);
    result.set_detail(std::to_string(result.monitors_size()) + " IntelliVue monitors heard");
  });

  auto bind = [&](auto& server, const asio::ip::tcp::endpoint& endpoint, const std::string& what) {
    try {
      return server.listen(endpoint);
    } catch (const boost::system::system_error& e) {
      throw ConfigError(what + ": cannot listen on " + to_string(endpoint) + ": " + e.code().message());
    }
  };
  addresses_.hl7 = bind(*hl7_, hl7_at, "--hl7-listen");
  addresses_.stream = bind(*stream_, stream_at, "--stream-listen");
  health_ = std::make_unique<HealthPort>(
      io_,
      HealthPort::Sources{store_.get(), journal_.get(), receiver_.get(), hl7_.get(), stream_.get(), &serials_,
                          &intellivues_, alerts_.get(), forwarder_.get(), settings_.db_path,
                          [this] { return clock_.wall_ms(); }},
      std::move(http_tls));
  if (settings_.http_listen) {
    addresses_.http = bind(*health_, http_at, "--http-listen");
  } else {
    try {
      addresses_.http = health_->listen(http_at);
    } catch (const boost::system::system_error& e) {
      spdlog::warn("health and metrics port {} not served: {} (set --http-listen or http_listen)",
                   to_string(http_at), e.code().message());
    }
  }

  for (auto& serial : serials_) serial->start();  // posted: nothing opens before run()
  for (auto& iv : intellivues_) iv->start();      // posted as well
  if (discovery_) discovery_->start();            // only arms a receive
  alerts_->start();
  escalation_->start();
  chairs_->start();
  retention_->start();                  // the writer takes it between commits
  if (forwarder_) forwarder_->start();  // posted work only: nothing connects before run()

  signals_.async_wait([this](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    spdlog::info("vigild: signal {} received, shutting down", signal);
    stop();
  });
}

std::vector<proto::BedState> Daemon::snapshot() const {
  auto beds = board_.snapshot(clock_.wall_ms());
  alerts_->fill_snapshot(beds);
  escalation_->fill_snapshot(beds);
  board_.add_devices(beds);
  alerts_->add_nibp_schedules(beds);
  return beds;
}

Daemon::~Daemon() {
  // Members die in reverse order; connections hold references into the receiver, so close
  // them while everything still exists.
  health_.reset();  // reads the parts below
  serials_.clear();
  intellivues_.clear();
  discovery_.reset();
  if (hl7_) hl7_->close_all();
  if (stream_) stream_->stop();
}

void Daemon::start_escalation() {
  EscalationService::Options options;
  options.times = settings_.escalation.times;
  options.max_clients = settings_.max_stream_clients;
  EscalationService::MailFn mail;
  if (const auto& smtp = settings_.escalation.smtp) {
    options.mail_tier1 = smtp->to;
    options.mail_tier2 = smtp->tier2_to;
    auto report = [this, failing = false](const mail::SmtpClient::Result& r) mutable {
      if (r.ok)
        spdlog::info("escalation mail: {}", r.detail);
      else
        spdlog::error("escalation mail failed: {}", r.detail);
      // T8 follows the latest outcome; its text says the latest failure.
      if (alerts_ && (!r.ok || failing)) alerts_->on_escalation_mail(!r.ok, r.detail);
      failing = !r.ok;
    };
    try {
      mail_ = std::make_unique<mail::SmtpClient>(io_, *smtp, std::move(report));
    } catch (const std::invalid_argument& e) {
      throw ConfigError(std::string("escalation.smtp.ca_file: ") + e.what());
    }
    mail = [this](const escalation::EscalationStep& step) {
      std::vector<std::string> to;
      for (const auto& t : step.targets)
        if (t.mail) to.push_back(t.label);
      mail_->send(std::move(to), escalation::mail_subject(step), escalation::mail_body(step), step.at_ms);
    };
    spdlog::info("escalation: mail through {}:{}{}", smtp->host, smtp->port,
                 smtp->starttls ? " (STARTTLS)" : "");
  }
  escalation_ =
      std::make_unique<EscalationService>(io_, clock_, *journal_, std::move(options), std::move(mail));
}

void Daemon::start_forwarding() {
  const forward::ForwardOptions& f = *settings_.forward;
  try {
    forwarder_ = std::make_unique<forward::Forwarder>(
        io_, *store_, settings_.db_path, f, [this] { return clock_.wall_ms(); },
        [this](const forward::LinkWatch::View& v) {
          alerts_->on_forward_health(v.down, v.down_detail, v.warning, v.warning_detail);
        });
  } catch (const std::invalid_argument& e) {
    throw ConfigError(std::string("forward_hl7.tls_ca_file: ") + e.what());
  }
}

void Daemon::stop() {
  asio::post(io_, [this] { shutdown(); });
}

void Daemon::shutdown() {
  if (stopping_) return;
  stopping_ = true;
  notify_->stopping();
  hl7_->stop_accepting();
  health_->stop();
  for (auto& serial : serials_) serial->stop();
  for (auto& iv : intellivues_) iv->stop();  // sends a Release Request when associated
  if (discovery_) discovery_->stop();
  alerts_->stop();
  escalation_->stop();
  if (mail_) mail_->stop();  // a mail not yet sent is lost with the stop; the log has the step
  chairs_->stop();
  if (forwarder_) forwarder_->stop();  // unanswered rows stay pending; resent next start
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
  notify_->ready();
  run_io(io_, *journal_);
  store_->flush();
  const auto& s = receiver_->stats();
  spdlog::info(
      "vigild: stopped; {} messages ({} AA, {} AE, {} AR), {} readings stored, {} NIBP readings of results "
      "sent again not stored twice, {} late readings (old results sent again) not shown as current",
      s.messages, s.acked_aa, s.acked_ae, s.acked_ar, journal_->stats().readings, alerts_->nibp_resends(),
      alerts_->late_readings());
  spdlog::info("vigild: hl7 text: replaced_characters={} messages_with_replacements={} unknown_charsets={}",
               s.replaced_characters, s.messages_with_replacements, s.unknown_charsets);
  spdlog::info("vigild: {}", hl7_->counters_line());
  spdlog::info("vigild: chairs known={} refused_messages={} forgotten={}", board_.bed_count(),
               chairs_->counters().refused_messages, chairs_->counters().forgotten);
  const auto st = stream_->stats();
  spdlog::info(
      "vigild: stream accepted={} tls_handshake_failures={} tls_handshake_timeouts={} auth_refused={} "
      "dropped_slow={} dropped_timeout={} protocol_errors={} refused_full={} login_failures={} "
      "login_locked_refusals={}",
      st.accepted, st.tls_handshake_failures, st.tls_handshake_timeouts, st.auth_refused, st.dropped_slow,
      st.dropped_timeout, st.protocol_errors, st.refused_full, login_backoff_->counters().failures,
      login_backoff_->counters().locked_refusals);
  return 0;
}

}  // namespace vigil::daemon
