#pragma once
// Durable storage of readings in SQLite, with group commit.
//
//   io thread:  submit(batch, done) --> [bounded queue] --> writer thread:
//               [gather: wait briefly for as many batches as the last commit had]
//               BEGIN IMMEDIATE; insert up to max_batches_per_transaction batches; COMMIT
//               then done(outcome) for each batch, in submission order
//
// Why a writer thread: COMMIT with synchronous=FULL waits for fsync, which the io thread
// must never do. Why group commit: an HL7 AA is sent only after the message's readings are
// committed; one fsync per transaction instead of per message keeps that fast when many
// monitors send at once.
//
// Threading: submit, flush, healthy, last_error, stats and the start-up queries
// (latest_readings, open_sessions, alert_log_rows, unresolved_alerts) are safe from any
// thread. done() runs on the writer thread: keep it short (post to your own thread),
// do not throw, do not call flush() from it. The destructor stops accepting work, commits
// everything still queued, calls every done(), then joins the writer.

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "store/log_queries.hpp"
#include "store/reading_queries.hpp"
#include "store/records.hpp"
#include "store/retention.hpp"
#include "store/store_faults.hpp"

namespace vigil::store {

struct StoreOptions {
  std::string path;
  std::size_t max_pending_batches = 8192;  // back-pressure bound
  std::size_t max_batches_per_transaction = 1024;
  // Gathering: after a commit of n batches the writer waits, at most this long and at most
  // half as long as that commit took, for n batches to be queued before the next BEGIN.
  // Senders that wait for their ACK come back just after a commit; without this wait the
  // next commit takes the few that were quick and the rest wait a whole fsync longer
  // (commits alternate between halves of the senders). 0 turns it off.
  std::chrono::microseconds max_gather_wait{1000};
  // After a commit with nothing queued, the writer spins up to this long for the next batch
  // before it sleeps, while the gaps it has seen lately were shorter (common/brief_spin.hpp):
  // a lone sender's next message then starts its commit without a wake-up. 0 turns it off.
  std::chrono::microseconds writer_spin{0};
  // The write-ahead log is checkpointed by a thread of its own once it holds this many pages
  // (checkpointer.hpp), and by the writer itself, after its commit, once it holds
  // `wal_bound_pages` (that thread fell behind): the log's length stays bounded either way.
  std::uint32_t checkpoint_pages = 1000;
  std::uint32_t wal_bound_pages = 2000;  // 8 MiB of 4 KiB pages
  // Tests only: switches that make this store fail on purpose (store_faults.hpp).
  std::shared_ptr<StoreFaults> faults = nullptr;
};

// Counters since start. `batches` and `transactions` include failed ones; `readings` counts
// committed readings only; `pending` is the queue length now; `gather_waits` counts commits
// that waited for returning senders (StoreOptions::max_gather_wait).
struct StoreStats {
  std::uint64_t batches = 0, transactions = 0, readings = 0, failed_transactions = 0;
  std::uint64_t gather_waits = 0;
  std::size_t pending = 0;
  // Checkpoints of the log (checkpointer.hpp): by its own thread, and by the writer when the
  // log reached StoreOptions::wal_bound_pages.
  std::uint64_t checkpoints = 0, writer_checkpoints = 0;
  // How long each transaction took on the writer thread, BEGIN to COMMIT (its fsync
  // included) and the file checks around them, failed ones too: the metrics port's
  // vigil_store_commit_seconds. commit_buckets[i] counts transactions <= kCommitBounds[i]
  // seconds (cumulative); the count of all is `transactions`.
  static constexpr std::array<double, 12> kCommitBounds{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                        0.05,   0.1,   0.25,   0.5,   1,    2.5};
  std::array<std::uint64_t, 12> commit_buckets{};
  double commit_seconds_sum = 0;
};

class Store {
 public:
  // Opens or creates the database (0600), starts the writer thread; throws StoreError.
  explicit Store(StoreOptions options);
  // Drains: every queued batch is committed and its done() called, then the writer stops.
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  using Done = std::function<void(WriteOutcome)>;
  // Thread-safe. Queues `batch` for the next group commit; `done` runs on the writer thread
  // after COMMIT (or its failure). Returns false without queuing when the queue is full.
  bool submit(WriteBatch batch, Done done);
  // The same without a copy: the caller may keep reading `batch` (not change it) until
  // done() has run, e.g. to announce what was stored.
  bool submit(std::shared_ptr<const WriteBatch> batch, Done done);
  using RetentionDone = std::function<void(const RetentionReport&)>;
  // Thread-safe. Starts a retention run (retention.hpp) on the writer thread with `now_ms`
  // as its clock; its steps take turns with group commits, so ingest keeps flowing. `done`
  // runs on the writer thread when it is over. False, starting nothing, while a run is
  // queued or going, or when stopping. A run cut short by the destructor reports so.
  bool retain(RetentionPolicy policy, WallMillis now_ms, RetentionDone done);
  // Blocks until everything submitted before is done. Returns at once on the writer thread;
  // waits for StoreFaults::resume_writer() while paused.
  void flush();
  // False after a failed transaction until one succeeds.
  bool healthy() const;
  // The text of the most recent failure ("" if none yet); kept after recovery.
  std::string last_error() const;
  StoreStats stats() const;
  // Latest reading per (bed, kind), for the daemon's snapshot after a restart. Safe from
  // any thread (own read-only connection). Throws StoreError if the read fails.
  std::vector<StoredReading> latest_readings();
  // For restoring sessions after a restart: per bed, the state logged with its last session
  // event, when that session is not closed. Read-only connection; throws StoreError.
  std::vector<proto::SessionInfo> open_sessions();
  // The number of alert_log rows (its highest row id): a restarted daemon numbers new alert
  // ids after it so they stay unique. Throws StoreError.
  std::uint64_t alert_log_rows();
  // Per alert id, its last logged transition unless RESOLVED: what was still showing when
  // the daemon stopped. Throws StoreError.
  std::vector<proto::AlertEvent> unresolved_alerts();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// for_each_reading, for_each_alert, for_each_session_event and their filters (read-only,
// for vigilctl) are in reading_queries.hpp and log_queries.hpp, included above so
// `#include "store/store.hpp"` gives the whole API.

}  // namespace vigil::store
