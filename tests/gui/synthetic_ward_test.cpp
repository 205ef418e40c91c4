// The frame benchmark's synthetic ward (vigil-dashboard --bench-frames) fed through the real
// model: the frames measured must be those of a full ward, with whole-session trends.
#include <gtest/gtest.h>

#include "client/ward_model.hpp"
#include "model/model_views.hpp"
#include "model/synthetic_ward.hpp"

namespace vigil::dashboard {
namespace {

constexpr std::int64_t kNow = 1'800'000'000'000;

client::WardModel fed(const SyntheticWardOptions& o) {
  client::WardModel model("bench");
  model.on_link(LinkView::Connected, "", kNow);
  for (const auto& m : synthetic_ward(o, kNow)) {
    if (m.has_hello())
      model.on_hello(m.hello(), kNow);
    else
      model.on_message(m, kNow);
  }
  return model;
}

TEST(SyntheticWard, SixteenChairsWithValuesSessionsAndAlerts) {
  const client::WardModel model = fed({});
  const DashboardSnapshot s = model.snapshot(kNow);
  ASSERT_TRUE(s.data_valid);
  ASSERT_EQ(s.chairs.size(), 16u);
  for (const ChairView& c : s.chairs) {
    EXPECT_TRUE(c.has_session) << c.bed;
    EXPECT_EQ(c.phase, proto::recovery) << c.bed;
    EXPECT_EQ(c.hr.freshness, Freshness::Fresh) << c.bed;
    EXPECT_TRUE(c.sys.value.has_value()) << c.bed;
  }
  int high = 0, advisories = 0;
  for (const AlertView& a : s.alerts) {
    high += a.priority == Priority::High && !a.advisory;
    advisories += a.advisory;
  }
  EXPECT_EQ(high, 4);
  EXPECT_EQ(advisories, 6);
}

// 90 minutes of 1 Hz HR must all be in the trend: a plot that drops the session's start
// (the baseline) misleads, and the benchmark would measure a lighter frame than the ward's.
TEST(SyntheticWard, TrendHoldsTheWholeSession) {
  const client::WardModel model = fed({});
  const ChairTrend t = model.trend("CHAIR1");
  ASSERT_EQ(t.hr.size(), 90u * 60u + 1u);
  EXPECT_EQ(t.hr.front().t_ms, kNow - 90 * 60'000);
  EXPECT_EQ(t.hr.back().t_ms, kNow);
  EXPECT_EQ(t.sys.size(), 90u / 5u + 1u);
  ASSERT_TRUE(t.baseline_sys.has_value());
  int session_marks = 0;
  for (const TrendMark& m : t.marks) session_marks += m.label == "start" || m.label == "stop";
  EXPECT_EQ(session_marks, 2);  // infusion start and stop
}

}  // namespace
}  // namespace vigil::dashboard
