#include "support/db_check.hpp"

#include <sqlite3.h>

namespace vigil::test {

std::string sqlite_integrity_check(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    std::string error = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return "cannot open: " + error;
  }
  std::string result;
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &stmt, nullptr) == SQLITE_OK) {
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      if (!result.empty()) result += "\n";
      const unsigned char* text = sqlite3_column_text(stmt, 0);
      result += text ? reinterpret_cast<const char*>(text) : "(null)";
    }
  } else {
    result = std::string("cannot check: ") + sqlite3_errmsg(db);
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return result;
}

}  // namespace vigil::test
