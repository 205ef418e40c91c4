// read_chair_history: which session, the since_ms window, the downsampling of non-NIBP kinds,
// the bounds (truncated, oldest first) and the refusals (unknown chair, another chair's session).
#include <gtest/gtest.h>

#include "log_test_support.hpp"
#include "store/chair_history.hpp"
#include "store/store.hpp"
#include "store_test_support.hpp"

namespace vigil::store {
namespace {

using testing::kMin;
using testing::kT0;
using testing::make_alert;
using testing::make_reading;
using testing::make_session_event;
using testing::submit_and_wait;
using testing::TempDir;

int count_kind(const proto::ChairHistory& h, proto::VitalKind kind) {
  int n = 0;
  for (const auto& r : h.readings()) n += r.kind() == kind;
  return n;
}

class ChairHistoryQuery : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.file("vigil.db");
    Store store({path_});
    WriteBatch closed;  // S-1, minutes 0..10, closed
    closed.sessions = {make_session_event("CHAIR1", "S-1", "begun", "setup", kT0),
                       make_session_event("CHAIR1", "S-1", "ended", "closed", kT0 + 10 * kMin)};
    closed.sessions[1].mutable_session()->set_ended_at_ms(kT0 + 10 * kMin);
    closed.readings = {make_reading("CHAIR1", VitalKind::NibpSys, 150, kT0 + 5 * kMin)};
    ASSERT_TRUE(submit_and_wait(store, closed).ok);
    WriteBatch open;  // S-2 from minute 20, 24 minutes of 1 Hz HR and a cuff every 5 min
    open.sessions = {make_session_event("CHAIR1", "S-2", "begun", "setup", kT0 + 20 * kMin)};
    open.sessions[0].mutable_session()->set_begun_at_ms(kT0 + 20 * kMin);
    for (int s = 0; s < 24 * 60; ++s)
      open.readings.push_back(
          make_reading("CHAIR1", VitalKind::HeartRate, 70 + s % 5, kT0 + 20 * kMin + s * 1000));
    for (int m = 0; m < 24; m += 5) {
      open.readings.push_back(
          make_reading("CHAIR1", VitalKind::NibpSys, 120 + m, kT0 + (20 + m) * kMin + 500));
      open.readings.push_back(make_reading("CHAIR1", VitalKind::NibpDia, 80, kT0 + (20 + m) * kMin + 500));
    }
    open.readings.push_back(make_reading("CHAIR2", VitalKind::HeartRate, 99, kT0 + 30 * kMin));
    open.alerts = {make_alert("CHAIR1-P2-1", "CHAIR1", "ACTIVE", "raised", kT0 + 30 * kMin)};
    ASSERT_TRUE(submit_and_wait(store, open).ok);
  }
  TempDir dir_;
  std::string path_;
};

TEST_F(ChairHistoryQuery, OpenSessionFromItsStartNibpAllHrOnePer10s) {
  const proto::ChairHistory h = read_chair_history(path_, {"CHAIR1", "", 0, kT0 + 44 * kMin});
  EXPECT_EQ(h.bed(), "CHAIR1");
  EXPECT_EQ(h.session_id(), "S-2");
  EXPECT_FALSE(h.truncated());
  EXPECT_EQ(count_kind(h, proto::NIBP_SYS), 5);  // minutes 20, 25, ..., 40; not S-1's
  EXPECT_EQ(count_kind(h, proto::NIBP_DIA), 5);
  EXPECT_EQ(count_kind(h, proto::HR), 24 * 6);  // 1,440 at 1 Hz -> one per 10 s
  ASSERT_EQ(h.alerts_size(), 1);
  EXPECT_EQ(h.alerts(0).id(), "CHAIR1-P2-1");
  ASSERT_EQ(h.events_size(), 1);
  for (const auto& r : h.readings()) {
    EXPECT_EQ(r.bed(), "CHAIR1");
    EXPECT_NE(r.id(), 0u);  // row ids: the screen merges by them
    EXPECT_GE(r.received_at_ms(), kT0 + 20 * kMin);
  }
}

TEST_F(ChairHistoryQuery, SinceAndNamedSession) {
  const proto::ChairHistory late =
      read_chair_history(path_, {"CHAIR1", "", kT0 + 40 * kMin, kT0 + 44 * kMin});
  EXPECT_EQ(count_kind(late, proto::NIBP_SYS), 1);
  EXPECT_EQ(late.alerts_size(), 0);
  const proto::ChairHistory old = read_chair_history(path_, {"CHAIR1", "S-1", 0, kT0 + 44 * kMin});
  EXPECT_EQ(old.session_id(), "S-1");
  ASSERT_EQ(old.readings_size(), 1);
  EXPECT_EQ(old.readings(0).value(), 150);
}

TEST_F(ChairHistoryQuery, BoundsCutOldestFirstAndSayTruncated) {
  HistoryLimits limits;
  limits.max_readings = 10;
  const proto::ChairHistory h = read_chair_history(path_, {"CHAIR1", "", 0, kT0 + 44 * kMin}, limits);
  EXPECT_TRUE(h.truncated());
  ASSERT_EQ(h.readings_size(), 10);
  EXPECT_EQ(h.readings(0).received_at_ms(), kT0 + 20 * kMin);  // the start is kept
  EXPECT_EQ(h.alerts_size(), 0);                               // minute 30 is after the cut
  limits = {};
  limits.max_bytes = 2000;
  const proto::ChairHistory small = read_chair_history(path_, {"CHAIR1", "", 0, kT0 + 44 * kMin}, limits);
  EXPECT_TRUE(small.truncated());
  EXPECT_LE(small.ByteSizeLong(), 2000u);
  EXPECT_GT(small.readings_size(), 0);
}

TEST_F(ChairHistoryQuery, ChairWithoutSessionGetsItsRecentReadings) {
  const proto::ChairHistory h = read_chair_history(path_, {"CHAIR2", "", 0, kT0 + 44 * kMin});
  EXPECT_EQ(h.session_id(), "");
  ASSERT_EQ(h.readings_size(), 1);
  EXPECT_EQ(h.readings(0).value(), 99);
}

TEST_F(ChairHistoryQuery, UnknownChairOrForeignSessionIsRefusedWithAReason) {
  try {
    read_chair_history(path_, {"CHAIR9", "", 0, kT0 + 44 * kMin});
    FAIL() << "an unknown chair must be refused";
  } catch (const HistoryRefused& e) {
    EXPECT_NE(std::string(e.what()).find("CHAIR9"), std::string::npos) << e.what();
  }
  EXPECT_THROW(read_chair_history(path_, {"CHAIR2", "S-1", 0, kT0 + 44 * kMin}), HistoryRefused);
  EXPECT_THROW(read_chair_history(dir_.file("missing.db"), {"CHAIR1", "", 0, kT0}), StoreError);
}

}  // namespace
}  // namespace vigil::store
