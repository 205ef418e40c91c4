// The history panel's record of a chair: readings (with the HR of that moment), infusion
// marks and alert transitions, newest first and bounded. A chair without alarms is not empty.
#include "model/chair_record.hpp"

#include <gtest/gtest.h>

namespace vigil::dashboard {
namespace {

constexpr std::int64_t kMin = 60'000;

ChairTrend quiet_chair(int minutes) {
  // A normal responder: NIBP every 5 min, HR every second, no alarm.
  ChairTrend t;
  for (int m = 0; m <= minutes; ++m) {
    for (int s = 0; s < 60; s += 1) t.hr.push_back({m * kMin + s * 1000, 70.0 + m % 5});
    if (m % 5 == 0) {
      t.sys.push_back({m * kMin + 30'000, 120.0 + m});
      t.dia.push_back({m * kMin + 30'000, 80});
      t.map.push_back({m * kMin + 30'000, 93});
    }
  }
  t.marks.push_back({2 * kMin, "start", Priority::None});
  return t;
}

TEST(ChairRecord, AChairWithoutAlarmsShowsItsReadingsNewestFirst) {
  const auto lines = chair_record(quiet_chair(24), {}, 100);
  ASSERT_EQ(lines.size(), 6u);  // 5 NIBP readings + the infusion start
  EXPECT_EQ(lines[0].kind, RecordLine::Reading);
  EXPECT_EQ(lines[0].at_ms, 20 * kMin + 30'000);
  EXPECT_EQ(lines[0].text, "NIBP 140/80 (93)  HR 70");
  EXPECT_EQ(lines.back().kind, RecordLine::Reading);  // 00:30 reading is older than the start mark
  EXPECT_EQ(lines[lines.size() - 2].text, "infusion start");
}

// An oximeter's pulse rate standing in for the ECG HR on the HR line is named as the HR cell
// names it, "PR", not passed off as an ECG HR.
TEST(ChairRecord, APulseRateOnTheHrLineIsSaidToBeOne) {
  ChairTrend t;
  t.sys.push_back({kMin, 150});
  t.hr.push_back({kMin - 2'000, 140, 0, true});
  const auto lines = chair_record(t, {}, 100);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].text, "NIBP 150  PR 140");
}

TEST(ChairRecord, AlertTransitionsSayWhoActed) {
  HistoryEntry raised{3 * kMin,      "CHAIR1-P2-1", proto::P2,       Priority::Medium,
                      proto::raised, proto::ACTIVE, "SBP 186 ≥ 180", ""};
  HistoryEntry acked{4 * kMin,         "CHAIR1-P2-1",       proto::P2,
                     Priority::Medium, proto::acknowledged, proto::ACKNOWLEDGED,
                     "SBP 186 ≥ 180",  "nurse.lee"};
  const auto lines = chair_record({}, {raised, acked}, 100);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].text, "P2 MEDIUM acknowledged by nurse.lee");
  EXPECT_EQ(lines[0].detail, "SBP 186 ≥ 180");
  EXPECT_EQ(lines[1].kind, RecordLine::Alert);
}

TEST(ChairRecord, BoundedToTheNewestLines) {
  const auto lines = chair_record(quiet_chair(180), {}, 10);
  ASSERT_EQ(lines.size(), 10u);
  EXPECT_EQ(lines[0].at_ms, 180 * kMin + 30'000);
  for (std::size_t i = 1; i < lines.size(); ++i) EXPECT_GE(lines[i - 1].at_ms, lines[i].at_ms);
}

}  // namespace
}  // namespace vigil::dashboard
