#include "store/store.hpp"

#include "store/database_check.hpp"
#include "store/store_impl.hpp"

namespace vigil::store {

Store::Store(StoreOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

Store::~Store() {
  if (impl_->options.faults) impl_->options.faults->attach(nullptr);
  {
    std::lock_guard lock(impl_->mu);
    impl_->stopping = true;
  }
  impl_->work_cv.notify_all();
  impl_->thread.join();
}

bool Store::submit(WriteBatch batch, Done done) {
  return submit(std::make_shared<const WriteBatch>(std::move(batch)), std::move(done));
}

bool Store::submit(std::shared_ptr<const WriteBatch> batch, Done done) {
  {
    std::lock_guard lock(impl_->mu);
    if (impl_->stopping || impl_->queue.size() >= impl_->options.max_pending_batches) {
      return false;
    }
    impl_->queue.push_back(QueuedBatch{std::move(batch), std::move(done)});
    impl_->queued.store(impl_->queue.size(), std::memory_order_release);
    ++impl_->accepted;
  }
  impl_->work_cv.notify_one();
  return true;
}

void Store::flush() {
  if (std::this_thread::get_id() == impl_->thread.get_id()) return;  // would wait on itself
  std::unique_lock lock(impl_->mu);
  std::uint64_t target = impl_->accepted;
  impl_->done_cv.wait(lock, [&] { return impl_->completed >= target; });
}

bool Store::healthy() const {
  std::lock_guard lock(impl_->mu);
  return impl_->is_healthy;
}

std::string Store::last_error() const {
  std::lock_guard lock(impl_->mu);
  return impl_->error_text;
}

StoreStats Store::stats() const {
  std::lock_guard lock(impl_->mu);
  StoreStats s = impl_->counters;
  s.pending = impl_->queue.size();
  const auto c = impl_->checkpointer->counts();
  s.checkpoints = c.background;
  s.writer_checkpoints = c.by_writer;
  return s;
}

std::vector<StoredReading> Store::latest_readings() { return latest_readings_in(impl_->options.path); }

std::vector<proto::SessionInfo> Store::open_sessions() { return open_sessions_in(impl_->options.path); }

std::uint64_t Store::alert_log_rows() { return alert_log_rows_in(impl_->options.path); }

std::vector<proto::AlertEvent> Store::unresolved_alerts() {
  return unresolved_alerts_in(impl_->options.path);
}

void Store::Impl::run() {
  std::size_t previous = 0;
  std::chrono::steady_clock::duration previous_took{};
  for (;;) {
    std::vector<QueuedBatch> work = take_next(previous, previous_took);
    if (work.empty()) {
      bool stop = false;
      {
        std::lock_guard lock(mu);
        stop = stopping && queue.empty();
      }
      if (stop) {
        end_retention("vigild stopped before the run was over");
        return;
      }
    } else {
      const auto started = std::chrono::steady_clock::now();
      std::vector<WriteOutcome> outcomes = commit(work);
      previous_took = std::chrono::steady_clock::now() - started;
      previous = work.size();
      for (std::size_t i = 0; i < work.size(); ++i) {
        if (!work[i].done) continue;
        try {
          work[i].done(std::move(outcomes[i]));
        } catch (...) {
          // A throwing callback must not kill the writer: every other batch still needs its
          // commit and its done(). Nothing sensible to do with the exception here.
        }
      }
      {
        std::lock_guard lock(mu);
        completed += work.size();
        const double took_s = std::chrono::duration<double>(previous_took).count();
        counters.commit_seconds_sum += took_s;
        for (std::size_t b = 0; b < StoreStats::kCommitBounds.size(); ++b)
          if (took_s <= StoreStats::kCommitBounds[b]) ++counters.commit_buckets[b];
      }
      done_cv.notify_all();
    }
    retention_step();
  }
}

// Waits for work and takes up to one transaction's worth. Empty only when stopping with
// nothing left: shutdown drains the queue even while paused.
//
// Gathering (see StoreOptions::max_gather_wait): when fewer batches are queued than the
// last commit held, wait a little for the rest, bounded by the option and by half the
// last commit's time, so a slow commit is never followed by a long idle wait. Measured on
// vigild with 16 closed-loop senders (2-core machine, busy disk): ~1,400 -> ~2,700 msgs/s.
// A queued batch that carries alert transitions is never held back.
std::vector<QueuedBatch> Store::Impl::take_next(std::size_t previous,
                                                std::chrono::steady_clock::duration previous_took) {
  // The gap until the next batch, spun through when gaps have been short (a lone sender's
  // next message), measured either way so the spin follows the load.
  const auto idle_from = std::chrono::steady_clock::now();
  const bool had_work = queued.load(std::memory_order_acquire) > 0;
  if (!had_work && next_batch_spin.worth_it())
    next_batch_spin.spin([&] { return queued.load(std::memory_order_acquire) > 0; });
  std::unique_lock lock(mu);
  // A retention step is due once its rest after the last one is over (retention_due()).
  auto ready = [&] {
    return stopping || (!writer_paused() && (!queue.empty() || retention_request || retention_due()));
  };
  while (!ready()) {
    if (retention && !writer_paused())
      work_cv.wait_until(lock, retention_rest_until);
    else
      work_cv.wait(lock);
  }
  if (!queue.empty())
    next_batch_spin.observed(had_work ? std::chrono::steady_clock::duration::zero()
                                      : std::chrono::steady_clock::now() - idle_from);
  const std::size_t want = std::min(previous, options.max_batches_per_transaction);
  // An alarm never waits for throughput: a queued batch with alert transitions commits now.
  auto carries_alert = [&] {
    return std::any_of(queue.begin(), queue.end(),
                       [](const QueuedBatch& q) { return !q.batch->alerts.empty(); });
  };
  // A retention run goes on between commits: no waiting for senders while it has work.
  const bool retaining = retention_request || retention_due();
  if (!stopping && !carries_alert() && !retaining && queue.size() < want) {
    const auto limit =
        std::min<std::chrono::steady_clock::duration>(options.max_gather_wait, previous_took / 2);
    if (limit.count() > 0) {
      ++counters.gather_waits;
      // An alarm that arrives during the wait ends it too.
      work_cv.wait_for(lock, limit, [&] {
        return stopping || writer_paused() || queue.size() >= want || carries_alert();
      });
      work_cv.wait(lock, ready);  // paused meanwhile: wait for the resume, as above
    }
  }
  std::size_t n = std::min(queue.size(), options.max_batches_per_transaction);
  std::vector<QueuedBatch> work;
  work.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    work.push_back(std::move(queue.front()));
    queue.pop_front();
  }
  queued.store(queue.size(), std::memory_order_release);
  return work;
}

void Store::Impl::apply_faults() {
  const bool want = options.faults && options.faults->read_only();
  if (want == read_only_applied) return;
  db->exec(want ? "PRAGMA query_only = 1" : "PRAGMA query_only = 0");
  read_only_applied = want;
}

void Store::Impl::rollback() {
  if (!db->in_transaction()) return;  // SQLite already rolled back (disk full, I/O error)
  try {
    db->exec("ROLLBACK");
  } catch (const sqlite::Error&) {
    // Nothing more to do: the next BEGIN will report the connection's state.
  }
}

// Why the database must not be written any more ("" if it may).
std::string Store::Impl::file_problem() const {
  if (shm_faults() != shm_faults_at_open) {
    return "the database's -shm file faulted (SIGBUS: truncated, immutable or unbacked); restart vigild";
  }
  return identity->problem();
}

// Fails a whole transaction's worth of batches with one text.
std::vector<WriteOutcome> Store::Impl::failed(std::size_t batches, const std::string& text) {
  std::vector<WriteOutcome> outcomes(batches);
  for (WriteOutcome& o : outcomes) {
    o.ok = false;
    o.error = text;
  }
  std::lock_guard lock(mu);
  is_healthy = false;
  error_text = text;
  ++counters.failed_transactions;
  ++counters.transactions;
  counters.batches += batches;
  return outcomes;
}

// One transaction for all of `work`: all batches commit together or all fail together,
// with the same error text, and the writer carries on with the next batches.
//
// The file is checked before BEGIN (a vanished file is not written at all) and again after
// COMMIT: a file that vanished in between took this transaction with it, so it is reported
// failed (AR) too. Nothing is acknowledged that was committed after the file vanished.
std::vector<WriteOutcome> Store::Impl::commit(const std::vector<QueuedBatch>& work) {
  if (!damaged.empty()) return failed(work.size(), damaged);
  if (unusable.empty()) unusable = file_problem();
  if (!unusable.empty()) return failed(work.size(), "database unusable: " + unusable);
  std::vector<WriteOutcome> outcomes(work.size());
  std::size_t reading_count = 0;
  try {
    apply_faults();
    {
      sqlite::ResetGuard reset(*begin);
      begin->step();
    }
    for (std::size_t i = 0; i < work.size(); ++i) {
      outcomes[i] = writer->write(*work[i].batch);
      reading_count += work[i].batch->readings.size();
    }
    sqlite::ResetGuard reset(*commit_statement);
    commit_statement->step();
  } catch (const sqlite::Error& e) {
    rollback();
    // Damage shows up only when a damaged page is read; say so, it needs a person, and it
    // lasts: from now on every write is refused with the same words until a restart (whose
    // start-up check refuses the file).
    if (is_damage(e.code())) {
      damaged = std::string("database damaged (see docs/reliability.md): ") + e.what() +
                "; writes refused until vigild is restarted on a sound file";
      return failed(work.size(), damaged);
    }
    return failed(work.size(), std::string("database write failed: ") + e.what());
  } catch (const std::exception& e) {  // bad_alloc copying a batch
    rollback();
    return failed(work.size(), std::string("database write failed: ") + e.what());
  }
  unusable = file_problem();
  if (!unusable.empty()) return failed(work.size(), "database unusable: " + unusable);
  std::lock_guard lock(mu);
  is_healthy = true;
  ++counters.transactions;
  counters.batches += work.size();
  counters.readings += reading_count;
  return outcomes;
}

}  // namespace vigil::store
