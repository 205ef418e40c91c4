// The report's arithmetic on its own: peaks, time at or above thresholds with the hold cap,
// bounded chart series, and alert folding.
#include <gtest/gtest.h>

#include "common/vocabulary.hpp"
#include "report/report_data.hpp"
#include "store/store_test_support.hpp"

namespace vigil::report {
namespace {

using store::testing::kMin;

TEST(ExposureMeter, EachValueHoldsUntilTheNextOneAndFirstPeakWins) {
  ExposureMeter m({{VitalKind::NibpSys, 180, "P2"}, {VitalKind::NibpSys, 160, "P4"}}, 10 * kMin);
  m.add({0, 150});
  m.add({5 * kMin, 182});
  m.add({10 * kMin, 186});
  m.add({15 * kMin, 186});  // equal peak later: the first one is reported
  m.add({20 * kMin, 165});
  m.add({25 * kMin, 120});
  auto totals = m.finish(60 * kMin);
  ASSERT_EQ(totals.size(), 2u);
  EXPECT_EQ(totals[0].above_ms, 15 * kMin);  // 182, 186, 186: 5 min each
  EXPECT_EQ(totals[0].readings_above, 3);
  EXPECT_EQ(totals[1].above_ms, 20 * kMin);
  EXPECT_EQ(totals[1].readings_above, 4);
  ASSERT_TRUE(m.peak());
  EXPECT_EQ(m.peak()->value, 186);
  EXPECT_EQ(m.peak()->at_ms, 10 * kMin);
}

TEST(ExposureMeter, AGapLongerThanTheHoldIsNotCountedAsAbove) {
  ExposureMeter m({{VitalKind::NibpSys, 180, "P2"}}, 10 * kMin);
  m.add({0, 190});
  m.add({30 * kMin, 120});  // 30 minutes without a reading
  m.add({31 * kMin, 200});  // last value: holds to the end, capped too
  auto totals = m.finish(90 * kMin);
  EXPECT_EQ(totals[0].above_ms, 20 * kMin);
  EXPECT_EQ(totals[0].readings_above, 2);
}

TEST(ExposureMeter, NoSamplesMeansNoPeakAndNoTime) {
  ExposureMeter m({{VitalKind::NibpDia, 110, "P2"}}, 10 * kMin);
  EXPECT_FALSE(m.peak());
  EXPECT_EQ(m.finish(60 * kMin)[0].above_ms, 0);
}

TEST(SeriesBuilder, KeepsAtMostMaxPointsAndAveragesBuckets) {
  SeriesBuilder b(0, 100 * kMin, 50);
  for (int s = 0; s < 6000; ++s) b.add({s * 1000LL, s % 2 == 0 ? 60.0 : 80.0});
  auto pts = b.finish();
  EXPECT_LE(pts.size(), 50u);
  EXPECT_GE(pts.size(), 49u);
  for (const auto& p : pts) EXPECT_NEAR(p.value, 70.0, 0.5);
  SeriesBuilder sparse(0, 100 * kMin, 1000);
  sparse.add({5 * kMin, 130});
  sparse.add({10 * kMin, 140});
  auto two = sparse.finish();
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[0].at_ms, 5 * kMin);
  EXPECT_EQ(two[1].value, 140);
}

proto::AlertEvent transition(const std::string& id, const std::string& t, const std::string& priority,
                             WallMillis at, const std::string& user = {}) {
  proto::AlertEvent e;
  e.set_id(id);
  e.set_rule(from_word<proto::AlertRule>(id.substr(id.find('-') + 1, 2)).value());
  e.set_priority(from_word<proto::Priority>(priority).value());
  e.set_transition(from_word<proto::Transition>(t).value());
  e.set_state(t == "resolved" ? proto::RESOLVED : t == "acknowledged" ? proto::ACKNOWLEDGED : proto::ACTIVE);
  e.set_message("SBP 184 >= 180");
  e.set_at_ms(at);
  e.set_onset_ms(at);
  e.set_user(user);
  if (t == "acknowledged") e.set_acknowledged_by(user);
  return e;
}

TEST(AlertFolder, OneSummaryPerAlertWithHighestPriorityAndFirstAck) {
  AlertFolder f(10);
  EXPECT_FALSE(f.add(transition("C2-P2-1", "raised", "MEDIUM", 1000)));
  f.add(transition("C2-P2-1", "priority_changed", "HIGH", 2000));
  auto ack = f.add(transition("C2-P2-1", "acknowledged", "HIGH", 3000, "nurse2"));
  ASSERT_TRUE(ack);
  EXPECT_EQ(ack->who, "nurse2");
  EXPECT_EQ(ack->at_ms, 3000);
  f.add(transition("C2-P2-1", "acknowledged", "HIGH", 4000, "nurse3"));
  f.add(transition("C2-P2-1", "resolved", "HIGH", 5000));
  auto alerts = f.finish();
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].priority, proto::HIGH);
  EXPECT_EQ(alerts[0].acknowledged_by, "nurse2");
  EXPECT_EQ(alerts[0].acknowledged_at_ms, 3000);
  EXPECT_EQ(alerts[0].resolved_at_ms, 5000);
  EXPECT_EQ(alerts[0].onset_ms, 1000);
}

// An acknowledgment given at MEDIUM is cancelled when the alarm rises to HIGH (the nurse
// must acknowledge again): the row for the HIGH alarm must not name it, and says the HIGH's
// own words, not the advisory's.
TEST(AlertFolder, AnAcknowledgmentARiseCancelledIsNotTheAlarmsAcknowledgment) {
  AlertFolder f(10);
  auto advisory = transition("C3-P2-1", "raised", "MEDIUM", 1000);
  advisory.set_state(proto::ADVISORY);
  advisory.set_message("SBP 186 >= 180: repeat NIBP now");
  f.add(advisory);
  auto confirmed = transition("C3-P2-1", "confirmed", "MEDIUM", 2000);
  confirmed.set_message("SBP 189 >= 180");
  f.add(confirmed);
  ASSERT_TRUE(f.add(transition("C3-P2-1", "acknowledged", "MEDIUM", 3000, "nina")));
  auto high = transition("C3-P2-1", "priority_changed", "HIGH", 4000);
  high.set_message("SBP 196 >= 180, DBP 121");
  f.add(high);
  auto unacked = f.finish();
  ASSERT_EQ(unacked.size(), 1u);
  EXPECT_EQ(unacked[0].priority, proto::HIGH);
  EXPECT_EQ(unacked[0].message, "SBP 196 >= 180, DBP 121");
  EXPECT_TRUE(unacked[0].acknowledged_by.empty()) << unacked[0].acknowledged_by;
  EXPECT_FALSE(unacked[0].acknowledged_at_ms);
  // Acknowledged again at HIGH: that is the one the row shows.
  f.add(transition("C3-P2-1", "acknowledged", "HIGH", 5000, "omar"));
  auto acked = f.finish();
  EXPECT_EQ(acked[0].acknowledged_by, "omar");
  EXPECT_EQ(acked[0].acknowledged_at_ms, 5000);
  // A fall in priority leaves the acknowledgment standing.
  auto lower = transition("C3-P2-1", "priority_changed", "MEDIUM", 6000);
  lower.set_state(proto::ACKNOWLEDGED);
  f.add(lower);
  EXPECT_EQ(f.finish()[0].acknowledged_by, "omar");
}

TEST(AlertFolder, CountsAlertsBeyondTheBound) {
  AlertFolder f(2);
  for (int i = 0; i < 5; ++i) f.add(transition("C2-P4-" + std::to_string(i), "raised", "LOW", i));
  f.add(transition("C2-P4-4", "resolved", "LOW", 9));  // not counted twice
  EXPECT_EQ(f.finish().size(), 2u);
  EXPECT_EQ(f.not_shown(), 3u);
}

}  // namespace
}  // namespace vigil::report
