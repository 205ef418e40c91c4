#include "daemon/journal.hpp"

#include <spdlog/spdlog.h>
#include <boost/asio/post.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <utility>
#include <vector>

#include "common/proto_convert.hpp"

namespace vigil::daemon {

namespace {
// When the writer's queue is full we hold the batch (and the sender, who waits for its ACK)
// and try again shortly: back-pressure instead of unbounded memory.
constexpr auto kStoreRetryDelay = std::chrono::milliseconds(5);
}  // namespace

struct Journal::Pending {
  // Shared with the store's queue (no copy): read-only from submit until done.
  std::shared_ptr<const store::WriteBatch> batch;
  Done done;
};

// Commit results on their way from the writer thread to the io thread: one post per group
// commit rather than one per batch, so a commit of 64 batches wakes the io thread once.
struct Journal::Completions {
  std::mutex mu;
  std::vector<std::pair<std::shared_ptr<Pending>, store::WriteOutcome>> items;  // commit order
  // A deliver_completions() is queued on the io thread. Changed under `mu`; atomic so the
  // io thread's spin can read it without.
  std::atomic<bool> posted{false};
};

bool Journal::commit_posted() const { return completions_->posted.load(std::memory_order_acquire); }

Journal::Journal(boost::asio::io_context& io, const DaemonClock& clock, store::Store& store, BedBoard& board,
                 stream::StreamServer& stream, Hooks hooks, std::chrono::microseconds commit_spin)
    : io_(io),
      clock_(clock),
      store_(store),
      board_(board),
      stream_(stream),
      hooks_(std::move(hooks)),
      commit_spin_(commit_spin),
      retry_timer_(io),
      completions_(std::make_shared<Completions>()) {}

Journal::~Journal() { alive_->store(false); }

void Journal::write(store::WriteBatch batch, Done done) {
  if (hooks_.outbox) hooks_.outbox->fill(batch, clock_.wall_ms());
  if (batch.empty()) {
    if (done) done(store::WriteOutcome{});
    return;
  }
  auto pending = std::make_shared<Pending>();
  pending->batch = std::make_shared<const store::WriteBatch>(std::move(batch));
  pending->done = std::move(done);
  if (!waiting_.empty()) {
    waiting_.push_back(std::move(pending));  // keep the order: behind those already waiting
    return;
  }
  submit(std::move(pending));
}

void Journal::show_device(const proto::DeviceStatus& status) {
  board_.set_device(status);
  proto::ServerMessage message;
  *message.mutable_device() = status;
  stream_.publish(message);
}

void Journal::submit(std::shared_ptr<Pending> pending) {
  auto alive = alive_;
  bool queued = store_.submit(pending->batch, [this, alive, pending, completions = completions_,
                                               &io = io_](store::WriteOutcome outcome) {
    {
      std::lock_guard lock(completions->mu);
      completions->items.emplace_back(pending, std::move(outcome));
      if (completions->posted.load(std::memory_order_relaxed)) return;  // the queued delivery takes it
      completions->posted.store(true, std::memory_order_release);
    }
    boost::asio::post(io, [this, alive] {
      if (alive->load()) deliver_completions();
    });
  });
  if (queued) {
    if (in_flight_++ == 0) in_flight_since_ = std::chrono::steady_clock::now();
    return;
  }
  ++stats_.store_retries;
  waiting_.push_front(std::move(pending));
  if (retry_armed_) return;
  retry_armed_ = true;
  retry_timer_.expires_after(kStoreRetryDelay);
  retry_timer_.async_wait([this, alive](const boost::system::error_code& ec) {
    if (ec || !alive->load()) return;
    retry_armed_ = false;
    drain_waiting();
  });
}

void Journal::drain_waiting() {
  while (!waiting_.empty() && !retry_armed_) {
    auto next = std::move(waiting_.front());
    waiting_.pop_front();
    submit(std::move(next));  // on a full queue it goes back to the front and arms the timer
  }
}

void Journal::deliver_completions() {
  std::vector<std::pair<std::shared_ptr<Pending>, store::WriteOutcome>> ready;
  {
    std::lock_guard lock(completions_->mu);
    ready.swap(completions_->items);
    completions_->posted.store(false, std::memory_order_release);
  }
  // How long the io thread waited for this commit: what its spin is judged by.
  const auto now = std::chrono::steady_clock::now();
  commit_spin_.observed(now - in_flight_since_);
  in_flight_ -= std::min(in_flight_, ready.size());
  in_flight_since_ = now;
  for (auto& [pending, outcome] : ready) committed(pending, std::move(outcome));
}

void Journal::committed(const std::shared_ptr<Pending>& pending, store::WriteOutcome outcome) {
  const store::WriteBatch& batch = *pending->batch;
  if (!outcome.ok) {
    ++stats_.store_failures;
    spdlog::error("store: could not commit {} readings, {} alert transitions: {}", batch.readings.size(),
                  batch.alerts.size(), outcome.error);
  }
  announce(batch, outcome);
  if (outcome.ok != last_commit_ok_) {
    last_commit_ok_ = outcome.ok;
    if (hooks_.health) hooks_.health(outcome.ok, outcome.error);
  }
  if (pending->done) pending->done(outcome);
}

void Journal::announce(const store::WriteBatch& batch, const store::WriteOutcome& outcome) {
  stats_.readings += outcome.ok ? batch.readings.size() : 0;
  stats_.unmapped += outcome.ok ? batch.unmapped.size() : 0;
  stats_.alerts += batch.alerts.size();
  // One message reused for every reading (a member: across batches too), so each reading
  // overwrites the strings of the one before instead of allocating its own.
  proto::ServerMessage& event = scratch_;
  // Readings the store refused are not shown: their sender resends them (AR).
  const std::size_t readings = outcome.ok ? batch.readings.size() : 0;
  for (std::size_t i = 0; i < readings; ++i) {
    const Reading& r = batch.readings[i];
    std::uint64_t id = i < outcome.reading_ids.size() ? outcome.reading_ids[i] : 0;
    proto::Reading* out = event.mutable_reading();
    fill_proto(r, id, *out);
    if (i < batch.reading_context.size()) {
      const store::ReadingContext& c = batch.reading_context[i];
      out->set_verified(c.verified);
      out->set_late(c.late);
      out->set_phase(c.phase);
      if (c.baseline_sys)
        out->set_baseline_sys_mmhg(*c.baseline_sys);
      else
        out->clear_baseline_sys_mmhg();
      if (c.baseline_dia)
        out->set_baseline_dia_mmhg(*c.baseline_dia);
      else
        out->clear_baseline_dia_mmhg();
    } else {
      out->set_verified(r.valid);
      out->set_late(false);
      out->clear_phase();
      out->clear_baseline_sys_mmhg();
      out->clear_baseline_dia_mmhg();
    }
    board_.update(*out);
    stream_.publish(event);
  }
  for (std::size_t i = 0; i < batch.alerts.size(); ++i) {
    proto::AlertEvent* out = event.mutable_alert();
    *out = batch.alerts[i];
    out->set_log_id(i < outcome.alert_ids.size() ? outcome.alert_ids[i] : 0);
    stream_.publish(event);
    if (hooks_.alert_announced) hooks_.alert_announced(*out);
  }
  // Escalation steps, like alerts, are shown even when the log write failed.
  for (const proto::EscalationEvent& e : batch.escalations) {
    *event.mutable_escalation() = e;
    stream_.publish(event);
  }
  for (std::size_t i = 0; i < batch.sessions.size(); ++i) {
    proto::SessionEvent* out = event.mutable_session();
    *out = batch.sessions[i];
    out->set_log_id(i < outcome.session_ids.size() ? outcome.session_ids[i] : 0);
    stream_.publish(event);
  }
}

}  // namespace vigil::daemon
