// The S/5 condition mapping vigild's alarms rely on: NIBP failures only as events, SpO2
// trouble from any SPO2_ condition, every text in the detail.
#include "datex/s5_condition_summary.hpp"

#include <gtest/gtest.h>

namespace vigil::datex {
namespace {

TEST(S5ConditionSummary, NothingReportedMeansNoTrouble) {
  const ConditionSummary s = summarize({});
  EXPECT_TRUE(s.nibp_failures.empty());
  EXPECT_FALSE(s.spo2_trouble);
  EXPECT_EQ(s.detail, "");
}

TEST(S5ConditionSummary, NibpFailureCountsOnlyAsAnEvent) {
  const ConditionSummary s = summarize({{"NIBP_OVER_RANGE", "NIBP measurement failed: over range", true},
                                        {"NIBP_STATUS", "NIBP busy", false}});
  ASSERT_EQ(s.nibp_failures.size(), 1u);
  EXPECT_EQ(s.nibp_failures[0], "NIBP_OVER_RANGE");
  EXPECT_FALSE(s.spo2_trouble);
  EXPECT_EQ(s.detail, "NIBP measurement failed: over range; NIBP busy");
}

TEST(S5ConditionSummary, AnySpo2ConditionIsOximeterTrouble) {
  const ConditionSummary s = summarize({{"SPO2_INVALID", "SpO2 invalid", false}});
  EXPECT_TRUE(s.nibp_failures.empty());
  EXPECT_TRUE(s.spo2_trouble);
  EXPECT_EQ(s.detail, "SpO2 invalid");
}

}  // namespace
}  // namespace vigil::datex
