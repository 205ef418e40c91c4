#pragma once
// Checkpoints the live database's write-ahead log on a thread of its own.
//
// In WAL mode every commit appends pages to DB-wal; a checkpoint copies them back into the
// database file (and fsyncs it) so the log can start over. SQLite's default runs the
// checkpoint inside the commit that crossed 1,000 pages, on the writer thread: that commit's
// ACKs and alarms, and every batch queued behind it, waited for a few milliseconds of page
// copying and a second fsync, about once a second at 1,000 chairs (the tail of the alert
// latency). Here the writer's commit only notes the log's length; this thread runs the
// (PASSIVE) checkpoint on its own connection, beside the commits, and the writer's next
// transaction restarts the log once it is copied.
//
// Bounded all the same: if this thread falls behind (a slow disk, a long-running reader)
// and the log reaches `writer_bound_pages`, the writer checkpoints itself after its commit,
// as SQLite would. So does a flood that leaves the writer no idle moment: the log restarts
// only when a transaction begins after a checkpoint copied all of it, and every transaction
// then begins while the previous commit's pages are still being copied (measured: one
// writer checkpoint per cycle at 30,000 messages/s; extra passes here did not change that,
// nor the rate). Databases ATTACHed by retention (archives) are checkpointed by the
// writer as before. After a fault in the shared wal-index (shm_fault_guard.hpp) nothing is
// checkpointed any more: the pages this process sees may not be the shared ones.

#include <sqlite3.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "store/sqlite_handle.hpp"

namespace vigil::store {

class Checkpointer {
 public:
  struct Counts {
    std::uint64_t background = 0;  // checkpoints run by this thread
    std::uint64_t by_writer = 0;   // run by the writer: the log reached writer_bound_pages
  };

  // Opens its own connection to `path` and takes over `writer`'s WAL hook (SQLite's
  // auto-checkpoint). `background_pages`: the log length that wakes this thread;
  // `writer_bound_pages`: the length at which the writer checkpoints itself.
  Checkpointer(const std::string& path, sqlite::Connection& writer, std::uint32_t background_pages,
               std::uint32_t writer_bound_pages);
  // Stops the thread and hands the writer back SQLite's auto-checkpoint. Call with the
  // writer connection idle (its thread joined).
  ~Checkpointer();
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  Counts counts() const;

 private:
  static int on_commit(void* self, sqlite3* db, const char* name, int pages);
  void run();

  sqlite::Connection& writer_;
  std::unique_ptr<sqlite::Connection> own_;
  const std::uint32_t background_pages_;
  const std::uint32_t writer_bound_pages_;
  const std::uint64_t shm_faults_at_start_;
  // Writer thread only (the WAL hook): the log's length at the last commit, and the length
  // that wakes this thread next.
  std::uint32_t last_pages_ = 0;
  std::uint32_t next_request_at_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool requested_ = false;
  bool stopping_ = false;
  std::atomic<std::uint64_t> background_{0};
  std::atomic<std::uint64_t> by_writer_{0};
  std::thread thread_;
};

}  // namespace vigil::store
