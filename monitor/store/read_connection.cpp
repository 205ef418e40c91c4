#include "store/read_connection.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

#include "store/records.hpp"
#include "store/schema.hpp"

namespace vigil::store {

// The stat first: SQLite's own "unable to open database file" does not say why, and
// READONLY must never create an empty database by mistake.
ReadConnection open_for_reading(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw StoreError(kReadAction, path, std::strerror(errno));
  if (!S_ISREG(st.st_mode)) throw StoreError(kReadAction, path, "not a regular file");
  try {
    ReadConnection c;
    c.db = std::make_unique<sqlite::Connection>(path, SQLITE_OPEN_READONLY);
    c.db->exec("PRAGMA busy_timeout = 5000");
    c.version = c.db->query_int("PRAGMA user_version");
    if (c.version == 0) throw StoreError(kReadAction, path, "not a Vigil database (no schema)");
    if (c.version > kSchemaVersion) {
      throw StoreError(kReadAction, path,
                       "written by a newer Vigil (schema " + std::to_string(c.version) + ")");
    }
    return c;
  } catch (const sqlite::Error& e) {
    throw StoreError(kReadAction, path, e.what());
  }
}

}  // namespace vigil::store
