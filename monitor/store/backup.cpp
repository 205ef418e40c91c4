#include "store/backup.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <optional>

#include "store/database_check.hpp"
#include "store/sqlite_handle.hpp"

namespace vigil::store {

namespace {

constexpr const char* kAction = "cannot back up";
constexpr const char* kWriteAction = "cannot write backup";

bool exists(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0;
}

std::string directory_of(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

// fsync of a file or directory; a backup that is not on disk is not a backup.
void sync_path(const std::string& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd < 0) throw StoreError(kWriteAction, path, std::strerror(errno));
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) throw StoreError(kWriteAction, path, std::strerror(err));
}

// The copy under construction, owned by this run through an exclusive lock held until the
// end. A second backup to the same FILE is refused: it must never truncate or publish a
// copy that another run is still writing. The copy is removed with SQLite's journal beside
// it when the backup ends either way (once published, FILE is a second link to it).
class PartialFile {
 public:
  PartialFile(std::string path, const std::string& out) : path_(std::move(path)) {
    // 0600 whatever the umask: the copy holds what the database holds (chairs, readings).
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd_ < 0) throw StoreError(kWriteAction, out, std::strerror(errno));
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      const int err = errno;
      ::close(fd_);
      fd_ = -1;
      throw StoreError(kWriteAction, out,
                       err == EWOULDBLOCK ? "another backup to this file is running" : std::strerror(err));
    }
    // Ours now; whatever is in it was left by a killed run and is never a finished copy.
    if (::ftruncate(fd_, 0) != 0 || ::fchmod(fd_, 0600) != 0) {
      const int err = errno;
      remove();
      throw StoreError(kWriteAction, out, std::strerror(err));
    }
    remove_journals();
  }
  ~PartialFile() { remove(); }
  PartialFile(const PartialFile&) = delete;
  PartialFile& operator=(const PartialFile&) = delete;
  const std::string& path() const { return path_; }

  // Whether the name still leads to the file this run locked and wrote.
  bool still_ours() const {
    struct stat mine {};
    struct stat named {};
    return ::fstat(fd_, &mine) == 0 && ::stat(path_.c_str(), &named) == 0 && mine.st_dev == named.st_dev &&
           mine.st_ino == named.st_ino;
  }

 private:
  void remove_journals() const {
    for (const char* suffix : {"-journal", "-wal", "-shm"}) ::unlink((path_ + suffix).c_str());
  }
  void remove() {
    if (fd_ < 0) return;
    // Unlinked while still locked, so no other run can take the name over half-removed.
    ::unlink(path_.c_str());
    remove_journals();
    ::close(fd_);
    fd_ = -1;
  }

  std::string path_;
  int fd_ = -1;
};

// Copies all pages inside the read transaction the caller holds on `source`. Steps bound
// each hold of the destination's lock; because the source snapshot is held across steps,
// vigild's commits meanwhile never restart the copy (without it, every commit by another
// connection would start it over, and under steady ingest it might never finish).
std::int64_t copy_pages(sqlite::Connection& source, sqlite::Connection& dest) {
  sqlite3_backup* backup = sqlite3_backup_init(dest.get(), "main", source.get(), "main");
  if (!backup) throw sqlite::error_from(dest.get(), sqlite3_errcode(dest.get()), "backup init");
  int rc = SQLITE_OK;
  int busy_retries = 0;
  while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
    rc = sqlite3_backup_step(backup, kBackupPagesPerStep);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
      // Only the destination can be busy (someone else opened the partial file): bounded.
      if (++busy_retries > 100) break;
      sqlite3_sleep(50);
    }
  }
  const std::int64_t pages = sqlite3_backup_pagecount(backup);
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) throw sqlite::error_from(dest.get(), rc, "backup step");
  return pages;
}

// Errors a copy step meets writing the copy rather than reading the database.
bool is_destination_error(int code) {
  switch (code & 0xff) {
    case SQLITE_FULL:
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM: return true;
    default: return false;
  }
}

}  // namespace

BackupSummary backup_database(const std::string& db, const std::string& out) {
  struct stat st {};
  if (::stat(db.c_str(), &st) != 0) throw StoreError(kAction, db, std::strerror(errno));
  if (!S_ISREG(st.st_mode)) throw StoreError(kAction, db, "not a regular file");
  if (exists(out)) throw BackupTargetExists(out);

  std::optional<sqlite::Connection> source;
  try {
    source.emplace(db, SQLITE_OPEN_READONLY);
    source->exec("PRAGMA busy_timeout = 5000");
    // The snapshot: a read transaction begins at the first read and lasts until COMMIT.
    source->exec("BEGIN");
    source->query_int("SELECT COUNT(*) FROM sqlite_schema");
    // Every Vigil database, from the first schema on, says its version; any other SQLite
    // file would be "backed up" and reported sound while being no use to restore.
    if (source->query_int("PRAGMA user_version") <= 0)
      throw StoreError(kAction, db, "not a Vigil database (it has no Vigil schema version)");
  } catch (const sqlite::Error& e) {
    throw StoreError(kAction, db, e.what());
  }

  BackupSummary summary;
  PartialFile partial(out + ".partial", out);
  try {
    sqlite::Connection dest(partial.path(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    try {
      summary.pages = copy_pages(*source, dest);
    } catch (const sqlite::Error& e) {
      if (is_destination_error(e.code())) throw;
      throw StoreError("cannot copy", db + " to " + out, e.what());
    }
    source->exec("COMMIT");
    source.reset();
    // One self-contained file (no -wal beside it); vigild turns WAL on again when it
    // opens a restored copy.
    dest.query_text("PRAGMA journal_mode = DELETE");
    const auto problems = check_connection(dest, CheckDepth::Full);
    if (!problems.empty()) throw BackupDamaged(out, problems);
    summary.readings = dest.query_int("SELECT COUNT(*) FROM readings");
    summary.schema_version = static_cast<int>(dest.query_int("PRAGMA user_version"));
  } catch (const sqlite::Error& e) {
    throw StoreError(kWriteAction, out, e.what());
  }
  sync_path(partial.path(), O_RDONLY);
  if (!partial.still_ours()) throw StoreError(kWriteAction, out, "its partial copy was replaced meanwhile");
  // link() rather than rename(): it fails instead of replacing a FILE made meanwhile.
  if (::link(partial.path().c_str(), out.c_str()) != 0) {
    if (errno == EEXIST) throw BackupTargetExists(out);
    // Filesystems without hard links (vfat, some network mounts): rename, checked just before.
    const bool no_links = errno == EPERM || errno == ENOTSUP || errno == EXDEV;
    if (!no_links || exists(out) || ::rename(partial.path().c_str(), out.c_str()) != 0) {
      if (exists(out)) throw BackupTargetExists(out);
      throw StoreError(kWriteAction, out, std::strerror(errno));
    }
  }
  sync_path(directory_of(out), O_RDONLY | O_DIRECTORY);
  if (::stat(out.c_str(), &st) == 0) summary.bytes = static_cast<std::int64_t>(st.st_size);
  return summary;
}

}  // namespace vigil::store
