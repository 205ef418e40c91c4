#include "forward/forwarder.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <chrono>

#include "forward/ack_reader.hpp"
#include "hl7/oru_r01_builder.hpp"
#include "net/link_security.hpp"
#include "store/outbox.hpp"

namespace vigil::forward {

namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {
constexpr auto kFirstBackoff = 500ms;
constexpr auto kIdlePoll = 200ms;  // how soon a new outbox row is noticed
constexpr auto kReadErrorRetry = 1s;
constexpr auto kMarkRetry = 20ms;            // the store's queue was full
constexpr auto kMarkRetryAfterFailure = 1s;  // the commit failed (disk full, I/O error)
constexpr auto kTick = 1s;
constexpr std::uint64_t kTrimEveryTicks = 60;
constexpr std::uint64_t kGaugeEveryTicks = 5;  // outbox depth for the metrics port
// Null for plain TCP. Throws std::invalid_argument naming an unusable CA file.
std::shared_ptr<asio::ssl::context> tls_context(const ForwardOptions& o) {
  if (o.tls_ca_file.empty()) return nullptr;
  net::LinkSecurity security;
  security.tls = true;
  security.ca_file = o.tls_ca_file;
  return net::client_tls_context(security);
}

}  // namespace

Forwarder::Forwarder(asio::io_context& io, store::Store& store, std::string db_path, ForwardOptions options,
                     WallClock wall_clock, OnHealth on_health)
    : io_(io),
      store_(store),
      db_path_(std::move(db_path)),
      options_(std::move(options)),
      wall_clock_(std::move(wall_clock)),
      on_health_(std::move(on_health)),
      link_(
          io, tls_context(options_), [this] { on_connected(); }, [this](std::string m) { on_ack(m); },
          [this](const std::string& why) { on_closed(why); }),
      ack_timer_(io),
      retry_timer_(io),
      fetch_timer_(io),
      tick_timer_(io),
      watch_(options_.link_alert, options_.warning_hold),
      backoff_(kFirstBackoff) {}

Forwarder::~Forwarder() {
  alive_->store(false);
  stop();
  reader_.join();
}

void Forwarder::start() {
  running_ = true;
  spdlog::info("forward: sending to {}:{}{} as {}", options_.host, options_.port,
               options_.tls_ca_file.empty() ? "" : " over TLS", options_.daemon_id);
  connect();
  fetch();
  trim();
  tick();
}

void Forwarder::stop() {
  if (!running_) return;
  running_ = false;
  link_.close();
  for (auto* t : {&ack_timer_, &retry_timer_, &fetch_timer_, &tick_timer_}) t->cancel();
  spdlog::info("forward: stopped; {} sent, {} skipped (AE), {} AR, {} timeouts, {} resends, {} queued",
               stats_.sent, stats_.skipped, stats_.rejected, stats_.timeouts, stats_.resends, queue_.size());
}

void Forwarder::connect() {
  if (!running_) return;
  link_.connect(options_.host, options_.port);
  // The ACK timer doubles as the connect deadline: a silently dropped SYN must not wedge us.
  ack_timer_.expires_after(options_.ack_timeout);
  ack_timer_.async_wait([this, alive = alive_](const boost::system::error_code& ec) {
    if (ec || !alive->load() || !running_ || link_.connected()) return;
    link_.close();
    on_closed("connect timed out after " + std::to_string(options_.ack_timeout.count()) + " s");
  });
}

void Forwarder::on_connected() {
  ack_timer_.cancel();
  spdlog::info("forward: connected to {}:{}", options_.host, options_.port);
  last_logged_failure_.clear();
  pump();
}

void Forwarder::on_closed(const std::string& why) {
  ack_timer_.cancel();
  if (in_flight_ && !queue_.empty()) {
    record_failure(queue_.front(), why);
    ++stats_.disconnects;
  }
  in_flight_ = false;
  watch_.failed(std::chrono::steady_clock::now(), why);
  if (why != last_logged_failure_) {  // once per cause, not once per retry
    spdlog::warn("forward: link to {}:{} down: {}; {} rows queued, retrying", options_.host, options_.port,
                 why, queue_.size());
    last_logged_failure_ = why;
  }
  retry_after_backoff(/*reconnect=*/true);
}

void Forwarder::retry_after_backoff(bool reconnect) {
  if (!running_) return;
  waiting_retry_ = true;
  retry_timer_.expires_after(backoff_);
  backoff_ = std::min<std::chrono::milliseconds>(backoff_ * 2, options_.max_backoff);
  retry_timer_.async_wait([this, reconnect, alive = alive_](const boost::system::error_code& ec) {
    if (ec || !alive->load() || !running_) return;
    waiting_retry_ = false;
    if (reconnect || !link_.connected())
      connect();
    else
      pump();
  });
}

void Forwarder::pump() {
  if (!running_) return;
  if (queue_.size() < kFetchRows / 2) fetch();
  if (!link_.connected() || in_flight_ || waiting_retry_ || queue_.empty() || unmarked_ >= kMaxUnmarked)
    return;
  Item& item = queue_.front();
  ++item.attempts;
  const std::uint32_t attempt = item.row.attempts + item.attempts;
  if (item.maybe_sent || attempt > 1) {
    ++stats_.resends;
    link_.send(hl7::with_resend_marker(item.row.message, std::max<std::uint32_t>(attempt, 2)));
  } else {
    link_.send(item.row.message);
  }
  in_flight_ = true;
  ack_timer_.expires_after(options_.ack_timeout);
  ack_timer_.async_wait([this, alive = alive_](const boost::system::error_code& ec) {
    if (ec || !alive->load() || !running_ || !in_flight_) return;
    ++stats_.timeouts;
    link_.close();
    on_closed("no ACK within " + std::to_string(options_.ack_timeout.count()) + " s");
  });
}

void Forwarder::on_ack(const std::string& message) {
  if (!in_flight_ || queue_.empty()) {
    spdlog::warn("forward: unexpected message from the engine ignored");
    return;
  }
  Item& item = queue_.front();
  const auto ack = read_ack(message);
  if (!ack || ack->control_id != item.row.control_id) {
    // Answering something else: the conversation is out of step. Start over.
    link_.close();
    on_closed(ack ? "ACK for " + ack->control_id + " while waiting for " + item.row.control_id
                  : std::string("unreadable ACK"));
    return;
  }
  ack_timer_.cancel();
  in_flight_ = false;
  switch (ack->verdict) {
    case AckVerdict::Accepted:
      ++stats_.sent;
      mark(item, "sent", "");
      queue_.pop_front();
      watch_.delivered();
      backoff_ = kFirstBackoff;
      last_logged_failure_.clear();
      break;
    case AckVerdict::Error: {
      ++stats_.skipped;
      const std::string why =
          ack->code + ": " + (ack->text.empty() ? std::string("no reason given") : ack->text);
      spdlog::warn("forward: the engine refused {} for good ({}); skipped, later messages continue",
                   item.row.control_id, why);
      const std::string control_id = item.row.control_id;
      mark(item, "skipped", why);
      queue_.pop_front();  // `item` is gone from here on
      watch_.delivered();  // the link works; the message does not
      watch_.warn(std::chrono::steady_clock::now(), "message " + control_id + " refused: " + why);
      publish_health();
      backoff_ = kFirstBackoff;
      break;
    }
    case AckVerdict::Reject: {
      ++stats_.rejected;
      const std::string why =
          ack->code + ": " + (ack->text.empty() ? std::string("no reason given") : ack->text);
      record_failure(item, why);
      watch_.failed(std::chrono::steady_clock::now(), "engine rejects messages (" + why + ")");
      retry_after_backoff(/*reconnect=*/false);
      break;
    }
  }
  pump();
}

void Forwarder::record_failure(Item& item, const std::string& error) {
  item.maybe_sent = true;
  item.row.last_error = error;
  store::WriteBatch batch;
  batch.outbox_updates.push_back(
      {item.row.id, "pending", item.row.attempts + item.attempts, error, wall_now()});
  submit_update(std::move(batch), /*counts=*/false, 0ms);
}

void Forwarder::mark(const Item& item, const std::string& state, const std::string& error) {
  ++unmarked_;
  store::WriteBatch batch;
  batch.outbox_updates.push_back({item.row.id, state, item.row.attempts + item.attempts, error, wall_now()});
  submit_update(std::move(batch), /*counts=*/true, 0ms);
}

// `counts`: a sent/skipped mark, held in the unmarked window until committed. A mark that
// fails to commit is submitted again (after a pause: a full disk must not become a busy
// loop), and sending waits meanwhile: a row answered AA must not be sent again unmarked.
void Forwarder::submit_update(store::WriteBatch batch, bool counts, std::chrono::milliseconds delay) {
  auto alive = alive_;
  auto copy = std::make_shared<store::WriteBatch>(std::move(batch));
  if (delay.count() > 0) {
    auto timer = std::make_shared<asio::steady_timer>(io_, delay);
    timer->async_wait([this, alive, timer, copy, counts](const boost::system::error_code&) {
      if (alive->load()) submit_update(std::move(*copy), counts, std::chrono::milliseconds(0));
    });
    return;
  }
  const bool queued = store_.submit(*copy, [this, alive, copy, counts](store::WriteOutcome outcome) {
    asio::post(io_, [this, alive, copy, counts, ok = outcome.ok] {
      if (!alive->load()) return;
      // Attempt counts and errors are best effort (bounded memory while the disk is broken);
      // sent/skipped marks are retried until they stick.
      if (!ok && counts) return submit_update(std::move(*copy), counts, kMarkRetryAfterFailure);
      if (counts && unmarked_ > 0) --unmarked_;
      pump();
    });
  });
  if (!queued) submit_update(std::move(*copy), counts, kMarkRetry);
}

void Forwarder::fetch() {
  if (!running_ || fetching_) return;
  fetching_ = true;
  const std::uint64_t after = cursor_;
  asio::post(reader_, [this, alive = alive_, path = db_path_, after] {
    std::vector<store::OutboxRow> rows;
    std::string error;
    try {
      rows = store::outbox_pending(path, after, kFetchRows);
    } catch (const std::exception& e) {
      error = e.what();
    }
    asio::post(io_, [this, alive, rows = std::move(rows), error]() mutable {
      if (!alive->load()) return;
      fetching_ = false;
      if (!running_) return;
      if (!error.empty()) {
        spdlog::error("forward: cannot read the outbox: {}", error);
        fetch_timer_.expires_after(kReadErrorRetry);
      } else {
        idle_ = rows.empty();
        for (auto& row : rows) {
          if (row.id <= cursor_) continue;
          cursor_ = row.id;
          Item item;
          item.maybe_sent = row.attempts > 0 || startup_window_ > 0;
          if (startup_window_ > 0) --startup_window_;
          item.row = std::move(row);
          queue_.push_back(std::move(item));
        }
        if (!idle_) return pump();  // pump fetches again while the queue is short
        startup_window_ = 0;        // everything from before the start has been seen
        fetch_timer_.expires_after(kIdlePoll);
      }
      fetch_timer_.async_wait([this, alive](const boost::system::error_code& ec) {
        if (ec || !alive->load()) return;
        fetch();
      });
    });
  });
}

void Forwarder::tick() {
  if (!running_) return;
  if (link_.connected() && idle_ && queue_.empty() && !in_flight_) watch_.delivered();
  publish_health();
  if (ticks_ % kGaugeEveryTicks == 0) read_gauge();
  if (++ticks_ % kTrimEveryTicks == 0) trim();
  tick_timer_.expires_after(kTick);
  tick_timer_.async_wait([this, alive = alive_](const boost::system::error_code& ec) {
    if (ec || !alive->load()) return;
    tick();
  });
}

void Forwarder::read_gauge() {
  if (gauge_reading_) return;
  gauge_reading_ = true;
  asio::post(reader_, [this, alive = alive_, path = db_path_] {
    std::optional<store::OutboxSummary> summary;
    try {
      summary = store::outbox_summary(path);
    } catch (const std::exception&) {
      // The fetch path logs unreadable outboxes; the gauge keeps its last value.
    }
    asio::post(io_, [this, alive, summary] {
      if (!alive->load()) return;
      gauge_reading_ = false;
      if (!summary) return;
      gauge_.pending = summary->pending;
      gauge_.oldest_pending_ms = summary->pending > 0 ? summary->oldest_pending_ms : std::nullopt;
    });
  });
}

void Forwarder::publish_health() {
  const LinkWatch::View view = watch_.view(std::chrono::steady_clock::now());
  if (view == shown_) return;
  if (view.down && !shown_.down) spdlog::error("forward: HOSPITAL LINK DOWN: {}", view.down_detail);
  if (!view.down && shown_.down) spdlog::warn("forward: hospital link delivers again");
  shown_ = view;
  if (on_health_) on_health_(view);
}

void Forwarder::trim() {
  store::WriteBatch batch;
  store::OutboxTrim t;
  t.max_rows = options_.outbox_max_rows;
  t.drop_before_ms =
      wall_now() - std::chrono::duration_cast<std::chrono::milliseconds>(options_.outbox_max_age).count();
  batch.outbox_trim = t;
  auto alive = alive_;
  store_.submit(std::move(batch), [this, alive](store::WriteOutcome outcome) {
    asio::post(io_, [this, alive, outcome = std::move(outcome)] {
      if (!alive->load()) return;
      if (!outcome.ok) {
        spdlog::error("forward: outbox trim failed: {}", outcome.error);
        return;
      }
      const std::uint64_t dropped = outcome.outbox_trimmed.readings_dropped;
      if (dropped == 0) return;
      stats_.readings_dropped += dropped;
      const std::string why = "outbox over its bound (" + std::to_string(options_.outbox_max_rows) +
                              " rows / " + std::to_string(options_.outbox_max_age.count()) +
                              " h): dropped the " + std::to_string(dropped) +
                              " oldest unsent readings (alerts are kept)";
      spdlog::error("forward: {}", why);
      watch_.warn(std::chrono::steady_clock::now(), why);
      publish_health();
    });
  });  // a full queue skips this trim; the next one comes a minute later
}

}  // namespace vigil::forward
