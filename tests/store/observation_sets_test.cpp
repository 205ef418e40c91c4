// Readings stored as observation sets (store/observation_sets.hpp): a message's vitals share
// one row; anything that differs starts another; every reading reads back as written, with
// ids in arrival order, and the restart snapshot finds each chair's kinds however old.
#include <gtest/gtest.h>

#include <cmath>
#include <map>

#include "log_test_support.hpp"
#include "store/reading_export.hpp"
#include "store/reading_queries.hpp"
#include "store/sqlite_handle.hpp"
#include "store/store.hpp"
#include "store_test_support.hpp"

namespace vigil::store {
namespace {

using testing::make_reading;
using testing::read_all;
using testing::submit_and_wait;
using testing::TempDir;

std::int64_t set_rows(const std::string& path) {
  sqlite::Connection db(path, SQLITE_OPEN_READONLY);
  return db.query_int("SELECT COUNT(*) FROM observation_sets");
}

class ObservationSets : public ::testing::Test {
 protected:
  WriteOutcome write(std::vector<Reading> readings, std::vector<ReadingContext> context = {}) {
    Store store({path_});
    WriteBatch batch;
    batch.readings = std::move(readings);
    batch.reading_context = std::move(context);
    return submit_and_wait(store, batch);
  }
  TempDir dir_;
  std::string path_ = dir_.file("sets.db");
};

TEST_F(ObservationSets, OneMessagesVitalsAreOneRowReadBackInKindOrder) {
  WriteOutcome o = write({make_reading("CHAIR1", VitalKind::HeartRate, 72, 1000),
                          make_reading("CHAIR1", VitalKind::SpO2, 97, 1000),
                          make_reading("CHAIR1", VitalKind::NibpSys, 121, 1000),
                          make_reading("CHAIR1", VitalKind::NibpDia, 79, 1000),
                          make_reading("CHAIR1", VitalKind::NibpMean, 93, 1000)});
  ASSERT_TRUE(o.ok) << o.error;
  // Ids are per reading, in kind order within the set: sys 1, dia 2, mean 3, HR 4, SpO2 5.
  EXPECT_EQ(o.reading_ids, (std::vector<std::uint64_t>{4, 5, 1, 2, 3}));
  EXPECT_EQ(set_rows(path_), 1);
  auto rows = read_all(path_);
  ASSERT_EQ(rows.size(), 5u);
  const VitalKind kinds[] = {VitalKind::NibpSys, VitalKind::NibpDia, VitalKind::NibpMean,
                             VitalKind::HeartRate, VitalKind::SpO2};
  const double values[] = {121, 79, 93, 72, 97};
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].id, i + 1);
    EXPECT_EQ(rows[i].reading.kind, kinds[i]);
    EXPECT_EQ(rows[i].reading.value, values[i]);
    EXPECT_EQ(rows[i].reading.bed, "CHAIR1");
    EXPECT_EQ(rows[i].reading.source, "MON-1");
    EXPECT_EQ(rows[i].reading.status, "F");
    EXPECT_FALSE(rows[i].context.has_value());
  }
}

TEST_F(ObservationSets, ReadingsThatDifferStartAnotherSetAndKeepWhatDiffers) {
  Reading second_hr = make_reading("CHAIR1", VitalKind::HeartRate, 75, 1000);
  Reading other_status = make_reading("CHAIR1", VitalKind::SpO2, 88, 1000);
  other_status.status = "X";
  other_status.valid = false;
  Reading nan = make_reading("CHAIR1", VitalKind::RespRate, std::nan(""), 1000);
  Reading other_time = make_reading("CHAIR1", VitalKind::Temperature, 36.6, 1000);
  other_time.measured_at_ms = 900;
  WriteOutcome o = write(
      {make_reading("CHAIR1", VitalKind::HeartRate, 72, 1000), second_hr, other_status, nan, other_time},
      {ReadingContext{true, proto::infusion, 120, 80, "S-1"},
       ReadingContext{true, proto::infusion, 120, 80, "S-1"},
       ReadingContext{true, proto::infusion, 120, 80, "S-1"},
       ReadingContext{false, proto::infusion, 120, 80, "S-1"}});
  ASSERT_TRUE(o.ok) << o.error;
  // HR | HR (kind again) | SpO2 (status) | RR (context: unverified) | Temp (time, no context)
  EXPECT_EQ(set_rows(path_), 5);
  EXPECT_EQ(o.reading_ids, (std::vector<std::uint64_t>{1, 2, 3, 4, 5}));
  auto rows = read_all(path_);
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[1].reading.value, 75);
  EXPECT_EQ(rows[2].reading.status, "X");
  EXPECT_FALSE(rows[2].reading.valid);
  EXPECT_TRUE(std::isnan(rows[3].reading.value));
  ASSERT_TRUE(rows[3].context.has_value());
  EXPECT_FALSE(rows[3].context->verified);
  ASSERT_TRUE(rows[0].context.has_value());
  EXPECT_EQ(rows[0].context->phase, proto::infusion);
  EXPECT_EQ(rows[0].context->baseline_sys, 120);
  EXPECT_EQ(rows[0].context->session_id, "S-1");
  EXPECT_EQ(rows[4].reading.measured_at_ms, 900);
  EXPECT_FALSE(rows[4].context.has_value());
}

// A late reading (an old result sent again) reads back late, not merely unverified, and says
// so wherever a stored reading goes: the stream form and the JSON line of `vigilctl readings`.
TEST_F(ObservationSets, ALateReadingReadsBackLateAndItsExportsSaySo) {
  ReadingContext late{false, proto::infusion, 120, 80, "S-1"};
  late.late = true;
  WriteOutcome o = write({make_reading("CHAIR1", VitalKind::NibpSys, 212, 1000),
                          make_reading("CHAIR1", VitalKind::NibpSys, 140, 2000)},
                         {late, ReadingContext{false, proto::infusion, 120, 80, "S-1"}});
  ASSERT_TRUE(o.ok) << o.error;
  auto rows = read_all(path_);
  ASSERT_EQ(rows.size(), 2u);
  ASSERT_TRUE(rows[0].context && rows[1].context);
  EXPECT_TRUE(rows[0].context->late);
  EXPECT_FALSE(rows[0].context->verified);
  EXPECT_FALSE(rows[1].context->late) << "unverified is not late";
  EXPECT_TRUE(to_stream_reading(rows[0]).late());
  EXPECT_NE(jsonl_row(rows[0]).find("\"late\":true"), std::string::npos) << jsonl_row(rows[0]);
  EXPECT_EQ(jsonl_row(rows[1]).find("\"late\""), std::string::npos) << jsonl_row(rows[1]);
}

TEST_F(ObservationSets, SnapshotFindsEachChairsNewestOfEveryKindItEverSent) {
  {
    Store store({path_});
    WriteBatch old_temp;
    old_temp.readings = {make_reading("CHAIR1", VitalKind::Temperature, 36.5, 1000)};
    ASSERT_TRUE(submit_and_wait(store, old_temp).ok);
    for (int i = 0; i < 50; ++i) {
      WriteBatch b;
      b.readings = {make_reading("CHAIR1", VitalKind::HeartRate, 60 + i, 2000 + i * 1000),
                    make_reading("CHAIR2", VitalKind::SpO2, 90 + i % 10, 2000 + i * 1000)};
      ASSERT_TRUE(submit_and_wait(store, b).ok);
    }
  }
  auto latest = latest_readings_in(path_);
  ASSERT_EQ(latest.size(), 3u);  // CHAIR1 HR and temperature, CHAIR2 SpO2; nothing else
  EXPECT_EQ(latest[0].reading.bed, "CHAIR1");
  EXPECT_EQ(latest[0].reading.kind, VitalKind::HeartRate);
  EXPECT_EQ(latest[0].reading.value, 109);
  EXPECT_EQ(latest[1].reading.kind, VitalKind::Temperature);
  EXPECT_EQ(latest[1].reading.value, 36.5);
  EXPECT_EQ(latest[2].reading.bed, "CHAIR2");
  EXPECT_EQ(latest[2].reading.value, 99);
}

// The restart's current values are what the live faces showed: a withdrawal of an older
// result changes nothing, a withdrawal of the newest (a NIBP part's takes back its whole
// measurement) leaves the kind with none rather than an older value, a correction sent
// after it is the value again, and a late reading is never current.
TEST_F(ObservationSets, SnapshotShowsWhatTheLiveFacesShowedAfterWithdrawalsAndLateReadings) {
  auto arrived = [](Reading r, WallMillis at) {
    r.received_at_ms = at;
    return r;
  };
  auto withdrawal = [&](VitalKind kind, WallMillis stamp, WallMillis at) {
    Reading r = arrived(make_reading("CHAIR1", kind, std::nan(""), stamp), at);
    r.valid = false;
    r.status = "W";
    return r;
  };
  auto current = [&] {
    std::map<VitalKind, double> values;
    for (const StoredReading& r : latest_readings_in(path_)) values[r.reading.kind] = r.reading.value;
    return values;
  };
  ReadingContext late{false, proto::infusion, 120, 80, "S-1"};
  late.late = true;
  ASSERT_TRUE(write({arrived(make_reading("CHAIR1", VitalKind::NibpSys, 150, 1000), 1000),
                     arrived(make_reading("CHAIR1", VitalKind::NibpDia, 90, 1000), 1000)})
                  .ok);
  ASSERT_TRUE(write({arrived(make_reading("CHAIR1", VitalKind::NibpSys, 152, 2000), 2000),
                     arrived(make_reading("CHAIR1", VitalKind::NibpDia, 91, 2000), 2000)})
                  .ok);
  ASSERT_TRUE(write({withdrawal(VitalKind::NibpSys, 1000, 2500)}).ok);  // an older one: 152 stays
  ASSERT_TRUE(write({arrived(make_reading("CHAIR1", VitalKind::HeartRate, 72, 2600), 2600)}).ok);
  ASSERT_TRUE(write({arrived(make_reading("CHAIR1", VitalKind::HeartRate, 140, 100), 2700)}, {late}).ok);
  EXPECT_EQ(current()[VitalKind::NibpSys], 152);
  EXPECT_EQ(current()[VitalKind::NibpDia], 91);
  EXPECT_EQ(current()[VitalKind::HeartRate], 72) << "a late reading is not current";

  ASSERT_TRUE(write({arrived(make_reading("CHAIR1", VitalKind::NibpSys, 196, 3000), 3000),
                     arrived(make_reading("CHAIR1", VitalKind::NibpDia, 122, 3000), 3000)})
                  .ok);
  ASSERT_TRUE(write({withdrawal(VitalKind::NibpSys, 3000, 5000)}).ok);  // SYS alone: all of 196/122
  EXPECT_EQ(current().count(VitalKind::NibpSys), 0u) << "152 is not current because 196 was taken back";
  EXPECT_EQ(current().count(VitalKind::NibpDia), 0u);
  EXPECT_EQ(current()[VitalKind::HeartRate], 72);

  Reading corrected = arrived(make_reading("CHAIR1", VitalKind::NibpSys, 190, 3000), 6000);
  corrected.status = "C";
  ASSERT_TRUE(write({corrected}).ok);
  EXPECT_EQ(current()[VitalKind::NibpSys], 190);
}

TEST_F(ObservationSets, TheReadingsViewShowsWhatTheQueriesRead) {
  ASSERT_TRUE(write({make_reading("CHAIR1", VitalKind::HeartRate, 72, 1000),
                     make_reading("CHAIR1", VitalKind::SpO2, 97, 1000)})
                  .ok);
  ASSERT_TRUE(write({make_reading("CHAIR2", VitalKind::NibpSys, 130, 2000),
                     make_reading("CHAIR2", VitalKind::NibpMean, 95, 2000)})
                  .ok);
  sqlite::Connection db(path_, SQLITE_OPEN_READONLY);
  sqlite::Statement s(db, "SELECT id, bed, kind, value, unit FROM readings ORDER BY id");
  std::vector<std::string> lines;
  while (s.step()) {
    lines.push_back(std::to_string(s.column_int(0)) + " " + s.column_text(1) + " " + s.column_text(2) + " " +
                    std::to_string(static_cast<int>(s.column_double(3))) + " " + s.column_text(4));
  }
  EXPECT_EQ(lines, (std::vector<std::string>{"1 CHAIR1 HR 72 /min", "2 CHAIR1 SPO2 97 %",
                                             "3 CHAIR2 NIBP_SYS 130 mmHg", "4 CHAIR2 NIBP_MEAN 95 mmHg"}));
}

}  // namespace
}  // namespace vigil::store
