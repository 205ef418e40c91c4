#include "store/database_file.hpp"

#include <fcntl.h>
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
void create_owner_only(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
  if (fd < 0) {
    int err = errno;
    std::string reason = std::strerror(err);
    if (err == ENOENT) reason += " (does the directory exist?)";
    throw StoreError(kAction, path, reason);
  }
  ::close(fd);
}

}  // namespace

std::unique_ptr<sqlite::Connection> open_for_writing(const std::string& path) {
  if (path.empty()) throw StoreError(kAction, "''", "no path given");
  create_owner_only(path);
  try {
    auto db = std::make_unique<sqlite::Connection>(path, SQLITE_OPEN_READWRITE);
    configure_writer(*db);  // the first statement: "file is not a database" shows up here
    // Before the schema step writes anything. Reads every page's structure once: measured
    // about 0.1 s per 100 MB on the CI machine, paid once per start.
    const std::vector<std::string> problems = check_connection(*db, CheckDepth::Quick);
    if (!problems.empty()) throw DatabaseDamaged(path, "quick_check: " + problems.front());
    ensure_schema(*db);
    return db;
  } catch (const sqlite::Error& e) {
    if (is_damage(e.code())) throw DatabaseDamaged(path, e.what());
    throw StoreError(kAction, path, e.what());
  }
}

}  // namespace vigil::store
