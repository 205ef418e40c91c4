// A database written by the version-1 schema (readings only) opens as version 2: its rows
// stay as they were, its triggers still hold, and the new logs work. Readers accept a v1
// file that no writer has migrated yet.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "log_test_support.hpp"
#include "store/retention_gate.hpp"
#include "store/schema.hpp"
#include "store/sqlite_handle.hpp"
#include "store/store.hpp"
#include "store_test_support.hpp"

namespace vigil::store {
namespace {

using ::testing::HasSubstr;
using testing::make_alert;
using testing::make_reading;
using testing::make_session_event;
using testing::read_all;
using testing::submit_and_wait;
using testing::TempDir;

// The version-1 layout exactly as the first release wrote it. Frozen here on purpose: the
// code's own schema moves on, the files already on disk do not.
constexpr const char* kV1Schema = R"sql(
CREATE TABLE readings (
  id INTEGER PRIMARY KEY, bed TEXT NOT NULL, kind TEXT NOT NULL, value REAL,
  unit TEXT NOT NULL, measured_at_ms INTEGER NOT NULL, received_at_ms INTEGER NOT NULL,
  source TEXT NOT NULL, valid INTEGER NOT NULL, status TEXT NOT NULL);
CREATE INDEX readings_by_bed_time ON readings (bed, measured_at_ms);
CREATE INDEX readings_by_time ON readings (measured_at_ms);
CREATE INDEX readings_by_bed_kind_time ON readings (bed, kind, measured_at_ms);
CREATE TABLE unmapped_observations (
  id INTEGER PRIMARY KEY, bed TEXT NOT NULL, source TEXT NOT NULL, code TEXT NOT NULL,
  value TEXT NOT NULL, unit TEXT NOT NULL, measured_at_ms INTEGER NOT NULL,
  received_at_ms INTEGER NOT NULL);
CREATE INDEX unmapped_by_time ON unmapped_observations (measured_at_ms);
CREATE TRIGGER readings_no_UPDATE BEFORE UPDATE ON readings
  BEGIN SELECT RAISE(ABORT, 'readings is append-only'); END;
CREATE TRIGGER readings_no_DELETE BEFORE DELETE ON readings
  BEGIN SELECT RAISE(ABORT, 'readings is append-only'); END;
CREATE TRIGGER unmapped_observations_no_UPDATE BEFORE UPDATE ON unmapped_observations
  BEGIN SELECT RAISE(ABORT, 'unmapped_observations is append-only'); END;
CREATE TRIGGER unmapped_observations_no_DELETE BEFORE DELETE ON unmapped_observations
  BEGIN SELECT RAISE(ABORT, 'unmapped_observations is append-only'); END;
INSERT INTO readings (bed, kind, value, unit, measured_at_ms, received_at_ms, source, valid, status)
  VALUES ('CHAIR1', 'NIBP_SYS', 150, 'mmHg', 1000, 1250, 'MON-1', 1, 'F'),
         ('CHAIR1', 'HR', 72, '/min', 2000, 2250, 'MON-1', 0, 'X');
PRAGMA user_version = 1;
)sql";

class Migration : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.file("v1.db");
    sqlite::Connection db(path_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    db.exec(kV1Schema);
  }
  TempDir dir_;
  std::string path_;
};

TEST_F(Migration, ReadersAcceptAnUnmigratedV1File) {
  auto rows = read_all(path_);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_FALSE(rows[0].context.has_value());
  int alerts = 0;
  for_each_alert(path_, {}, [&](const proto::AlertEvent&) { ++alerts; });
  EXPECT_EQ(alerts, 0);
  EXPECT_TRUE(open_sessions_in(path_).empty());
  EXPECT_EQ(alert_log_rows_in(path_), 0u);
  EXPECT_EQ(latest_readings_in(path_).size(), 2u);
  // Reading never migrates.
  sqlite::Connection db(path_, SQLITE_OPEN_READONLY);
  EXPECT_EQ(db.query_int("PRAGMA user_version"), 1);
}

TEST_F(Migration, WriterMigratesInPlaceKeepingOldRowsAndTriggers) {
  {
    Store store({path_});
    WriteBatch batch;
    batch.readings = {make_reading("CHAIR1", VitalKind::NibpSys, 184, 3000)};
    batch.reading_context = {ReadingContext{false, proto::infusion, 126, 80, "S-1"}};
    batch.alerts = {make_alert("CHAIR1-P2-1", "CHAIR1", "ACTIVE", "raised", 3000)};
    batch.sessions = {make_session_event("CHAIR1", "S-1", "begun", "setup", 500)};
    WriteOutcome o = submit_and_wait(store, batch);
    ASSERT_TRUE(o.ok) << o.error;
    EXPECT_EQ(o.reading_ids, std::vector<std::uint64_t>{3});  // after the two old rows
    EXPECT_EQ(store.alert_log_rows(), 1u);
    EXPECT_EQ(store.open_sessions().size(), 1u);
  }
  sqlite::Connection db(path_, SQLITE_OPEN_READWRITE);
  // As the writer's connection has it: retention's gate defined and shut (a connection without
  // it is refused too, by "no such function": retention_test.cpp).
  RetentionGate gate(db);
  EXPECT_EQ(db.query_int("PRAGMA user_version"), kSchemaVersion);
  // Version 4: old unmapped rows keep a NULL reason; new ones can carry one.
  EXPECT_EQ(
      db.query_int("SELECT COUNT(*) FROM pragma_table_info('unmapped_observations') WHERE name = 'reason'"),
      1);

  auto rows = read_all(path_);
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].id, 1u);
  EXPECT_EQ(rows[0].reading.value, 150);
  EXPECT_EQ(rows[0].reading.received_at_ms, 1250);
  EXPECT_FALSE(rows[0].context.has_value());
  EXPECT_EQ(rows[1].reading.kind, VitalKind::HeartRate);
  EXPECT_FALSE(rows[1].reading.valid);
  EXPECT_EQ(rows[1].reading.status, "X");
  EXPECT_FALSE(rows[1].context.has_value());
  ASSERT_TRUE(rows[2].context.has_value());
  EXPECT_FALSE(rows[2].context->verified);
  EXPECT_EQ(rows[2].context->session_id, "S-1");

  for (const char* sql : {"UPDATE readings SET value = 1", "DELETE FROM readings", "DELETE FROM alert_log",
                          "DELETE FROM session_log"}) {
    try {
      db.exec(sql);
      ADD_FAILURE() << "accepted: " << sql;
    } catch (const sqlite::Error& e) {
      EXPECT_THAT(e.what(), HasSubstr("append-only")) << sql;
    }
  }
}

TEST_F(Migration, ReopeningAMigratedFileChangesNothing) {
  { Store store({path_}); }
  { Store store({path_}); }
  sqlite::Connection db(path_, SQLITE_OPEN_READONLY);
  EXPECT_EQ(db.query_int("PRAGMA user_version"), kSchemaVersion);
  EXPECT_EQ(db.query_int("SELECT COUNT(*) FROM readings"), 2);
  // Two per table (UPDATE, DELETE) on the five log tables, escalation_log, observation_sets
  // and bed_kinds,
  // and the readings view's INSERT, UPDATE and DELETE.
  EXPECT_EQ(db.query_int("SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger'"), 17);
}

TEST_F(Migration, NewerSchemaIsRefusedByWriterAndReader) {
  {
    sqlite::Connection db(path_, SQLITE_OPEN_READWRITE);
    db.exec("PRAGMA user_version = " + std::to_string(kSchemaVersion + 1));
  }
  try {
    Store store({path_});
    ADD_FAILURE() << "opened";
  } catch (const StoreError& e) {
    EXPECT_THAT(e.what(), HasSubstr("newer than this build"));
  }
  try {
    read_all(path_);
    ADD_FAILURE() << "read";
  } catch (const StoreError& e) {
    EXPECT_THAT(e.reason(), HasSubstr("written by a newer Vigil"));
  }
}

}  // namespace
}  // namespace vigil::store
