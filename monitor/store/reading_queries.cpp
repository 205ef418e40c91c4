#include "store/reading_queries.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>

#include "store/schema.hpp"
#include "store/sqlite_handle.hpp"

namespace vigil::store {

namespace {

constexpr const char* kAction = "cannot read database";
constexpr const char* kColumns =
    "id, bed, kind, value, measured_at_ms, received_at_ms, source, valid, status";

// Opens read-only, after checking the file exists: SQLite's own "unable to open database
// file" does not say why, and READONLY must never create an empty database by mistake.
std::unique_ptr<sqlite::Connection> open_for_reading(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) throw StoreError(kAction, path, std::strerror(errno));
  if (!S_ISREG(st.st_mode)) throw StoreError(kAction, path, "not a regular file");
  try {
    auto db = std::make_unique<sqlite::Connection>(path, SQLITE_OPEN_READONLY);
    db->exec("PRAGMA busy_timeout = 5000");
    std::int64_t version = db->query_int("PRAGMA user_version");
    if (version == 0) throw StoreError(kAction, path, "not a Vigil database (no schema)");
    if (version > kSchemaVersion) {
      throw StoreError(kAction, path,
                       "written by a newer Vigil (schema " + std::to_string(version) + ")");
    }
    return db;
  } catch (const sqlite::Error& e) {
    throw StoreError(kAction, path, e.what());
  }
}

// Maps one row selected with kColumns; false when the kind is unknown to this build.
bool read_row(const sqlite::Statement& s, StoredReading& out) {
  auto kind = vital_kind_from_string(s.column_text(2));
  if (!kind) return false;
  out.id = static_cast<std::uint64_t>(s.column_int(0));
  Reading& r = out.reading;
  r.bed = s.column_text(1);
  r.kind = *kind;
  r.value = s.column_is_null(3) ? std::numeric_limits<double>::quiet_NaN() : s.column_double(3);
  r.measured_at_ms = s.column_int(4);
  r.received_at_ms = s.column_int(5);
  r.source = s.column_text(6);
  r.valid = s.column_int(7) != 0;
  r.status = s.column_text(8);
  return true;
}

}  // namespace

std::size_t for_each_reading(const std::string& path, const ReadingFilter& filter,
                             const std::function<void(const StoredReading&)>& fn) {
  auto db = open_for_reading(path);
  std::size_t skipped = 0;
  try {
    std::string sql = std::string("SELECT ") + kColumns + " FROM readings WHERE 1";
    if (filter.bed) sql += " AND bed = ?1";
    if (filter.since_ms) sql += " AND measured_at_ms >= ?2";
    sql += " ORDER BY measured_at_ms, id";
    sqlite::Statement s(*db, sql);
    if (filter.bed) s.bind(1, *filter.bed);
    if (filter.since_ms) s.bind(2, std::int64_t{*filter.since_ms});
    StoredReading row;
    while (s.step()) {
      if (read_row(s, row)) {
        fn(row);
      } else {
        ++skipped;
      }
    }
  } catch (const sqlite::Error& e) {
    throw StoreError(kAction, path, e.what());
  }
  return skipped;
}

std::vector<StoredReading> latest_readings_in(const std::string& path) {
  auto db = open_for_reading(path);
  std::vector<StoredReading> out;
  try {
    // Walk the distinct (bed, kind) pairs with the index, one seek each, then take the
    // newest row of each: no full scan however long the history grows.
    sqlite::Statement next_pair(*db,
                                "SELECT bed, kind FROM readings WHERE (bed, kind) > (?1, ?2) "
                                "ORDER BY bed, kind LIMIT 1");
    sqlite::Statement newest(*db, std::string("SELECT ") + kColumns +
                                      " FROM readings WHERE bed = ?1 AND kind = ?2 "
                                      "ORDER BY measured_at_ms DESC, id DESC LIMIT 1");
    // Start at ('', ''): every stored kind is a non-empty name, so even readings with an
    // empty (unresolved) bed sort after it.
    std::string bed, kind;
    for (;;) {
      sqlite::ResetGuard g1(next_pair);
      next_pair.bind(1, bed);
      next_pair.bind(2, kind);
      if (!next_pair.step()) break;
      bed = next_pair.column_text(0);
      kind = next_pair.column_text(1);
      sqlite::ResetGuard g2(newest);
      newest.bind(1, bed);
      newest.bind(2, kind);
      StoredReading row;
      if (newest.step() && read_row(newest, row)) out.push_back(std::move(row));
    }
  } catch (const sqlite::Error& e) {
    throw StoreError(kAction, path, e.what());
  }
  return out;
}

}  // namespace vigil::store
