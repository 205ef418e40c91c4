// Schema 7 (store/observation_sets.hpp): a database written by the last per-vital build
// (schema 6) is migrated in place by the next writer, and every reading survives it: the
// same rows through every public query (readings export, restart snapshot, timelines) and
// through plain SQL on the `readings` view, with the same ids; new readings number on.
//
// tests/data/golden/v6-database/ holds the file (README.md there says how it was made).
#include <gtest/gtest.h>

#include <filesystem>

#include "log_test_support.hpp"
#include "store/log_queries.hpp"
#include "store/reading_export.hpp"
#include "store/reading_queries.hpp"
#include "store/schema.hpp"
#include "store/sqlite_handle.hpp"
#include "store/store.hpp"
#include "store/timeline.hpp"
#include "store/timeline_text.hpp"
#include "store_test_support.hpp"

namespace vigil::store {
namespace {

using testing::make_reading;
using testing::submit_and_wait;

const std::string kFixture = std::string(VIGIL_TEST_DATA_DIR) + "/golden/v6-database/vigil.db";

// Every reading as plain SQL sees it, one line each, in id order.
std::vector<std::string> sql_rows(const std::string& path) {
  sqlite::Connection db(path, SQLITE_OPEN_READONLY);
  sqlite::Statement s(db,
                      "SELECT id, bed, kind, quote(value), unit, measured_at_ms, received_at_ms, source, "
                      "valid, status, quote(verified), quote(phase), quote(baseline_sys), "
                      "quote(baseline_dia), quote(session_id) FROM readings ORDER BY id");
  std::vector<std::string> out;
  while (s.step()) {
    std::string line;
    for (int i = 0; i < 15; ++i) line += s.column_text(i) + "|";
    out.push_back(line);
  }
  return out;
}

// What the public queries print: all readings, the restart snapshot, each bed's timeline.
std::vector<std::string> printed(const std::string& path) {
  std::vector<std::string> out;
  for_each_reading(path, {}, [&](const StoredReading& r) { out.push_back(jsonl_row(r)); });
  out.push_back("-- latest");
  for (const StoredReading& r : latest_readings_in(path)) out.push_back(jsonl_row(r));
  for (const char* bed : {"CHAIR1", "CHAIR2", "CHAIR3"}) {
    out.push_back(std::string("-- timeline ") + bed);
    auto session = find_session(path, bed, std::nullopt);
    if (!session) continue;
    for_each_timeline_item(path, bed, *session,
                           [&](const TimelineItem& item) { out.push_back(timeline_jsonl(item)); });
  }
  return out;
}

class ObservationSetMigration : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_.file("vigil.db");
    std::filesystem::copy_file(kFixture, db_);
    sqlite::Connection c(db_, SQLITE_OPEN_READONLY);
    ASSERT_EQ(c.query_int("PRAGMA user_version"), 6);  // the test's own premise
    ASSERT_EQ(c.query_int("SELECT COUNT(*) FROM readings"), 1500);
  }
  testing::TempDir dir_;
  std::string db_;
};

TEST_F(ObservationSetMigration, EveryReadingReadsBackIdentically) {
  const std::vector<std::string> sql_before = sql_rows(db_);
  const std::vector<std::string> printed_before = printed(db_);
  ASSERT_GT(printed_before.size(), 1500u);
  { Store store({db_}); }  // the writer migrates

  sqlite::Connection c(db_, SQLITE_OPEN_READONLY);
  EXPECT_EQ(c.query_int("PRAGMA user_version"), kSchemaVersion);
  EXPECT_EQ(c.query_text("SELECT type FROM sqlite_master WHERE name = 'readings'"), "view");
  // HR and SpO2 of one message share a row, and so do NIBP sys, dia and mean.
  EXPECT_LT(c.query_int("SELECT COUNT(*) FROM observation_sets"), 1500 / 2);
  EXPECT_EQ(sql_rows(db_), sql_before);
  EXPECT_EQ(printed(db_), printed_before);
}

TEST_F(ObservationSetMigration, NewReadingsNumberOnAfterTheMigratedOnes) {
  WriteBatch batch;
  // Not in VitalKind order: stored as one set, ids in kind order.
  batch.readings = {make_reading("CHAIR1", VitalKind::SpO2, 97, 5000),
                    make_reading("CHAIR1", VitalKind::HeartRate, 71, 5000)};
  {
    Store store({db_});
    WriteOutcome o = submit_and_wait(store, batch);
    ASSERT_TRUE(o.ok) << o.error;
    EXPECT_EQ(o.reading_ids, (std::vector<std::uint64_t>{1502, 1501}));
  }
  std::vector<StoredReading> last;
  for_each_reading(db_, {}, [&](const StoredReading& r) {
    if (r.id > 1500) last.push_back(r);
  });
  ASSERT_EQ(last.size(), 2u);
  EXPECT_EQ(last[0].id, 1501u);
  EXPECT_EQ(last[0].reading.kind, VitalKind::HeartRate);
  EXPECT_EQ(last[0].reading.value, 71);
  EXPECT_EQ(last[1].id, 1502u);
  EXPECT_EQ(last[1].reading.kind, VitalKind::SpO2);
  sqlite::Connection c(db_, SQLITE_OPEN_READONLY);
  EXPECT_EQ(c.query_int("SELECT COUNT(*) FROM readings"), 1502);
  EXPECT_EQ(c.query_int("SELECT MAX(id) FROM readings"), 1502);
}

}  // namespace
}  // namespace vigil::store
