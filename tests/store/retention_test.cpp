// Retention (store/retention.hpp): expired rows move to their month's archive file, identical
// and readable there, before they leave the live file; the front-only, bounded run; the last
// row staying so ids never repeat; a crash between the two commits healed; a conflicting
// archive stopping that table with nothing deleted while the other tables go on; and DELETE
// refused to everyone else.
// Times are stated from an injected "now" (the store never reads a clock for retention).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <future>

#include "log_test_support.hpp"
#include "store/database_file.hpp"
#include "store/retention.hpp"
#include "store/retention_gate.hpp"
#include "store/store.hpp"
#include "store_test_support.hpp"

namespace vigil::store {
namespace {

using ::testing::HasSubstr;
using testing::kT0;
using testing::make_alert;
using testing::make_reading;
using testing::make_session_event;
using testing::read_all;
using testing::submit_and_wait;
using testing::TempDir;

constexpr WallMillis kDay = 86'400'000;
constexpr WallMillis kNow = kT0;  // 2025-11-21T10:15Z: the run's clock, injected

// One message's vitals (HR and SpO2) for `bed` arriving at `at`.
WriteBatch vitals(const std::string& bed, WallMillis at, double hr = 72) {
  WriteBatch b;
  b.readings = {make_reading(bed, VitalKind::HeartRate, hr, at), make_reading(bed, VitalKind::SpO2, 97, at)};
  return b;
}

class RetentionTest : public ::testing::Test {
 protected:
  TempDir dir;
  std::string path = dir.file("vigil.db");
  std::string archives = dir.file("archive");

  RetentionPolicy policy(int readings_days = 90, int logs_days = 30) const {
    RetentionPolicy p;
    p.readings = std::chrono::days(readings_days);
    p.alert_log = std::chrono::days(logs_days);
    p.session_log = std::chrono::days(logs_days);
    p.archive_dir = archives;
    return p;
  }

  // Runs retention to its end; fails the test if it does not report within a minute.
  static RetentionReport retain(Store& store, const RetentionPolicy& p, WallMillis now = kNow) {
    auto promise = std::make_shared<std::promise<RetentionReport>>();
    auto future = promise->get_future();
    EXPECT_TRUE(store.retain(p, now, [promise](const RetentionReport& r) { promise->set_value(r); }));
    if (future.wait_for(std::chrono::minutes(1)) != std::future_status::ready) {
      ADD_FAILURE() << "retention run did not report";
      return {};
    }
    return future.get();
  }

  static const RetentionTableReport& table(const RetentionReport& r, const std::string& name) {
    for (const auto& t : r.tables)
      if (t.table == name) return t;
    static const RetentionTableReport none;
    ADD_FAILURE() << "no table " << name << " in the report";
    return none;
  }

  // A live file with a set 100 days old and one of now, the old one already copied into its
  // month's archive (returned) as a retention step's first commit would.
  std::string old_set_already_in_archive() {
    {
      Store store({path});
      EXPECT_TRUE(submit_and_wait(store, vitals("CHAIR1", kNow - 100 * kDay)).ok);
      EXPECT_TRUE(submit_and_wait(store, vitals("CHAIR1", kNow)).ok);
    }
    const std::string archive = archive_path(archives, kNow - 100 * kDay);
    ensure_archive(archive);
    sqlite::Connection c(archive, SQLITE_OPEN_READWRITE);
    c.exec("ATTACH DATABASE '" + path + "' AS live");
    c.exec("INSERT INTO main.observation_sets SELECT * FROM live.observation_sets WHERE id = 1");
    return archive;
  }

  static std::int64_t count(const std::string& file, const std::string& table) {
    sqlite::Connection c(file, SQLITE_OPEN_READONLY);
    return c.query_int("SELECT COUNT(*) FROM " + table);
  }
};

TEST_F(RetentionTest, ExpiredRowsMoveToTheirMonthsArchiveIdenticalAndTheRestStays) {
  const std::string july = archive_path(archives, kNow - 130 * kDay);
  const std::string august = archive_path(archives, kNow - 100 * kDay);
  const std::string october = archive_path(archives, kNow - 40 * kDay);
  EXPECT_EQ(july, archives + "/vigil-2025-07.db");
  EXPECT_EQ(august, archives + "/vigil-2025-08.db");
  std::vector<StoredReading> before;
  {
    Store store({path});
    ASSERT_TRUE(submit_and_wait(store, vitals("CHAIR1", kNow - 130 * kDay, 71)).ok);
    ASSERT_TRUE(submit_and_wait(store, vitals("CHAIR1", kNow - 100 * kDay, 72)).ok);
    ASSERT_TRUE(submit_and_wait(store, vitals("CHAIR2", kNow - 1 * kDay, 73)).ok);
    WriteBatch logs;
    logs.unmapped = {{"CHAIR1", "MON-1", "0002-f0c7^T1^MDIL", "36.9", "Cel", kNow - 100 * kDay,
                      kNow - 100 * kDay, "not tracked"}};
    logs.alerts = {make_alert("CHAIR1-P2-1", "CHAIR1", "ACTIVE", "raised", kNow - 40 * kDay),
                   make_alert("CHAIR2-P2-2", "CHAIR2", "ACTIVE", "raised", kNow - 1 * kDay)};
    logs.sessions = {make_session_event("CHAIR1", "S1", "begun", "baseline", kNow - 40 * kDay),
                     make_session_event("CHAIR2", "S2", "begun", "baseline", kNow - 1 * kDay)};
    logs.unmapped.push_back(logs.unmapped.front());
    logs.unmapped.back().received_at_ms = kNow - kDay;
    ASSERT_TRUE(submit_and_wait(store, logs).ok);
    before = read_all(path);
    ASSERT_EQ(before.size(), 6u);

    const RetentionReport r = retain(store, policy());
    EXPECT_EQ(r.error, "");
    EXPECT_EQ(table(r, "observation_sets").moved, 2u);
    EXPECT_EQ(table(r, "observation_sets").archives, (std::vector<std::string>{july, august}));
    EXPECT_EQ(table(r, "unmapped_observations").moved, 1u);
    EXPECT_EQ(table(r, "alert_log").moved, 1u);
    EXPECT_EQ(table(r, "alert_log").archives, std::vector<std::string>{october});
    EXPECT_EQ(table(r, "session_log").moved, 1u);
    EXPECT_THAT(r.summary(), HasSubstr("observation_sets: 2 moved to vigil-2025-07.db vigil-2025-08.db"));
  }
  // Live: only what is younger than its limit.
  const auto live = read_all(path);
  ASSERT_EQ(live.size(), 2u);
  EXPECT_EQ(live[0].id, before[4].id);
  EXPECT_EQ(live[0].reading.bed, "CHAIR2");
  EXPECT_EQ(count(path, "alert_log"), 1);
  EXPECT_EQ(count(path, "session_log"), 1);
  EXPECT_EQ(count(path, "unmapped_observations"), 1);
  // Archives: the same readings, ids and values, read with the queries vigilctl uses.
  const auto in_july = read_all(july);
  ASSERT_EQ(in_july.size(), 2u);
  EXPECT_EQ(in_july[0].id, before[0].id);
  EXPECT_EQ(in_july[0].reading.value, 71);
  EXPECT_EQ(in_july[1].reading.kind, VitalKind::SpO2);
  const auto in_august = read_all(august);
  ASSERT_EQ(in_august.size(), 2u);
  EXPECT_EQ(in_august[0].id, before[2].id);
  EXPECT_EQ(in_august[0].reading.measured_at_ms, kNow - 100 * kDay);
  EXPECT_EQ(count(august, "unmapped_observations"), 1);
  std::vector<proto::AlertEvent> archived_alerts;
  for_each_alert(october, {}, [&](const proto::AlertEvent& a) { archived_alerts.push_back(a); });
  ASSERT_EQ(archived_alerts.size(), 1u);
  EXPECT_EQ(archived_alerts[0].id(), "CHAIR1-P2-1");
  EXPECT_EQ(count(october, "session_log"), 1);
  // Owner-only, like the live file.
  struct stat st {};
  ASSERT_EQ(::stat(july.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat(archives.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  // The run is itself logged.
  std::vector<ConfigRecord> config;
  for_each_config_record(path, [&](std::uint64_t, const ConfigRecord& c) { config.push_back(c); });
  ASSERT_FALSE(config.empty());
  EXPECT_EQ(config.back().what, "retention run");
  EXPECT_EQ(config.back().at_ms, kNow);
  EXPECT_THAT(config.back().detail, HasSubstr("alert_log: 1 moved to vigil-2025-10.db"));
}

TEST_F(RetentionTest, ASecondRunMovesNothingAndIsLoggedToo) {
  Store store({path});
  ASSERT_TRUE(submit_and_wait(store, vitals("CHAIR1", kNow - 100 * kDay)).ok);
  ASSERT_TRUE(submit_and_wait(store, vitals("CHAIR1", kNow - 1 * kDay)).ok);
  EXPECT_EQ(table(retain(store, policy()), "observation_sets").moved, 1u);
  const RetentionReport again = retain(store, policy());
  EXPECT_EQ(again.error, "");
  for (const auto& t : again.tables) EXPECT_EQ(t.moved, 0u) << t.table;
  store.flush();
  int runs = 0;
  for_each_config_record(path,
                         [&](std::uint64_t, const ConfigRecord& c) { runs += c.what == "retention run"; });
  EXPECT_EQ(runs, 2);
}

TEST_F(RetentionTest, TheLastRowStaysSoNewIdsNeverRepeatAnArchivedOne) {
  Store store({path});
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(submit_and_wait(store, vitals("CHAIR1", kNow - (200 - i) * kDay)).ok);
  const auto before = read_all(path);
  EXPECT_EQ(table(retain(store, policy()), "observation_sets").moved, 2u);
  ASSERT_EQ(read_all(path).size(), 2u);  // the newest set, old as it is
  const WriteOutcome next = submit_and_wait(store, vitals("CHAIR1", kNow));
  ASSERT_TRUE(next.ok);
  ASSERT_FALSE(next.reading_ids.empty());
  EXPECT_GT(next.reading_ids.front(), before.back().id);
}

TEST_F(RetentionTest, ARunIsBoundedAndTheNextOneCarriesOn) {
  Store store({path});
  for (int i = 0; i < 6; ++i)
    ASSERT_TRUE(submit_and_wait(store, vitals("CHAIR1", kNow - (100 - i) * kDay)).ok);
  ASSERT_TRUE(submit_and_wait(store, vitals("CHAIR1", kNow)).ok);
  RetentionPolicy p = policy();
  p.max_rows_per_run = 4;
  p.rows_per_step = 3;
  const RetentionReport first = retain(store, p);
  EXPECT_EQ(table(first, "observation_sets").moved, 4u);
  EXPECT_TRUE(table(first, "observation_sets").more);
  EXPECT_THAT(first.summary(), HasSubstr("(more next run)"));
  const RetentionReport second = retain(store, p);
  EXPECT_EQ(table(second, "observation_sets").moved, 2u);
  EXPECT_FALSE(table(second, "observation_sets").more);
  EXPECT_EQ(read_all(path).size(), 2u);
}

TEST_F(RetentionTest, ZeroKeepsRowsLiveForEver) {
  Store store({path});
  ASSERT_TRUE(submit_and_wait(store, vitals("CHAIR1", kNow - 1000 * kDay)).ok);
  ASSERT_TRUE(submit_and_wait(store, vitals("CHAIR1", kNow)).ok);
  const RetentionReport r = retain(store, policy(0, 0));
  for (const auto& t : r.tables) EXPECT_EQ(t.moved, 0u) << t.table;
  EXPECT_EQ(read_all(path).size(), 4u);
}

TEST_F(RetentionTest, ACrashBetweenCopyAndDeleteIsHealedByTheNextRun) {
  // The first commit of a chunk done, the second not: the rows are in both files.
  const std::string august = old_set_already_in_archive();
  Store store({path});
  const RetentionReport r = retain(store, policy());
  EXPECT_EQ(r.error, "");
  EXPECT_EQ(table(r, "observation_sets").moved, 1u);
  EXPECT_EQ(count(august, "observation_sets"), 1);  // not twice
  EXPECT_EQ(read_all(path).size(), 2u);
}

TEST_F(RetentionTest, AnArchiveRowThatDiffersStopsItsTableAndNothingIsDeleted) {
  const std::string august = old_set_already_in_archive();
  {
    sqlite::Connection c(august, SQLITE_OPEN_READWRITE);
    c.exec("DROP TRIGGER observation_sets_no_UPDATE");  // another file with the same ids
    c.exec("UPDATE main.observation_sets SET heart_rate = 150");
  }
  Store store({path});
  const RetentionReport r = retain(store, policy());
  EXPECT_THAT(r.error, HasSubstr("differ from the rows of " + august));
  EXPECT_THAT(r.summary(), HasSubstr("FAILED"));
  EXPECT_EQ(read_all(path).size(), 4u);
  store.flush();
  std::vector<ConfigRecord> config;
  for_each_config_record(path, [&](std::uint64_t, const ConfigRecord& c) { config.push_back(c); });
  ASSERT_FALSE(config.empty());
  EXPECT_THAT(config.back().detail, HasSubstr("FAILED"));
}

TEST_F(RetentionTest, AConflictInOneTableLetsTheOtherTablesMove) {
  const std::string august = old_set_already_in_archive();
  {
    sqlite::Connection c(august, SQLITE_OPEN_READWRITE);
    c.exec("DROP TRIGGER observation_sets_no_UPDATE");
    c.exec("UPDATE main.observation_sets SET heart_rate = 150");
  }
  {
    Store store({path});
    WriteBatch logs;
    logs.alerts = {make_alert("CHAIR1-P2-1", "CHAIR1", "ACTIVE", "raised", kNow - 40 * kDay),
                   make_alert("CHAIR1-P2-2", "CHAIR1", "ACTIVE", "raised", kNow - 1 * kDay)};
    ASSERT_TRUE(submit_and_wait(store, logs).ok);
  }
  Store store({path});
  const RetentionReport r = retain(store, policy());
  EXPECT_THAT(r.error, HasSubstr("observation_sets: "));
  EXPECT_THAT(r.error, HasSubstr("differ from the rows of " + august));
  EXPECT_EQ(table(r, "observation_sets").moved, 0u);
  EXPECT_EQ(read_all(path).size(), 4u);  // the conflicting set stays live
  EXPECT_EQ(table(r, "alert_log").moved, 1u);
  EXPECT_EQ(count(archive_path(archives, kNow - 40 * kDay), "alert_log"), 1);
  EXPECT_EQ(count(path, "alert_log"), 1);
}

TEST_F(RetentionTest, DeleteIsRefusedToEveryoneButARetentionStep) {
  {
    Store store({path});
    ASSERT_TRUE(submit_and_wait(store, vitals("CHAIR1", kNow - 100 * kDay)).ok);
    WriteBatch logs;
    logs.alerts = {make_alert("CHAIR1-P2-1", "CHAIR1", "ACTIVE", "raised", kNow)};
    logs.sessions = {make_session_event("CHAIR1", "S1", "begun", "baseline", kNow)};
    logs.unmapped = {{"CHAIR1", "MON-1", "0002-f0c7^T1^MDIL", "36.9", "Cel", kNow, kNow, "not tracked"}};
    ASSERT_TRUE(submit_and_wait(store, logs).ok);
    ASSERT_TRUE(submit_and_wait(store, vitals("CHAIR1", kNow)).ok);
    EXPECT_EQ(table(retain(store, policy()), "observation_sets").moved, 1u);
  }
  auto refused = [](sqlite::Connection& c, const std::string& sql) {
    try {
      c.exec(sql);
    } catch (const sqlite::Error& e) {
      return std::string(e.what());
    }
    return std::string("(done)");
  };
  // Any other connection (a shell, a script): it has no vigil_retention_active().
  sqlite::Connection other(path, SQLITE_OPEN_READWRITE);
  for (const char* table : {"observation_sets", "unmapped_observations", "alert_log", "session_log"}) {
    EXPECT_THAT(refused(other, std::string("DELETE FROM ") + table), HasSubstr("vigil_retention_active"))
        << table;
    EXPECT_THAT(refused(other, std::string("UPDATE ") + table + " SET bed = 'X'"), HasSubstr("append-only"))
        << table;
  }
  EXPECT_THAT(refused(other, "DELETE FROM config_log"), HasSubstr("append-only"));
  // A connection that has the function, with the gate shut: the words of the trigger.
  RetentionGate gate(other);
  EXPECT_THAT(refused(other, "DELETE FROM alert_log"), HasSubstr("alert_log is append-only"));
  // The archive keeps its rows as the live file did.
  sqlite::Connection archive(archive_path(dir.file("archive"), kNow - 100 * kDay), SQLITE_OPEN_READWRITE);
  EXPECT_THAT(refused(archive, "DELETE FROM observation_sets"), HasSubstr("vigil_retention_active"));
  EXPECT_EQ(count(path, "alert_log"), 1);
}

}  // namespace
}  // namespace vigil::store
