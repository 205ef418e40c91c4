#include "store/database_check.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

namespace vigil::store {

bool is_damage(int sqlite_code) {
  const int primary = sqlite_code & 0xff;
  return primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB;
}

std::vector<std::string> check_connection(sqlite::Connection& db, CheckDepth depth) {
  // The limit bounds both SQLite's work on a badly damaged file and what we keep.
  const std::string sql =
      std::string(depth == CheckDepth::Quick ? "PRAGMA quick_check(" : "PRAGMA integrity_check(") +
      std::to_string(kMaxCheckProblems) + ")";
  std::vector<std::string> problems;
  try {
    sqlite::Statement s(db, sql);
    while (s.step()) {
      std::string row = s.column_text(0);
      if (row == "ok") continue;
      // "*** in database main ***\nPage 7: ..." : one line per problem for logs and stderr.
      for (char& c : row) {
        if (c == '\n') c = ' ';
      }
      problems.push_back(std::move(row));
      if (problems.size() >= kMaxCheckProblems) break;
    }
  } catch (const sqlite::Error& e) {
    // A page so damaged that the check itself cannot walk the tree.
    if (!is_damage(e.code())) throw;
    problems.push_back(e.what());
  }
  return problems;
}

std::vector<std::string> check_database(const std::string& path, CheckDepth depth) {
  constexpr const char* kAction = "cannot check database";
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw StoreError(kAction, path, std::strerror(errno));
  if (!S_ISREG(st.st_mode)) throw StoreError(kAction, path, "not a regular file");
  try {
    sqlite::Connection db(path, SQLITE_OPEN_READONLY);
    db.exec("PRAGMA busy_timeout = 5000");
    return check_connection(db, depth);
  } catch (const sqlite::Error& e) {
    if (is_damage(e.code())) return {e.what()};
    throw StoreError(kAction, path, e.what());
  }
}

}  // namespace vigil::store
