#pragma once
// Is the database file sound? SQLite's own checks, run before the daemon trusts a file:
// a quick one at every start (PRAGMA quick_check) and a full one on request
// (`vigild --check-db`, PRAGMA integrity_check). A file with damaged pages opens without
// complaint and fails only when the damaged page is read, maybe weeks later and maybe for
// a reading that was acknowledged (AA) long ago; checking first turns that into a clear
// refusal to start, with a recovery path (docs/reliability.md, "Damaged database").

#include <cstddef>
#include <string>
#include <vector>

#include "store/records.hpp"
#include "store/sqlite_handle.hpp"

namespace vigil::store {

// The database is damaged (or is not an SQLite database). what() is one line:
// "database PATH is damaged: REASON".
struct DatabaseDamaged : StoreError {
  DatabaseDamaged(const std::string& path, const std::string& reason)
      : StoreError("database", path, "is damaged: " + reason) {}
};

enum class CheckDepth { Quick, Full };

// At most this many problems are kept (integrity_check can list one per bad row).
inline constexpr std::size_t kMaxCheckProblems = 20;

// Runs quick_check or integrity_check on `db`. Empty: the file is sound; otherwise SQLite's
// findings, at most kMaxCheckProblems. Throws sqlite::Error for failures other than damage.
std::vector<std::string> check_connection(sqlite::Connection& db, CheckDepth depth);

// True for the result codes that mean "this file is damaged" (SQLITE_CORRUPT, SQLITE_NOTADB
// and their extended codes), as opposed to a busy file or a missing one.
bool is_damage(int sqlite_code);

// Opens `path` read-only and checks it. Throws StoreError if it cannot be opened.
std::vector<std::string> check_database(const std::string& path, CheckDepth depth);

}  // namespace vigil::store
