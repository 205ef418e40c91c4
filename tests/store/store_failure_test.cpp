// Opening failures name the path; write failures complete every batch with ok=false, mark
// the store unhealthy, and the writer recovers with the next batches.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>

#include "store/store.hpp"
#include "store_test_support.hpp"

namespace vigil::store {
namespace {

using ::testing::HasSubstr;
using testing::one_reading;
using testing::TempDir;

TEST(StoreOpen, MissingDirectoryThrowsStoreErrorNamingThePath) {
  TempDir dir;
  std::string path = dir.file("no-such-dir/vigil.db");
  try {
    Store store({path});
    FAIL() << "expected StoreError";
  } catch (const StoreError& e) {
    std::string what = e.what();
    EXPECT_THAT(what, HasSubstr(path));
    EXPECT_THAT(what, HasSubstr("No such file or directory"));
    EXPECT_EQ(what.find('\n'), std::string::npos);
    EXPECT_EQ(e.path(), path);
  }
}

TEST(StoreOpen, NotADatabaseThrowsStoreError) {
  TempDir dir;
  std::string path = dir.file("notes.txt");
  {
    std::ofstream out(path);
    out << "this is definitely not an SQLite database, just some text that is long enough\n";
    for (int i = 0; i < 100; ++i) out << "padding padding padding padding\n";
  }
  try {
    Store store({path});
    FAIL() << "expected StoreError";
  } catch (const StoreError& e) {
    EXPECT_THAT(e.what(), HasSubstr(path));
    EXPECT_THAT(e.what(), HasSubstr("not a database"));
  }
}

TEST(StoreOpen, ADirectoryIsNotADatabase) {
  TempDir dir;
  EXPECT_THROW(Store store({dir.path().string()}), StoreError);
}

TEST(StoreWriteFailure, ReadOnlyDatabaseFailsEveryBatchInTheTransactionThenRecovers) {
  TempDir dir;
  std::string path = dir.file("vigil.db");
  auto faults = std::make_shared<StoreFaults>();
  Store store({.path = path, .faults = faults});
  EXPECT_TRUE(store.healthy());
  faults->set_read_only(true);
  faults->pause_writer();
  std::vector<WriteOutcome> outcomes;  // writer thread only until flush returns
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(store.submit(one_reading(i), [&](WriteOutcome o) { outcomes.push_back(o); }));
  }
  faults->resume_writer();
  store.flush();
  ASSERT_EQ(outcomes.size(), 3u);
  for (const auto& o : outcomes) {
    EXPECT_FALSE(o.ok);
    EXPECT_THAT(o.error, HasSubstr("readonly"));
    EXPECT_TRUE(o.reading_ids.empty());
  }
  EXPECT_FALSE(store.healthy());
  EXPECT_THAT(store.last_error(), HasSubstr("readonly"));
  EXPECT_EQ(store.stats().failed_transactions, 1u);
  EXPECT_EQ(store.stats().readings, 0u);

  // The writer keeps running: once writes work again the next batch commits.
  faults->set_read_only(false);
  WriteOutcome later;
  ASSERT_TRUE(store.submit(one_reading(10), [&](WriteOutcome o) { later = o; }));
  store.flush();
  EXPECT_TRUE(later.ok) << later.error;
  EXPECT_EQ(later.reading_ids.size(), 1u);
  EXPECT_TRUE(store.healthy());
  EXPECT_FALSE(store.last_error().empty());  // the last failure stays visible

  std::size_t rows = 0;
  for_each_reading(path, {}, [&](const StoredReading&) { ++rows; });
  EXPECT_EQ(rows, 1u);  // nothing of the failed transaction was kept
}

TEST(StoreWriteFailure, FailingDestructorDrainStillCallsEveryDone) {
  TempDir dir;
  int failed = 0;
  {
    auto faults = std::make_shared<StoreFaults>();
    Store store({.path = dir.file("vigil.db"), .faults = faults});
    faults->set_read_only(true);
    faults->pause_writer();
    for (int i = 0; i < 5; ++i) {
      ASSERT_TRUE(store.submit(one_reading(i), [&](WriteOutcome o) { failed += o.ok ? 0 : 1; }));
    }
  }
  EXPECT_EQ(failed, 5);
}

TEST(StoreRead, MissingFileThrowsAndIsNotCreated) {
  TempDir dir;
  std::string path = dir.file("absent.db");
  try {
    for_each_reading(path, {}, [](const StoredReading&) {});
    FAIL() << "expected StoreError";
  } catch (const StoreError& e) {
    EXPECT_THAT(e.what(), HasSubstr(path));
    EXPECT_THAT(e.reason(), HasSubstr("No such file"));
  }
  EXPECT_FALSE(std::filesystem::exists(path));
}

TEST(StoreRead, EmptyFileIsNotAVigilDatabase) {
  TempDir dir;
  std::string path = dir.file("empty.db");
  { std::ofstream out(path); }
  EXPECT_THROW(for_each_reading(path, {}, [](const StoredReading&) {}), StoreError);
}

TEST(StoreRead, GarbageFileThrowsStoreError) {
  TempDir dir;
  std::string path = dir.file("garbage.db");
  {
    std::ofstream out(path);
    for (int i = 0; i < 200; ++i) out << "garbage garbage garbage\n";
  }
  EXPECT_THROW(for_each_reading(path, {}, [](const StoredReading&) {}), StoreError);
}

TEST(StoreAppendOnly, UpdatesAndDeletesAreRefused) {
  TempDir dir;
  std::string path = dir.file("vigil.db");
  {
    Store store({path});
    WriteBatch b = one_reading(1);
    b.unmapped.push_back(UnmappedObservation{"BED1", "MON-1", "X^Y", "1", "", 1, 2, ""});
    ASSERT_TRUE(store.submit(b, nullptr));
  }  // row triggers only fire on existing rows: both tables now hold one
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "UPDATE readings SET value = 0", nullptr, nullptr, nullptr), SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "DELETE FROM readings", nullptr, nullptr, nullptr), SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "DELETE FROM unmapped_observations", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
}

TEST(StoreUnmapped, UnmappedObservationsAreStoredVerbatim) {
  TempDir dir;
  std::string path = dir.file("vigil.db");
  {
    Store store({path});
    WriteBatch b;
    UnmappedObservation u;
    u.bed = "BED3";
    u.source = "MON-9";
    u.code = "150344^MDC_TEMP^MDC";
    u.value = "37,2";
    u.unit = "cel";
    u.measured_at_ms = 1234;
    u.received_at_ms = 1240;
    b.unmapped = {u};
    WriteOutcome outcome;
    ASSERT_TRUE(store.submit(b, [&](WriteOutcome o) { outcome = o; }));
    store.flush();
    EXPECT_TRUE(outcome.ok);
    EXPECT_TRUE(outcome.reading_ids.empty());
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* s = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db,
                               "SELECT bed, source, code, value, unit, measured_at_ms, "
                               "received_at_ms FROM unmapped_observations",
                               -1, &s, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
  auto text = [&](int c) { return std::string(reinterpret_cast<const char*>(sqlite3_column_text(s, c))); };
  EXPECT_EQ(text(0), "BED3");
  EXPECT_EQ(text(1), "MON-9");
  EXPECT_EQ(text(2), "150344^MDC_TEMP^MDC");
  EXPECT_EQ(text(3), "37,2");
  EXPECT_EQ(text(4), "cel");
  EXPECT_EQ(sqlite3_column_int64(s, 5), 1234);
  EXPECT_EQ(sqlite3_column_int64(s, 6), 1240);
  EXPECT_EQ(sqlite3_step(s), SQLITE_DONE);
  sqlite3_finalize(s);
  sqlite3_close(db);
}

}  // namespace
}  // namespace vigil::store
