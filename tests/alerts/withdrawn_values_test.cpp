// A monitor takes back a NIBP result it sent (OBX-11 W or D, same stamp): what the result
// showed and raised ends, the reading before it is again the one later readings are
// compared with, and T5 asks for a repeat.
#include "alert_harness.hpp"

namespace vigil::alerts::test {
namespace {

// In infusion from a 150/90 baseline (last verified 154/92): a reading of 202/122 is within
// T5's jump limit of it, so it raises P1 at once.
WallMillis severe_result_in_infusion(Harness& h) {
  h.start_infusion(150, 90);
  h.advance(5min);
  const WallMillis stamp = h.now().wall_ms;
  h.nibp(202, 122);
  EXPECT_TRUE(h.alert(RuleId::P1).has_value());
  return stamp;
}

TEST(WithdrawnValues, AWithdrawnSevereResultEndsItsP1AndAsksForARepeat) {
  Harness h;
  const WallMillis stamp = severe_result_in_infusion(h);
  h.advance(20s);
  const ReadingResult res = h.withdraw_nibp(stamp);
  EXPECT_FALSE(res.verified);
  EXPECT_NE(res.reason.find("withdrawn by the device"), std::string::npos) << res.reason;
  EXPECT_FALSE(h.alert(RuleId::P1).has_value()) << "the P1 of a withdrawn result stays";
  ASSERT_EQ(h.count(RuleId::P1, TransitionKind::Resolved), 1);
  EXPECT_NE(h.of(RuleId::P1).back().message.find("NIBP 202/122 withdrawn by the device"), std::string::npos)
      << h.of(RuleId::P1).back().message;
  const auto t5 = h.alert(RuleId::T5, "NIBP");
  ASSERT_TRUE(t5.has_value()) << "nothing asks the nurse to measure again";
  EXPECT_NE(t5->message.find("withdrawn by the device: repeat NIBP now"), std::string::npos) << t5->message;
}

TEST(WithdrawnValues, TheRepeatAfterAWithdrawnResultIsComparedWithTheReadingBeforeIt) {
  Harness h;
  const WallMillis stamp = severe_result_in_infusion(h);
  h.advance(20s);
  h.withdraw_nibp(stamp);
  h.advance(40s);
  // 52 under the withdrawn 202, 2 under the last verified 154: a real reading, not a jump.
  const ReadingResult repeat = h.nibp(150, 90);
  EXPECT_TRUE(repeat.verified) << repeat.reason;
  EXPECT_FALSE(h.alert(RuleId::T5, "NIBP").has_value());
  EXPECT_FALSE(h.alert(RuleId::P1).has_value());
}

TEST(WithdrawnValues, ALaterReadingStillMeetingTheRuleKeepsTheAlarmAnEarlierResultRaised) {
  Harness h;
  severe_result_in_infusion(h);
  h.advance(5min);
  const WallMillis second = h.now().wall_ms;
  h.nibp(204, 124);
  h.advance(20s);
  // The second result only refreshed the P1 the first raised: withdrawing it leaves the
  // first result's alarm in place.
  h.withdraw_nibp(second);
  EXPECT_TRUE(h.alert(RuleId::P1).has_value());
  EXPECT_EQ(h.count(RuleId::P1, TransitionKind::Resolved), 0);
}

TEST(WithdrawnValues, AWithdrawnResultEndsTheAdvisoryItRaised) {
  Harness h;
  h.start_infusion(150, 90);
  h.advance(5min);
  const WallMillis stamp = h.now().wall_ms;
  h.nibp(184, 100);  // P2's SBP limit, 30 over the last verified: an advisory awaiting a repeat
  const auto p2 = h.alert(RuleId::P2);
  ASSERT_TRUE(p2.has_value());
  ASSERT_EQ(p2->state, AlertState::Advisory);
  h.advance(10s);
  h.withdraw_nibp(stamp, " d ");
  EXPECT_FALSE(h.alert(RuleId::P2).has_value());
}

TEST(WithdrawnValues, AWithdrawalNamingNoResultOfTheChairChangesNothing) {
  Harness h;
  severe_result_in_infusion(h);
  h.advance(20s);
  h.withdraw_nibp(h.now().wall_ms - 3'600'000);  // a stamp no result of this chair had
  EXPECT_TRUE(h.alert(RuleId::P1).has_value());
  EXPECT_FALSE(h.alert(RuleId::T5, "NIBP").has_value());
}

// A result T5 already doubted (a jump) and then withdrawn: the alert log says so, with a
// transition, not only the screens.
TEST(WithdrawnValues, AWithdrawalOfADoubtedResultIsInTheAlertLog) {
  Harness h;
  h.start_infusion(120, 80);
  h.advance(5min);
  const WallMillis stamp = h.now().wall_ms;
  h.nibp(210, 125);  // +86 from the last verified 124: T5, no P1
  ASSERT_TRUE(h.alert(RuleId::T5, "NIBP").has_value());
  h.advance(20s);
  h.withdraw_nibp(stamp);
  const auto t5 = h.of(RuleId::T5);
  ASSERT_GE(t5.size(), 3u);
  EXPECT_EQ(t5.back().kind, TransitionKind::Raised);
  EXPECT_NE(t5.back().message.find("NIBP 210/125 withdrawn by the device: repeat NIBP now"),
            std::string::npos)
      << t5.back().message;
  EXPECT_EQ(t5[t5.size() - 2].kind, TransitionKind::Resolved);
}

// Before the infusion: a withdrawn reading leaves the baseline it was one of two readings of,
// and the start waits for readings that agree; a gate that judged it ends.
TEST(WithdrawnValues, ABaselineReadingWithdrawnTakesTheBaselineAndItsGateWithIt) {
  Harness h;
  ASSERT_TRUE(h.act(SessionActionKind::Begin).ok);
  h.nibp(168, 102);
  h.advance(3min);
  const WallMillis second = h.now().wall_ms;
  h.nibp(166, 101);
  ASSERT_TRUE(h.engine.baseline(h.bed) && h.engine.baseline(h.bed)->has_nibp());
  ASSERT_TRUE(h.alert(RuleId::P9).has_value()) << "a baseline over 160/100 holds the start";
  h.advance(20s);
  h.withdraw_nibp(second);
  const auto baseline = h.engine.baseline(h.bed);
  EXPECT_FALSE(baseline && baseline->has_nibp()) << "a baseline resting on a withdrawn reading";
  EXPECT_FALSE(h.alert(RuleId::P9).has_value());
  EXPECT_FALSE(h.act(SessionActionKind::StartInfusion).ok) << "started on a withdrawn baseline";
  h.advance(3min);
  h.nibp(124, 82);
  h.advance(3min);
  h.nibp(122, 80);
  ASSERT_TRUE(h.engine.baseline(h.bed) && h.engine.baseline(h.bed)->has_nibp());
  EXPECT_TRUE(h.act(SessionActionKind::StartInfusion).ok);
}

}  // namespace
}  // namespace vigil::alerts::test
