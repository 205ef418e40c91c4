#include "store/database_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "store/database_check.hpp"
#include "store/records.hpp"
#include "store/schema.hpp"

namespace vigil::store {

namespace {

constexpr const char* kAction = "cannot open database";

// open(O_CREAT, 0600) rather than umask: umask is process-wide and other threads create
// files too. Without O_EXCL an existing database is simply left as it is.
void create_owner_only(const std::string& path, const char* action = kAction) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
  if (fd < 0) {
    int err = errno;
    std::string reason = std::strerror(err);
    if (err == ENOENT) reason += " (does the directory exist?)";
    throw StoreError(action, path, reason);
  }
  ::close(fd);
}

// mkdir -p with mode 0700 for the directories it creates (existing ones keep theirs).
void make_owner_only_dirs(const std::string& dir, const char* action) {
  for (std::size_t at = 1; at <= dir.size(); ++at) {
    if (at != dir.size() && dir[at] != '/') continue;
    const std::string part = dir.substr(0, at);
    if (::mkdir(part.c_str(), 0700) != 0 && errno != EEXIST)
      throw StoreError(action, dir, std::strerror(errno));
  }
}

}  // namespace

std::unique_ptr<sqlite::Connection> open_for_writing(const std::string& path) {
  if (path.empty()) throw StoreError(kAction, "''", "no path given");
  create_owner_only(path);
  try {
    auto db = std::make_unique<sqlite::Connection>(path, SQLITE_OPEN_READWRITE);
    configure_writer(*db);  // the first statement: "file is not a database" shows up here
    // Before the schema step writes anything. Reads every b-tree page once, paid once per
    // start: measured +2.5 s (3.3 s instead of 0.9 s to "listening") for a 356 MB file of
    // 3 million readings on the shared 2-core build machine. The full integrity_check (also
    // cross-checks every index entry) took 12-14 s there, hence only on request.
    const std::vector<std::string> problems = check_connection(*db, CheckDepth::Quick);
    if (!problems.empty()) throw DatabaseDamaged(path, "quick_check: " + problems.front());
    ensure_schema(*db);
    return db;
  } catch (const sqlite::Error& e) {
    if (is_damage(e.code())) throw DatabaseDamaged(path, e.what());
    throw StoreError(kAction, path, e.what());
  }
}

void ensure_archive(const std::string& path) {
  constexpr const char* kArchiveAction = "cannot open archive";
  const std::size_t slash = path.rfind('/');
  if (slash != std::string::npos && slash > 0) make_owner_only_dirs(path.substr(0, slash), kArchiveAction);
  create_owner_only(path, kArchiveAction);
  try {
    sqlite::Connection db(path, SQLITE_OPEN_READWRITE);
    db.exec("PRAGMA busy_timeout = 5000");
    db.query_text("PRAGMA journal_mode = WAL");
    db.exec("PRAGMA synchronous = FULL");
    ensure_schema(db);
  } catch (const sqlite::Error& e) {
    throw StoreError(kArchiveAction, path, e.what());
  }
}

}  // namespace vigil::store
