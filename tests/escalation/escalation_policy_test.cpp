// The escalation policy on a fake clock: tier 1 after the priority's time, tier 2 after a
// further interval, nothing after an acknowledgment or resolution, a fresh start when the
// alarm sounds anew, and "no one on call" moving straight to the next tier.
#include <gtest/gtest.h>

#include "escalation/escalation_policy.hpp"
#include "escalation/escalation_text.hpp"

namespace vigil::escalation {
namespace {

using alerts::AlertState;
using alerts::Priority;
using alerts::TransitionKind;
using std::chrono::seconds;

class FakeClock {
 public:
  Now now() const { return {MonoTime{} + elapsed_, 1'800'000'000'000 + elapsed_.count()}; }
  void advance(Duration d) { elapsed_ += d; }

 private:
  Duration elapsed_{0};
};

AlarmChange change(TransitionKind kind, Priority priority = Priority::High,
                   AlertState state = AlertState::Active) {
  AlarmChange c;
  c.alert_id = "CHAIR3-P1-1";
  c.bed = "CHAIR3";
  c.kind = kind;
  c.priority = priority;
  c.state = state;
  c.message = "SBP 204 >= 200";
  return c;
}

OnCallTarget phone(std::uint64_t id = 7, unsigned tier = 1, std::string label = "nurse.lee's phone") {
  return {id, tier, std::move(label), "lee", false};
}

struct Fixture : ::testing::Test {
  FakeClock clock;
  EscalationPolicy policy{EscalationTimes{}, 64, 8};

  std::vector<EscalationStep> advance_to(Duration d) {
    clock.advance(d);
    return policy.due(clock.now());
  }
};

TEST_F(Fixture, HighReachesTier1AfterTwoMinutesNotBefore) {
  ASSERT_TRUE(policy.add_target(phone()));
  policy.on_alarm(change(TransitionKind::Raised), clock.now());
  ASSERT_TRUE(policy.next_due());
  EXPECT_EQ(*policy.next_due(), clock.now().mono + seconds(120));
  EXPECT_TRUE(advance_to(seconds(119)).empty());
  auto steps = advance_to(seconds(1));
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0].tier, 1u);
  EXPECT_EQ(steps[0].alert_id, "CHAIR3-P1-1");
  EXPECT_EQ(steps[0].at_ms, clock.now().wall_ms);
  ASSERT_EQ(steps[0].targets.size(), 1u);
  EXPECT_EQ(describe(steps[0]), "escalated to nurse.lee's phone: HIGH SBP 204 >= 200 (CHAIR3)");
  EXPECT_TRUE(policy.due(clock.now()).empty()) << "a step is returned once";
}

TEST_F(Fixture, Tier2FollowsAfterAFurtherInterval) {
  policy.add_target(phone(1, 1));
  policy.add_target(phone(2, 2, "dr.kim's tablet"));
  policy.on_alarm(change(TransitionKind::Raised), clock.now());
  ASSERT_EQ(advance_to(seconds(120)).size(), 1u);
  EXPECT_TRUE(advance_to(seconds(119)).empty());
  auto steps = advance_to(seconds(1));
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0].tier, 2u);
  EXPECT_EQ(target_labels(steps[0]), "dr.kim's tablet");
  EXPECT_FALSE(policy.next_due()) << "two tiers, then done";
  EXPECT_TRUE(advance_to(seconds(3600)).empty());
}

TEST_F(Fixture, AcknowledgmentStopsIt) {
  policy.add_target(phone());
  policy.on_alarm(change(TransitionKind::Raised), clock.now());
  clock.advance(seconds(60));
  policy.on_alarm(change(TransitionKind::Acknowledged, Priority::High, AlertState::Acknowledged),
                  clock.now());
  EXPECT_TRUE(advance_to(seconds(600)).empty());
  EXPECT_EQ(policy.tracked(), 0u);
}

TEST_F(Fixture, AcknowledgmentAfterTier1StopsTier2) {
  policy.add_target(phone(1, 1));
  policy.add_target(phone(2, 2));
  policy.on_alarm(change(TransitionKind::Raised), clock.now());
  ASSERT_EQ(advance_to(seconds(120)).size(), 1u);
  policy.on_alarm(change(TransitionKind::Acknowledged, Priority::High, AlertState::Acknowledged),
                  clock.now());
  EXPECT_TRUE(advance_to(seconds(600)).empty());
}

TEST_F(Fixture, ResolutionStopsIt) {
  policy.add_target(phone());
  policy.on_alarm(change(TransitionKind::Raised), clock.now());
  policy.on_alarm(change(TransitionKind::Resolved, Priority::High, AlertState::Resolved), clock.now());
  EXPECT_TRUE(advance_to(seconds(600)).empty());
}

TEST_F(Fixture, ReannouncedAlarmStartsOver) {
  policy.add_target(phone(1, 1));
  policy.add_target(phone(2, 2));
  policy.on_alarm(change(TransitionKind::Raised), clock.now());
  ASSERT_EQ(advance_to(seconds(120)).size(), 1u);
  // Latched (condition gone, not acknowledged) and back: it sounds as a new alarm.
  policy.on_alarm(change(TransitionKind::Cleared, Priority::High, AlertState::Latched), clock.now());
  clock.advance(seconds(30));
  policy.on_alarm(change(TransitionKind::Reactivated), clock.now());
  EXPECT_TRUE(advance_to(seconds(119)).empty()) << "tier 2 was not kept from the first round";
  auto steps = advance_to(seconds(1));
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0].tier, 1u) << "starts over at tier 1";
}

TEST_F(Fixture, LatchedAlarmStillEscalates) {
  policy.add_target(phone());
  policy.on_alarm(change(TransitionKind::Raised), clock.now());
  clock.advance(seconds(30));
  policy.on_alarm(change(TransitionKind::Cleared, Priority::High, AlertState::Latched), clock.now());
  EXPECT_EQ(advance_to(seconds(90)).size(), 1u) << "nobody acknowledged it";
}

TEST_F(Fixture, NoOneOnCallIsAStepAndTier2IsTriedAtOnce) {
  policy.add_target(phone(2, 2, "dr.kim's tablet"));
  policy.on_alarm(change(TransitionKind::Raised), clock.now());
  auto steps = advance_to(seconds(120));
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0].tier, 1u);
  EXPECT_TRUE(steps[0].targets.empty());
  EXPECT_EQ(describe(steps[0]), "no one on call for tier 1: HIGH SBP 204 >= 200 (CHAIR3)");
  EXPECT_EQ(steps[1].tier, 2u);
  EXPECT_EQ(target_labels(steps[1]), "dr.kim's tablet");
  EXPECT_EQ(steps[1].at_ms, steps[0].at_ms);
}

TEST_F(Fixture, NoOneAtAllIsLoggedForBothTiers) {
  policy.on_alarm(change(TransitionKind::Raised), clock.now());
  auto steps = advance_to(seconds(120));
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_TRUE(steps[0].targets.empty());
  EXPECT_TRUE(steps[1].targets.empty());
  EXPECT_FALSE(policy.next_due());
}

TEST_F(Fixture, TargetThatLeftIsNotTold) {
  policy.add_target(phone(1, 1));
  policy.on_alarm(change(TransitionKind::Raised), clock.now());
  policy.remove_target(1);
  auto steps = advance_to(seconds(120));
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_TRUE(steps[0].targets.empty());
}

TEST_F(Fixture, MediumWaitsFiveMinutesLowNeverAdvisoryNever) {
  policy.add_target(phone());
  auto medium = change(TransitionKind::Raised, Priority::Medium);
  medium.alert_id = "CHAIR3-P3-2";
  auto low = change(TransitionKind::Raised, Priority::Low);
  low.alert_id = "CHAIR3-P4-3";
  auto advisory = change(TransitionKind::Raised, Priority::Medium, AlertState::Advisory);
  advisory.alert_id = "CHAIR3-P2-4";
  advisory.alert_kind = alerts::AlertKind::Advisory;
  for (const auto& c : {medium, low, advisory}) policy.on_alarm(c, clock.now());
  EXPECT_TRUE(advance_to(seconds(299)).empty());
  auto steps = advance_to(seconds(1));
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0].alert_id, "CHAIR3-P3-2");
  EXPECT_TRUE(advance_to(seconds(3600)).size() == 1u) << "only the MEDIUM's tier 2";
  EXPECT_TRUE(advance_to(seconds(36000)).empty());
}

TEST_F(Fixture, PriorityChangeKeepsTheStartWithTheNewPrioritysTime) {
  policy.add_target(phone());
  policy.on_alarm(change(TransitionKind::Raised, Priority::Medium), clock.now());
  clock.advance(seconds(60));
  policy.on_alarm(change(TransitionKind::PriorityChanged, Priority::High), clock.now());
  EXPECT_TRUE(advance_to(seconds(59)).empty());
  EXPECT_EQ(advance_to(seconds(1)).size(), 1u) << "HIGH's 2 minutes from the first sound";
}

TEST_F(Fixture, MediumUnacknowledgedPastHighsTimeEscalatesAtOnceWhenItBecomesHigh) {
  policy.add_target(phone());
  policy.on_alarm(change(TransitionKind::Raised, Priority::Medium), clock.now());
  EXPECT_TRUE(advance_to(seconds(200)).empty());
  policy.on_alarm(change(TransitionKind::PriorityChanged, Priority::High), clock.now());
  auto steps = policy.due(clock.now());
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0].priority, Priority::High);
}

TEST_F(Fixture, AnAlarmThatTurnsHighAfterItsMediumPageIsPagedAgainAsHigh) {
  policy.add_target(phone());
  policy.on_alarm(change(TransitionKind::Raised, Priority::Medium), clock.now());
  auto steps = advance_to(seconds(300));
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0].priority, Priority::Medium);
  // The P2 that is unacknowledged for 5 min turns HIGH in the same instant, just after.
  policy.on_alarm(change(TransitionKind::PriorityChanged, Priority::High), clock.now());
  steps = policy.due(clock.now());
  ASSERT_EQ(steps.size(), 1u);
  EXPECT_EQ(steps[0].tier, 1u);
  EXPECT_EQ(steps[0].priority, Priority::High);
  EXPECT_EQ(describe(steps[0]), "escalated to nurse.lee's phone: HIGH SBP 204 >= 200 (CHAIR3)");
  EXPECT_TRUE(policy.due(clock.now()).empty()) << "once";
  // A drop says nothing more; tier 2 still follows on its own time.
  policy.on_alarm(change(TransitionKind::PriorityChanged, Priority::Medium), clock.now());
  EXPECT_TRUE(policy.due(clock.now()).empty());
}

TEST_F(Fixture, PriorityDropKeepsTheStart) {
  policy.add_target(phone());
  policy.on_alarm(change(TransitionKind::Raised, Priority::High), clock.now());
  clock.advance(seconds(100));
  policy.on_alarm(change(TransitionKind::PriorityChanged, Priority::Medium), clock.now());
  EXPECT_TRUE(advance_to(seconds(199)).empty());
  EXPECT_EQ(advance_to(seconds(1)).size(), 1u) << "MEDIUM's 5 minutes from the original start";
}

TEST_F(Fixture, ConfiguredTimesDownToOneSecond) {
  EscalationTimes times;
  times.high = seconds(1);
  times.tier2_after = seconds(2);
  times.low = seconds(5);
  EscalationPolicy fast(times, 4, 4);
  fast.add_target(phone());
  fast.on_alarm(change(TransitionKind::Raised), clock.now());
  clock.advance(seconds(1));
  EXPECT_EQ(fast.due(clock.now()).size(), 1u);
}

TEST_F(Fixture, BoundsAreKept) {
  EscalationPolicy small(EscalationTimes{}, 2, 1);
  EXPECT_TRUE(small.add_target(phone(1)));
  EXPECT_FALSE(small.add_target(phone(2))) << "over max_targets";
  EXPECT_TRUE(small.add_target(phone(1, 2))) << "the same target changing tier";
  EXPECT_FALSE(small.add_target(phone(1, 3))) << "no tier 3";
  for (int i = 0; i < 5; ++i) {
    auto c = change(TransitionKind::Raised);
    c.alert_id = "A" + std::to_string(i);
    small.on_alarm(c, clock.now());
  }
  EXPECT_EQ(small.tracked(), 2u);
  EXPECT_EQ(small.dropped(), 3u);
}

TEST_F(Fixture, StepsComeOldestDeadlineFirst) {
  policy.add_target(phone());
  auto a = change(TransitionKind::Raised, Priority::Medium);
  a.alert_id = "Z-medium";
  policy.on_alarm(a, clock.now());
  clock.advance(seconds(200));
  auto b = change(TransitionKind::Raised, Priority::High);
  b.alert_id = "A-high";
  policy.on_alarm(b, clock.now());
  auto steps = advance_to(seconds(600));
  ASSERT_GE(steps.size(), 2u);
  EXPECT_EQ(steps[0].alert_id, "Z-medium");
}

}  // namespace
}  // namespace vigil::escalation
