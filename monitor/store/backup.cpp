#include "store/backup.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "store/database_check.hpp"
#include "store/sqlite_handle.hpp"

namespace vigil::store {

namespace {

constexpr const char* kAction = "cannot back up";

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
  if (fd < 0) throw StoreError(kAction, path, std::strerror(errno));
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0) throw StoreError(kAction, path, std::strerror(err));
}

// The copy under construction, removed when the backup ends either way (once published,
// FILE is a second link to it).
class PartialFile {
 public:
  explicit PartialFile(std::string path) : path_(std::move(path)) {
    // Left by a backup that was killed: ours by its name, and never a finished copy.
    ::unlink(path_.c_str());
  }
  ~PartialFile() { ::unlink(path_.c_str()); }
  PartialFile(const PartialFile&) = delete;
  PartialFile& operator=(const PartialFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
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

}  // namespace

BackupSummary backup_database(const std::string& db, const std::string& out) {
  struct stat st {};
  if (::stat(db.c_str(), &st) != 0) throw StoreError(kAction, db, std::strerror(errno));
  if (!S_ISREG(st.st_mode)) throw StoreError(kAction, db, "not a regular file");
  if (exists(out)) throw BackupTargetExists(out);

  BackupSummary summary;
  PartialFile partial(out + ".partial");
  try {
    sqlite::Connection source(db, SQLITE_OPEN_READONLY);
    source.exec("PRAGMA busy_timeout = 5000");
    // The snapshot: a read transaction begins at the first read and lasts until COMMIT.
    source.exec("BEGIN");
    source.query_int("SELECT COUNT(*) FROM sqlite_schema");
    {
      sqlite::Connection dest(partial.path(), SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
      summary.pages = copy_pages(source, dest);
      source.exec("COMMIT");
      // One self-contained file (no -wal beside it); vigild turns WAL on again when it
      // opens a restored copy.
      dest.query_text("PRAGMA journal_mode = DELETE");
      const auto problems = check_connection(dest, CheckDepth::Full);
      if (!problems.empty()) throw BackupDamaged(out, problems);
      summary.readings = dest.query_int("SELECT COUNT(*) FROM readings");
      summary.schema_version = static_cast<int>(dest.query_int("PRAGMA user_version"));
    }
  } catch (const sqlite::Error& e) {
    throw StoreError(kAction, db, e.what());
  }
  sync_path(partial.path(), O_RDONLY);
  // link() rather than rename(): it fails instead of replacing a FILE made meanwhile.
  if (::link(partial.path().c_str(), out.c_str()) != 0) {
    if (errno == EEXIST) throw BackupTargetExists(out);
    // Filesystems without hard links (vfat, some network mounts): rename, checked just before.
    const bool no_links = errno == EPERM || errno == ENOTSUP || errno == EXDEV;
    if (!no_links || exists(out) || ::rename(partial.path().c_str(), out.c_str()) != 0) {
      if (exists(out)) throw BackupTargetExists(out);
      throw StoreError("cannot write backup", out, std::strerror(errno));
    }
  }
  sync_path(directory_of(out), O_RDONLY | O_DIRECTORY);
  if (::stat(out.c_str(), &st) == 0) summary.bytes = static_cast<std::int64_t>(st.st_size);
  return summary;
}

}  // namespace vigil::store
