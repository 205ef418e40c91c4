#pragma once
// The store's private parts, shared by store.cpp (the queue, group commit, the writer loop)
// and store_retention.cpp (retention runs between commits). Not part of the store's API.

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

#include "common/brief_spin.hpp"
#include "store/batch_writer.hpp"
#include "store/checkpointer.hpp"
#include "store/database_file.hpp"
#include "store/file_identity.hpp"
#include "store/retention.hpp"
#include "store/shm_fault_guard.hpp"
#include "store/store.hpp"
#include "store/writer_lock.hpp"

namespace vigil::store {

struct QueuedBatch {
  std::shared_ptr<const WriteBatch> batch;
  Store::Done done;
};

struct RetentionRequest {
  RetentionPolicy policy;
  WallMillis now_ms = 0;
  Store::RetentionDone done;
};

struct Store::Impl {
  explicit Impl(StoreOptions o)
      : options(std::move(o)),
        lock(options.path),
        shm_faults_at_open(shm_faults()),
        db(open_for_writing(options.path)),
        gate(opening<RetentionGate>(options.path, *db)),
        writer(opening<BatchWriter>(options.path, *db)),
        // BEGIN and COMMIT run once per transaction: prepared once, not parsed each time.
        begin(opening<sqlite::Statement>(options.path, *db, "BEGIN IMMEDIATE")),
        commit_statement(opening<sqlite::Statement>(options.path, *db, "COMMIT")),
        next_batch_spin(options.writer_spin) {
    identity = std::make_unique<FileIdentity>(options.path);  // the file exists only now
    checkpointer = opening<Checkpointer>(options.path, options.path, *db, options.checkpoint_pages,
                                         options.wal_bound_pages);
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

  // Makes a T on the new connection; its SQLite failure is a failure to open the database.
  template <class T, class... Args>
  static std::unique_ptr<T> opening(const std::string& path, Args&&... args) {
    try {
      return std::make_unique<T>(std::forward<Args>(args)...);
    } catch (const sqlite::Error& e) {
      throw StoreError("cannot open database", path, e.what());
    }
  }

  void run();
  void retention_step();
  void end_retention(const std::string& error);
  void retention_done_call(const RetentionReport& report);
  std::vector<QueuedBatch> take_next(std::size_t previous, std::chrono::steady_clock::duration previous_took);
  std::vector<WriteOutcome> commit(const std::vector<QueuedBatch>& work);
  void apply_faults();
  void rollback();
  std::string file_problem() const;
  std::vector<WriteOutcome> failed(std::size_t batches, const std::string& text);

  StoreOptions options;
  // Taken before the file is opened or migrated, released after everything else closed it.
  WriterLock lock;
  // Declaration order is destruction order reversed: the writer thread is joined (in
  // ~Store) before statements are finalized, and statements before the connection closes.
  // Declared before the connection so it is closed after it: closing any descriptor of a
  // file drops all of this process's POSIX locks on it, SQLite's included.
  std::unique_ptr<FileIdentity> identity;
  std::uint64_t shm_faults_at_open = 0;
  std::unique_ptr<sqlite::Connection> db;
  // After the connection in declaration order, so stopped before it closes: the writer's
  // close is then the last, which checkpoints and removes the -wal file.
  std::unique_ptr<Checkpointer> checkpointer;
  // Set (writer thread only) once the database can no longer be trusted with a write: the
  // file vanished or was replaced, or the -shm mapping faulted. Never cleared: every later
  // batch fails without touching the database, so nothing is acknowledged into it.
  std::string unusable;
  // Set (writer thread only) once a commit met a damaged page (SQLITE_CORRUPT/NOTADB). Never
  // cleared either: the next write that touches only sound pages (the T8 about this very
  // failure, say) would otherwise mark the store healthy again, resolve T8 within
  // milliseconds and let /healthz say "ok" while every reading is refused.
  std::string damaged;
  std::unique_ptr<RetentionGate> gate;  // lets retention (only) delete from the logs
  std::unique_ptr<BatchWriter> writer;
  std::unique_ptr<RetentionRun> retention;  // writer thread: the run going, if any
  Store::RetentionDone retention_done;
  // Retention takes at most a quarter of the writer's time: after a step of d, none for 3d,
  // so most commits during a run do not wait behind a step (tests/store/retention_bench).
  std::chrono::steady_clock::time_point retention_rest_until{};
  bool retention_due() const {
    return retention != nullptr && std::chrono::steady_clock::now() >= retention_rest_until;
  }
  std::unique_ptr<sqlite::Statement> begin, commit_statement;

  mutable std::mutex mu;
  std::condition_variable work_cv;  // writer waits: work queued, resumed, or stopping
  std::condition_variable done_cv;  // flush waits: completed advanced
  std::deque<QueuedBatch> queue;
  std::atomic<std::size_t> queued{0};                 // queue.size(), for the writer's spin without `mu`
  BriefSpin next_batch_spin;                          // writer thread only
  std::optional<RetentionRequest> retention_request;  // taken by the writer between commits
  bool retention_busy = false;                        // a run is requested or going
  bool stopping = false;
  bool read_only_applied = false;  // StoreFaults::read_only, as the writer last applied it
  std::uint64_t accepted = 0;      // batches queued so far
  std::uint64_t completed = 0;     // batches whose done() has returned
  bool is_healthy = true;
  std::string error_text;
  StoreStats counters;
  std::thread thread;
};

}  // namespace vigil::store
