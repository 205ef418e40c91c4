#include "store/schema.hpp"

#include <string>

#include "store/observation_sets.hpp"
#include "store/outbox.hpp"
#include "store/retention_gate.hpp"
#include "store/utf8_repair.hpp"

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

// Version 2: the context of each reading, and the alert, session and configuration logs.
// ALTER TABLE ADD COLUMN leaves existing rows (NULL in the new columns) and the readings
// triggers as they are, so a version-1 file is migrated in place without rewriting a row.
constexpr const char* kUpgradeToV2 = R"sql(
ALTER TABLE readings ADD COLUMN verified INTEGER;
ALTER TABLE readings ADD COLUMN phase TEXT;
ALTER TABLE readings ADD COLUMN baseline_sys REAL;
ALTER TABLE readings ADD COLUMN baseline_dia REAL;
ALTER TABLE readings ADD COLUMN session_id TEXT;
CREATE TABLE alert_log (
  id INTEGER PRIMARY KEY,
  alert_id TEXT NOT NULL,
  bed TEXT NOT NULL,
  rule TEXT NOT NULL,
  priority TEXT NOT NULL,
  state TEXT NOT NULL,
  transition TEXT NOT NULL,
  kind TEXT NOT NULL,
  value REAL,
  limit_value REAL,
  baseline REAL,
  message TEXT NOT NULL,
  limits TEXT NOT NULL,
  profile TEXT NOT NULL,
  user TEXT NOT NULL,
  phase TEXT NOT NULL,
  at_ms INTEGER NOT NULL,
  onset_ms INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  subject TEXT NOT NULL,
  escalated INTEGER NOT NULL,
  acknowledged_by TEXT NOT NULL,
  session_id TEXT NOT NULL
);
CREATE INDEX alert_log_by_bed_time ON alert_log (bed, at_ms);
CREATE INDEX alert_log_by_time ON alert_log (at_ms);
CREATE INDEX alert_log_by_alert ON alert_log (alert_id);
CREATE TABLE session_log (
  id INTEGER PRIMARY KEY,
  bed TEXT NOT NULL,
  session_id TEXT NOT NULL,
  event TEXT NOT NULL,
  user TEXT NOT NULL,
  at_ms INTEGER NOT NULL,
  phase TEXT NOT NULL,
  state BLOB NOT NULL
);
CREATE INDEX session_log_by_bed_time ON session_log (bed, at_ms);
CREATE INDEX session_log_by_session ON session_log (session_id);
CREATE TABLE config_log (
  id INTEGER PRIMARY KEY,
  at_ms INTEGER NOT NULL,
  what TEXT NOT NULL,
  detail TEXT NOT NULL
);
)sql";

// One pair of triggers per table: records are evidence, never edited after the AA.
// Version 4: why an observation was not a reading ("OBX-5 '12O' is not a number", "known,
// not tracked by Vigil"), for vigilctl unmapped. NULL on rows written before. Skipped when
// the column is there already (a file whose user_version was set back by hand or a tool).
void add_unmapped_reason(sqlite::Connection& db) {
  if (db.query_int("SELECT COUNT(*) FROM pragma_table_info('unmapped_observations') WHERE name = 'reason'") >
      0)
    return;
  db.exec("ALTER TABLE unmapped_observations ADD COLUMN reason TEXT");
}

// Version 6: the vital an alert is about ("NIBP_SYS") and which way its value crossed the
// limit ("above", "below"), as the engine set them; the forwarder's HL7 alert event reads
// them instead of the alert's text. Older rows keep NULL (not known). Skipped when there
// already, like the reason column.
void add_alert_metric(sqlite::Connection& db) {
  if (db.query_int("SELECT COUNT(*) FROM pragma_table_info('alert_log') WHERE name = 'metric'") > 0) return;
  db.exec("ALTER TABLE alert_log ADD COLUMN metric TEXT");
  db.exec("ALTER TABLE alert_log ADD COLUMN direction TEXT");
}

// Version 9: escalation steps of unacknowledged alarms (proto EscalationEvent; docs/alarms.md,
// "Escalation"), one row per step, "no one on call" steps included. A table of its own, not
// alert_log rows: a step is not an alert transition (the engine's state, its restore and the
// HL7 forwarding of transitions stay as they were). IF NOT EXISTS: a file whose
// user_version was set back keeps its rows.
constexpr const char* kCreateEscalationLog = R"sql(
CREATE TABLE IF NOT EXISTS escalation_log (
  id INTEGER PRIMARY KEY,
  alert_id TEXT NOT NULL,
  bed TEXT NOT NULL,
  tier INTEGER NOT NULL,
  target TEXT NOT NULL,
  priority TEXT NOT NULL,
  message TEXT NOT NULL,
  at_ms INTEGER NOT NULL,
  user TEXT NOT NULL,
  no_one_on_call INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS escalation_log_by_alert ON escalation_log (alert_id);
CREATE INDEX IF NOT EXISTS escalation_log_by_time ON escalation_log (at_ms);
)sql";

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
                                            " is newer than this build (" + std::to_string(kSchemaVersion) +
                                            ")");
    }
    if (version < 1) {
      db.exec(kCreateV1);
      db.exec(append_only_triggers("readings"));
      db.exec(append_only_triggers("unmapped_observations"));
    }
    if (version < 2) {
      db.exec(kUpgradeToV2);
      for (const char* table : {"alert_log", "session_log", "config_log"}) {
        db.exec(append_only_triggers(table));
      }
    }
    if (version < 3) create_outbox_tables(db);  // the forwarding outbox, empty until used
    // Text that is not UTF-8 (stored before the HL7 codec transcoded) would be replayed
    // into protobuf strings that clients refuse: rewrite it (utf8_repair.hpp).
    if (version < 4) repair_invalid_utf8_text(db);
    if (version < 5) add_unmapped_reason(db);
    if (version < 6) add_alert_metric(db);
    if (version < 7) {
      // Readings become observation sets (observation_sets.hpp), the per-vital table a view.
      if (migrate_readings_to_sets(db)) {
        for (const char* table : {"observation_sets", "bed_kinds"}) db.exec(append_only_triggers(table));
      }
    }
    if (version < 8) {
      // Rows may leave the logs, but only by retention, only to the archive
      // (retention_gate.hpp); UPDATE stays refused.
      for (const RetainedTable& t : retained_tables()) {
        db.exec(std::string("DROP TRIGGER IF EXISTS ") + t.name + "_no_DELETE");
        db.exec(gated_delete_trigger(t.name));
      }
    }
    if (version < 9) {
      const bool existed =
          db.query_int(
              "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'escalation_log'") > 0;
      db.exec(kCreateEscalationLog);
      if (!existed) db.exec(append_only_triggers("escalation_log"));
    }
    // Version 10: observation_sets.verified may be 2, a late reading (an old result sent
    // again), which is not verified. Nothing to change in the file; the version keeps an
    // older build, which would read 2 as verified, from writing to it.
    // Later versions: `if (version < 11) { ALTER/CREATE ... }` here, in order.
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
