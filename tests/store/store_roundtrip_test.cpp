// Readings go in through submit/flush and come back through for_each_reading and
// latest_readings exactly as written; filters and ordering; file permissions.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cmath>
#include <filesystem>

#include "log_test_support.hpp"
#include "store/store.hpp"
#include "store_test_support.hpp"

namespace vigil::store {
namespace {

using testing::make_reading;
using testing::read_all;
using testing::submit_and_wait;
using testing::TempDir;

std::vector<std::uint64_t> ids_of(const std::vector<StoredReading>& rows) {
  std::vector<std::uint64_t> ids;
  for (const auto& r : rows) ids.push_back(r.id);
  return ids;
}

TEST(StoreRoundTrip, EveryFieldComesBackIncludingInvalidReadings) {
  TempDir dir;
  std::string path = dir.file("vigil.db");
  Reading invalid = make_reading("CHAIR 2", VitalKind::NibpSys, 184, 1'700'000'000'123);
  invalid.valid = false;
  invalid.status = "X";
  invalid.source = "Équipement \"7\", bay 3";
  invalid.received_at_ms = 1'700'000'009'999;
  Reading temp = make_reading("", VitalKind::Temperature, 36.6, -5);  // odd but storable
  Reading nan = make_reading("BED1", VitalKind::SpO2, std::nan(""), 42);
  WriteBatch batch;
  batch.readings = {invalid, temp, nan};
  WriteOutcome outcome;
  {
    Store store({dir.file("vigil.db")});
    outcome = submit_and_wait(store, batch);
  }
  ASSERT_TRUE(outcome.ok) << outcome.error;
  ASSERT_EQ(outcome.reading_ids.size(), 3u);

  auto rows = read_all(path);
  ASSERT_EQ(rows.size(), 3u);
  // Ordered by measured time: temp (-5), nan (42), invalid.
  EXPECT_EQ(rows[0].id, outcome.reading_ids[1]);
  EXPECT_EQ(rows[1].id, outcome.reading_ids[2]);
  EXPECT_EQ(rows[2].id, outcome.reading_ids[0]);
  const Reading& back = rows[2].reading;
  EXPECT_EQ(back.bed, invalid.bed);
  EXPECT_EQ(back.kind, invalid.kind);
  EXPECT_EQ(back.value, invalid.value);
  EXPECT_EQ(back.measured_at_ms, invalid.measured_at_ms);
  EXPECT_EQ(back.received_at_ms, invalid.received_at_ms);
  EXPECT_EQ(back.source, invalid.source);
  EXPECT_FALSE(back.valid);
  EXPECT_EQ(back.status, "X");
  EXPECT_EQ(rows[0].reading.bed, "");
  EXPECT_EQ(rows[0].reading.kind, VitalKind::Temperature);
  EXPECT_DOUBLE_EQ(rows[0].reading.value, 36.6);
  EXPECT_TRUE(rows[0].reading.valid);
  EXPECT_TRUE(std::isnan(rows[1].reading.value));
}

TEST(StoreRoundTrip, FiltersByBedAndSinceAndOrdersByArrivalTimeThenId) {
  TempDir dir;
  std::string path = dir.file("vigil.db");
  std::vector<std::uint64_t> ids;
  {
    Store store({path});
    // Submitted out of measured order, and two readings share a measured time.
    WriteBatch a;
    a.readings = {make_reading("BED1", VitalKind::HeartRate, 80, 3000),
                  make_reading("BED2", VitalKind::HeartRate, 90, 1000)};
    WriteBatch b;
    b.readings = {make_reading("BED1", VitalKind::SpO2, 97, 1000),
                  make_reading("BED1", VitalKind::RespRate, 14, 2000)};
    auto oa = submit_and_wait(store, a);
    auto ob = submit_and_wait(store, b);
    ASSERT_TRUE(oa.ok && ob.ok);
    ids = {oa.reading_ids[0], oa.reading_ids[1], ob.reading_ids[0], ob.reading_ids[1]};
  }
  // Everything: time 1000 (BED2 HR id1, BED1 SpO2 id2), 2000, 3000.
  EXPECT_THAT(ids_of(read_all(path)), ::testing::ElementsAre(ids[1], ids[2], ids[3], ids[0]));
  ReadingFilter bed1;
  bed1.bed = "BED1";
  EXPECT_THAT(ids_of(read_all(path, bed1)), ::testing::ElementsAre(ids[2], ids[3], ids[0]));
  ReadingFilter since;
  since.since_ms = 2000;  // inclusive
  EXPECT_THAT(ids_of(read_all(path, since)), ::testing::ElementsAre(ids[3], ids[0]));
  ReadingFilter both;
  both.bed = "BED2";
  both.since_ms = 1001;
  EXPECT_TRUE(read_all(path, both).empty());
  ReadingFilter unknown_bed;
  unknown_bed.bed = "NOPE";
  EXPECT_TRUE(read_all(path, unknown_bed).empty());
}

TEST(StoreRoundTrip, LatestReadingsGivesTheNewestPerBedAndKind) {
  TempDir dir;
  Store store({dir.file("vigil.db")});
  WriteBatch batch;
  batch.readings = {
      make_reading("BED1", VitalKind::HeartRate, 70, 1000),
      make_reading("BED1", VitalKind::HeartRate, 75, 3000),  // newest BED1 HR
      make_reading("BED1", VitalKind::HeartRate, 72, 2000),  // arrives later, measured earlier
      make_reading("BED2", VitalKind::HeartRate, 90, 500),
      make_reading("BED1", VitalKind::SpO2, 96, 1500),
      make_reading("", VitalKind::SpO2, 99, 100),           // unresolved bed still counts
      make_reading("BED2", VitalKind::HeartRate, 91, 500),  // same time: the higher id wins
  };
  auto outcome = submit_and_wait(store, batch);
  ASSERT_TRUE(outcome.ok);
  auto latest = store.latest_readings();
  ASSERT_EQ(latest.size(), 4u);
  // Ordered by bed then kind name: "" SPO2, BED1 HR, BED1 SPO2, BED2 HR.
  EXPECT_EQ(latest[0].reading.bed, "");
  EXPECT_EQ(latest[0].id, outcome.reading_ids[5]);
  EXPECT_EQ(latest[1].id, outcome.reading_ids[1]);
  EXPECT_EQ(latest[1].reading.value, 75);
  EXPECT_EQ(latest[2].id, outcome.reading_ids[4]);
  EXPECT_EQ(latest[3].id, outcome.reading_ids[6]);
  EXPECT_EQ(latest[3].reading.value, 91);
}

TEST(StoreRoundTrip, LatestReadingsOfAnEmptyDatabaseIsEmpty) {
  TempDir dir;
  Store store({dir.file("vigil.db")});
  EXPECT_TRUE(store.latest_readings().empty());
}

TEST(StoreRoundTrip, DataSurvivesReopening) {
  TempDir dir;
  std::string path = dir.file("vigil.db");
  std::uint64_t first_id = 0;
  {
    Store store({path});
    WriteBatch b;
    b.readings = {make_reading("BED1", VitalKind::PulseRate, 60, 1)};
    auto o = submit_and_wait(store, b);
    ASSERT_TRUE(o.ok);
    first_id = o.reading_ids[0];
  }
  Store again({path});
  WriteBatch b;
  b.readings = {make_reading("BED1", VitalKind::PulseRate, 61, 2)};
  auto o = submit_and_wait(again, b);
  ASSERT_TRUE(o.ok);
  EXPECT_GT(o.reading_ids[0], first_id);
  EXPECT_EQ(read_all(path).size(), 2u);
}

TEST(StoreRoundTrip, EmptyBatchCompletesOk) {
  TempDir dir;
  Store store({dir.file("vigil.db")});
  auto o = submit_and_wait(store, WriteBatch{});
  EXPECT_TRUE(o.ok);
  EXPECT_TRUE(o.reading_ids.empty());
}

mode_t permissions_of(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 0777;
}

TEST(StorePermissions, DatabaseAndWalFilesAreOwnerOnly) {
  TempDir dir;
  std::string path = dir.file("vigil.db");
  ::umask(0022);  // the usual default, which alone would give 0644
  Store store({path});
  WriteBatch b;
  b.readings = {make_reading("BED1", VitalKind::HeartRate, 70, 1)};
  ASSERT_TRUE(submit_and_wait(store, b).ok);
  EXPECT_EQ(permissions_of(path), 0600u);
  // While the store is open in WAL mode both side files exist.
  ASSERT_TRUE(std::filesystem::exists(path + "-wal"));
  ASSERT_TRUE(std::filesystem::exists(path + "-shm"));
  EXPECT_EQ(permissions_of(path + "-wal"), 0600u);
  EXPECT_EQ(permissions_of(path + "-shm"), 0600u);
}

}  // namespace
}  // namespace vigil::store
