#include "store/checkpointer.hpp"

#include <cstring>

#include "store/shm_fault_guard.hpp"

namespace vigil::store {

namespace {
// What SQLite's auto-checkpoint uses, for the databases this class leaves to the writer.
constexpr int kSqliteAutoCheckpointPages = 1000;
}  // namespace

Checkpointer::Checkpointer(const std::string& path, sqlite::Connection& writer,
                           std::uint32_t background_pages, std::uint32_t writer_bound_pages)
    : writer_(writer),
      own_(std::make_unique<sqlite::Connection>(path, SQLITE_OPEN_READWRITE)),
      background_pages_(background_pages == 0 ? 1 : background_pages),
      writer_bound_pages_(writer_bound_pages == 0 ? 1 : writer_bound_pages),
      shm_faults_at_start_(shm_faults()),
      next_request_at_(background_pages_) {
  // A checkpoint that finds the writer's lock busy gives up at once (PASSIVE) and is asked
  // again after the next commit: it must never wait on the writer.
  own_->exec("PRAGMA busy_timeout = 0");
  own_->exec("PRAGMA synchronous = FULL");  // the database file is fsynced before the log restarts
  sqlite3_wal_hook(writer_.get(), &Checkpointer::on_commit, this);
  thread_ = std::thread([this] { run(); });
}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
  sqlite3_wal_autocheckpoint(writer_.get(), kSqliteAutoCheckpointPages);  // replaces our hook
}

Checkpointer::Counts Checkpointer::counts() const {
  return Counts{background_.load(std::memory_order_relaxed), by_writer_.load(std::memory_order_relaxed)};
}

// On the writer thread, after each commit, with the log's length in pages.
int Checkpointer::on_commit(void* self_ptr, sqlite3* db, const char* name, int pages) {
  auto* self = static_cast<Checkpointer*>(self_ptr);
  if (std::strcmp(name, "main") != 0) {
    if (pages >= kSqliteAutoCheckpointPages)
      sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    return SQLITE_OK;
  }
  if (static_cast<std::uint32_t>(pages) >= self->writer_bound_pages_ &&
      shm_faults() == self->shm_faults_at_start_) {
    if (sqlite3_wal_checkpoint_v2(db, name, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr) == SQLITE_OK)
      self->by_writer_.fetch_add(1, std::memory_order_relaxed);
    return SQLITE_OK;  // a failed checkpoint fails no commit: the next one tries again
  }
  // Woken once per `background_pages` of growth, not after every commit past it: a log that
  // keeps growing while it is copied (a steady sender) would otherwise get a checkpoint, and
  // its fsync beside the writer's, per commit.
  const auto now = static_cast<std::uint32_t>(pages);
  if (now < self->last_pages_) self->next_request_at_ = self->background_pages_;  // restarted
  self->last_pages_ = now;
  if (now >= self->next_request_at_) {
    self->next_request_at_ = now + self->background_pages_;
    {
      std::lock_guard lock(self->mu_);
      self->requested_ = true;
    }
    self->wake_.notify_one();
  }
  return SQLITE_OK;
}

void Checkpointer::run() {
  std::unique_lock lock(mu_);
  for (;;) {
    wake_.wait(lock, [this] { return requested_ || stopping_; });
    if (stopping_) return;
    requested_ = false;
    lock.unlock();
    if (shm_faults() == shm_faults_at_start_ &&
        sqlite3_wal_checkpoint_v2(own_->get(), "main", SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr) ==
            SQLITE_OK)
      background_.fetch_add(1, std::memory_order_relaxed);
    // Busy (another checkpoint, a backup's read) or failed: the next commit asks again.
    lock.lock();
  }
}

}  // namespace vigil::store
