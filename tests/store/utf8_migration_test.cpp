// Schema step 4 (store/utf8_repair.hpp): a version-3 database that holds text which is not
// UTF-8 (a Latin-1 bed name stored verbatim by an older build) is rewritten with U+FFFD by
// the next writer, inside the migration transaction, and its append-only triggers hold
// again afterwards. The store also refuses to write such text in the first place.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "log_test_support.hpp"
#include "store/retention_gate.hpp"
#include "store/schema.hpp"
#include "store/sqlite_handle.hpp"
#include "store/store.hpp"
#include "store/utf8_repair.hpp"
#include "store_test_support.hpp"
#include "text/utf8.hpp"

namespace vigil::store {
namespace {

using ::testing::HasSubstr;
using testing::make_alert;
using testing::make_reading;
using testing::submit_and_wait;
using testing::TempDir;

const std::string kFffd(kReplacementCharacter);

// "FAUTEUIL-" followed by Latin-1 e-acute, as an older vigild stored it.
constexpr const char* kLatin1Bed = "CAST(X'464155544555494C2DE9' AS TEXT)";

// The per-vital readings table as builds before schema 7 made it (sets came later).
constexpr const char* kPerVitalReadings = R"sql(
CREATE TABLE readings (id INTEGER PRIMARY KEY, bed TEXT NOT NULL, kind TEXT NOT NULL, value REAL,
  unit TEXT NOT NULL, measured_at_ms INTEGER NOT NULL, received_at_ms INTEGER NOT NULL,
  source TEXT NOT NULL, valid INTEGER NOT NULL, status TEXT NOT NULL, verified INTEGER, phase TEXT,
  baseline_sys REAL, baseline_dia REAL, session_id TEXT);
CREATE TRIGGER readings_no_UPDATE BEFORE UPDATE ON readings BEGIN SELECT RAISE(ABORT, 'readings is append-only'); END;
CREATE TRIGGER readings_no_DELETE BEFORE DELETE ON readings BEGIN SELECT RAISE(ABORT, 'readings is append-only'); END;
)sql";

// Rows as a version-3 build left them: the file is made by this build, its readings put
// back into the per-vital table of that era, then its text is spoiled with raw SQL (INSERT
// is allowed by the triggers) and its version set back to 3.
void make_v3_with_latin1(const std::string& path) {
  {
    Store store({path});
    WriteBatch batch;
    batch.alerts = {make_alert("CHAIR1-P2-1", "CHAIR1", "ACTIVE", "raised", 1000)};
    ASSERT_TRUE(submit_and_wait(store, batch).ok);
  }
  sqlite::Connection db(path, SQLITE_OPEN_READWRITE);
  db.exec("DROP VIEW readings; DROP TABLE observation_sets; DROP TABLE bed_kinds");
  db.exec(kPerVitalReadings);
  const std::string bed = kLatin1Bed;
  db.exec(
      "INSERT INTO readings (bed, kind, value, unit, measured_at_ms, received_at_ms, source, valid, status) "
      "VALUES ('CHAIR1', 'HR', 72, '/min', 1000, 1000, 'MON', 1, 'F')");
  db.exec(
      "INSERT INTO readings (bed, kind, value, unit, measured_at_ms, received_at_ms, source, valid, status) "
      "VALUES (" +
      bed + ", 'HR', 70, '/min', 2000, 2100, CAST(X'4D4F4EC9' AS TEXT), 1, 'F')");
  db.exec(
      "INSERT INTO unmapped_observations (bed, source, code, value, unit, measured_at_ms, received_at_ms) "
      "VALUES (" +
      bed + ", 'MON', 'X^Y^L', '5', CAST(X'B567' AS TEXT), 2000, 2100)");
  db.exec(
      "INSERT INTO alert_log (id, alert_id, bed, rule, priority, state, transition, kind, value, "
      "limit_value, "
      "baseline, message, limits, profile, user, phase, at_ms, onset_ms, seq, subject, escalated, "
      "acknowledged_by, session_id) SELECT NULL, alert_id, " +
      bed +
      ", rule, priority, state, transition, kind, value, limit_value, baseline, message, limits, "
      "profile, user, phase, at_ms + 1, onset_ms, seq, subject, escalated, acknowledged_by, session_id "
      "FROM alert_log WHERE id = 1");
  db.exec("INSERT INTO config_log (at_ms, what, detail) VALUES (3000, 'beds', " + bed + ")");
  db.exec("PRAGMA user_version = 3");
}

std::int64_t invalid_rows(sqlite::Connection& db, const std::string& table, const std::string& column) {
  std::int64_t n = 0;
  sqlite::Statement s(db, "SELECT " + column + " FROM " + table);
  while (s.step()) n += is_valid_utf8(s.column_text(0)) ? 0 : 1;
  return n;
}

TEST(Utf8Migration, AV3FileWithLatin1TextIsRepairedAndStaysAppendOnly) {
  TempDir dir;
  const std::string path = dir.file("v3.db");
  make_v3_with_latin1(path);
  std::int64_t triggers_before = 0;
  {
    sqlite::Connection db(path, SQLITE_OPEN_READWRITE);
    ASSERT_EQ(invalid_rows(db, "readings", "bed"), 1);  // the test's own premise
    triggers_before = db.query_int("SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger'");
  }
  // Schema 7 adds two pairs (observation_sets, bed_kinds) and the readings view's INSERT:
  // the per-vital table's pair becomes the view's UPDATE and DELETE.
  triggers_before += 5;

  { Store store({path}); }  // the writer migrates

  sqlite::Connection db(path, SQLITE_OPEN_READWRITE);
  // As the writer's connection has it: retention's gate defined and shut (a connection without
  // it is refused too, by "no such function": retention_test.cpp).
  RetentionGate gate(db);
  EXPECT_EQ(db.query_int("PRAGMA user_version"), kSchemaVersion);
  for (const auto& [table, column] :
       std::vector<std::pair<std::string, std::string>>{{"readings", "bed"},
                                                        {"readings", "source"},
                                                        {"unmapped_observations", "bed"},
                                                        {"unmapped_observations", "unit"},
                                                        {"alert_log", "bed"},
                                                        {"config_log", "detail"}}) {
    EXPECT_EQ(invalid_rows(db, table, column), 0) << table << "." << column;
  }
  EXPECT_EQ(db.query_text("SELECT bed FROM readings WHERE id = 2"), "FAUTEUIL-" + kFffd);
  EXPECT_EQ(db.query_text("SELECT source FROM readings WHERE id = 2"), "MON" + kFffd);
  EXPECT_EQ(db.query_text("SELECT unit FROM unmapped_observations"), kFffd + "g");
  // Untouched rows keep their ids and values.
  EXPECT_EQ(db.query_text("SELECT bed FROM readings WHERE id = 1"), "CHAIR1");
  EXPECT_EQ(db.query_int("SELECT COUNT(*) FROM readings"), 2);
  EXPECT_EQ(db.query_int("SELECT COUNT(*) FROM alert_log"), 2);

  EXPECT_EQ(db.query_int("SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger'"), triggers_before);
  for (const char* sql :
       {"UPDATE readings SET value = 1", "DELETE FROM readings", "UPDATE unmapped_observations SET unit = ''",
        "DELETE FROM alert_log", "UPDATE config_log SET detail = ''"}) {
    try {
      db.exec(sql);
      ADD_FAILURE() << "accepted: " << sql;
    } catch (const sqlite::Error& e) {
      EXPECT_THAT(e.what(), HasSubstr("append-only")) << sql;
    }
  }

  // The restart snapshot (latest per bed) now reads back as UTF-8.
  bool found = false;
  for (const StoredReading& r : latest_readings_in(path)) {
    EXPECT_TRUE(is_valid_utf8(r.reading.bed));
    found = found || r.reading.bed == "FAUTEUIL-" + kFffd;
  }
  EXPECT_TRUE(found);
}

TEST(Utf8Migration, ACleanFileIsNotTouched) {
  TempDir dir;
  const std::string path = dir.file("clean.db");
  { Store store({path}); }
  sqlite::Connection db(path, SQLITE_OPEN_READWRITE);
  db.exec("BEGIN IMMEDIATE");
  EXPECT_EQ(repair_invalid_utf8_text(db), 0u);
  db.exec("COMMIT");
}

TEST(Utf8Migration, TheStoreWritesOnlyUtf8) {
  TempDir dir;
  const std::string path = dir.file("edge.db");
  {
    Store store({path});
    WriteBatch batch;
    batch.readings = {make_reading("FAUTEUIL-\xE9", VitalKind::HeartRate, 72, 1000)};
    ASSERT_TRUE(submit_and_wait(store, batch).ok);
  }
  sqlite::Connection db(path, SQLITE_OPEN_READONLY);
  EXPECT_EQ(db.query_text("SELECT bed FROM readings"), "FAUTEUIL-" + kFffd);
}

}  // namespace
}  // namespace vigil::store
