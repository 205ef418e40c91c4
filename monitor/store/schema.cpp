#include "store/schema.hpp"

#include <string>

namespace vigil::store {

namespace {

// Version 1. Times are epoch milliseconds (UTC). `value` may be NULL: SQLite stores a NaN
// as NULL, and a NOT NULL there would let one odd value fail a whole group commit.
constexpr const char* kCreateV1 = R"sql(
CREATE TABLE readings (
  id INTEGER PRIMARY KEY,
  bed TEXT NOT NULL,
  kind TEXT NOT NULL,
  value REAL,
  unit TEXT NOT NULL,
  measured_at_ms INTEGER NOT NULL,
  received_at_ms INTEGER NOT NULL,
  source TEXT NOT NULL,
  valid INTEGER NOT NULL,
  status TEXT NOT NULL
);
CREATE INDEX readings_by_bed_time ON readings (bed, measured_at_ms);
CREATE INDEX readings_by_time ON readings (measured_at_ms);
CREATE INDEX readings_by_bed_kind_time ON readings (bed, kind, measured_at_ms);
CREATE TABLE unmapped_observations (
  id INTEGER PRIMARY KEY,
  bed TEXT NOT NULL,
  source TEXT NOT NULL,
  code TEXT NOT NULL,
  value TEXT NOT NULL,
  unit TEXT NOT NULL,
  measured_at_ms INTEGER NOT NULL,
  received_at_ms INTEGER NOT NULL
);
CREATE INDEX unmapped_by_time ON unmapped_observations (measured_at_ms);
)sql";

// One pair of triggers per table: records are evidence, never edited after the AA.
std::string append_only_triggers(const std::string& table) {
  std::string sql;
  for (const char* op : {"UPDATE", "DELETE"}) {
    sql += "CREATE TRIGGER " + table + "_no_" + op + " BEFORE " + op + " ON " + table +
           " BEGIN SELECT RAISE(ABORT, '" + table + " is append-only'); END;\n";
  }
  return sql;
}

}  // namespace

void configure_writer(sqlite::Connection& db) {
  db.exec("PRAGMA busy_timeout = 5000");
  std::string mode = db.query_text("PRAGMA journal_mode = WAL");
  if (mode != "wal") {
    throw sqlite::Error(SQLITE_ERROR, "cannot switch to WAL journal (got '" + mode + "')");
  }
  db.exec("PRAGMA synchronous = FULL");
}

void ensure_schema(sqlite::Connection& db) {
  // IMMEDIATE: two daemons started on one file must not both create the tables.
  db.exec("BEGIN IMMEDIATE");
  try {
    std::int64_t version = db.query_int("PRAGMA user_version");
    if (version > kSchemaVersion) {
      throw sqlite::Error(SQLITE_ERROR, "database schema version " + std::to_string(version) +
                                            " is newer than this build (" +
                                            std::to_string(kSchemaVersion) + ")");
    }
    if (version < 1) {
      db.exec(kCreateV1);
      db.exec(append_only_triggers("readings"));
      db.exec(append_only_triggers("unmapped_observations"));
    }
    // Later versions: `if (version < 2) { ALTER/CREATE ... }` here, in order.
    if (version < kSchemaVersion) {
      db.exec("PRAGMA user_version = " + std::to_string(kSchemaVersion));
    }
    db.exec("COMMIT");
  } catch (...) {
    if (db.in_transaction()) {
      try {
        db.exec("ROLLBACK");
      } catch (const sqlite::Error&) {
        // The original error is the one worth reporting.
      }
    }
    throw;
  }
}

}  // namespace vigil::store
