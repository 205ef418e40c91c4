#include "store/store.hpp"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <utility>

#include "store/batch_writer.hpp"
#include "store/database_check.hpp"
#include "store/database_file.hpp"
#include "store/file_identity.hpp"
#include "store/shm_fault_guard.hpp"

namespace vigil::store {

namespace {

struct Queued {
  std::shared_ptr<const WriteBatch> batch;
  Store::Done done;
};

}  // namespace

struct Store::Impl {
  explicit Impl(StoreOptions o)
      : options(std::move(o)),
        shm_faults_at_open(shm_faults()),
        db(open_for_writing(options.path)),
        writer(make_writer(*db, options.path)),
        begin(make_statement(*db, "BEGIN IMMEDIATE", options.path)),
        commit_statement(make_statement(*db, "COMMIT", options.path)) {
    identity = std::make_unique<FileIdentity>(options.path);  // the file exists only now
    options.max_pending_batches = std::max<std::size_t>(options.max_pending_batches, 1);
    options.max_batches_per_transaction = std::max<std::size_t>(options.max_batches_per_transaction, 1);
    if (options.faults) {
      // Under `mu`, so the wake-up cannot fall between the writer's check and its wait.
      options.faults->attach([this] {
        { std::lock_guard lock(mu); }
        work_cv.notify_all();
      });
    }
    thread = std::thread([this] { run(); });
  }

  bool writer_paused() const { return options.faults && options.faults->writer_paused(); }

  static std::unique_ptr<BatchWriter> make_writer(sqlite::Connection& db, const std::string& path) {
    try {
      return std::make_unique<BatchWriter>(db);
    } catch (const sqlite::Error& e) {
      throw StoreError("cannot open database", path, e.what());
    }
  }

  // BEGIN and COMMIT run once per transaction: prepared once rather than parsed each time.
  static std::unique_ptr<sqlite::Statement> make_statement(sqlite::Connection& db, const char* sql,
                                                           const std::string& path) {
    try {
      return std::make_unique<sqlite::Statement>(db, sql);
    } catch (const sqlite::Error& e) {
      throw StoreError("cannot open database", path, e.what());
    }
  }

  void run();
  std::vector<Queued> take_next(std::size_t previous, std::chrono::steady_clock::duration previous_took);
  std::vector<WriteOutcome> commit(const std::vector<Queued>& work);
  void apply_faults();
  void rollback();
  std::string file_problem() const;
  std::vector<WriteOutcome> failed(std::size_t batches, const std::string& text);

  StoreOptions options;
  // Declaration order is destruction order reversed: the writer thread is joined (in
  // ~Store) before statements are finalized, and statements before the connection closes.
  // Declared before the connection so it is closed after it: closing any descriptor of a
  // file drops all of this process's POSIX locks on it, SQLite's included.
  std::unique_ptr<FileIdentity> identity;
  std::uint64_t shm_faults_at_open = 0;
  std::unique_ptr<sqlite::Connection> db;
  // Set (writer thread only) once the database can no longer be trusted with a write: the
  // file vanished or was replaced, or the -shm mapping faulted. Never cleared: every later
  // batch fails without touching the database, so nothing is acknowledged into it.
  std::string unusable;
  std::unique_ptr<BatchWriter> writer;
  std::unique_ptr<sqlite::Statement> begin, commit_statement;

  mutable std::mutex mu;
  std::condition_variable work_cv;  // writer waits: work queued, resumed, or stopping
  std::condition_variable done_cv;  // flush waits: completed advanced
  std::deque<Queued> queue;
  bool stopping = false;
  bool read_only_applied = false;  // StoreFaults::read_only, as the writer last applied it
  std::uint64_t accepted = 0;      // batches queued so far
  std::uint64_t completed = 0;     // batches whose done() has returned
  bool is_healthy = true;
  std::string error_text;
  StoreStats counters;
  std::thread thread;
};

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
    impl_->queue.push_back(Queued{std::move(batch), std::move(done)});
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
    std::vector<Queued> work = take_next(previous, previous_took);
    if (work.empty()) return;  // stopping and drained
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
    }
    done_cv.notify_all();
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
std::vector<Queued> Store::Impl::take_next(std::size_t previous,
                                           std::chrono::steady_clock::duration previous_took) {
  std::unique_lock lock(mu);
  auto ready = [&] { return stopping || (!writer_paused() && !queue.empty()); };
  work_cv.wait(lock, ready);
  const std::size_t want = std::min(previous, options.max_batches_per_transaction);
  // An alarm never waits for throughput: a queued batch with alert transitions commits now.
  const bool carries_alert =
      std::any_of(queue.begin(), queue.end(), [](const Queued& q) { return !q.batch->alerts.empty(); });
  if (!stopping && !carries_alert && queue.size() < want) {
    const auto limit =
        std::min<std::chrono::steady_clock::duration>(options.max_gather_wait, previous_took / 2);
    if (limit.count() > 0) {
      ++counters.gather_waits;
      work_cv.wait_for(lock, limit, [&] { return stopping || writer_paused() || queue.size() >= want; });
      work_cv.wait(lock, ready);  // paused meanwhile: wait for the resume, as above
    }
  }
  std::size_t n = std::min(queue.size(), options.max_batches_per_transaction);
  std::vector<Queued> work;
  work.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    work.push_back(std::move(queue.front()));
    queue.pop_front();
  }
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
std::vector<WriteOutcome> Store::Impl::commit(const std::vector<Queued>& work) {
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
    // Damage shows up only when a damaged page is read; say so, it needs a person.
    return failed(work.size(),
                  std::string(is_damage(e.code()) ? "database damaged (see docs/reliability.md): "
                                                  : "database write failed: ") +
                      e.what());
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
