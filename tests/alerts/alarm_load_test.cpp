// Fewer items for the same news: a bad reading gives one item, P4 stands aside while a
// higher blood-pressure item is live and does not flap on noise, the reading before within
// the confirmation band confirms at once, T3 does not repeat T5's request, and T7 waits for
// a NIBP-only monitor's first cuff. The tests of each change failed before it; the others
// guard what must stay (a reading beyond the band, infusion T3, a streaming chair's T7).
#include "alert_harness.hpp"

namespace vigil::alerts::test {
namespace {

int raised(const Harness& h, RuleId rule) { return h.count(rule, TransitionKind::Raised); }

// --- P2/P3/P5: the reading before, within the band under the limit, confirms ---------------

// B = 122/81 (start_infusion): P3 at SBP >= 162; P2 at SBP >= 180.
TEST(Load, ReadingBeforeWithinTheBandConfirmsAtOnce) {
  Harness h;
  h.start_infusion();
  h.advance(5min);
  h.nibp(150, 90);
  h.advance(5min);
  h.nibp(176, 98);  // 4 under P2's 180 (P3: advisory, 176 >= 162)
  ASSERT_FALSE(h.alert(RuleId::P2));
  h.advance(5min);
  h.nibp(181, 100);
  ASSERT_TRUE(h.alert(RuleId::P2));
  EXPECT_EQ(h.alert(RuleId::P2)->state, AlertState::Active) << "no advisory: two readings agree";
  EXPECT_EQ(h.alert(RuleId::P2)->priority, Priority::Medium);
  EXPECT_NE(
      h.alert(RuleId::P2)->message.find("the reading before, 176/98, within 5 mmHg of the limit confirms"),
      std::string::npos)
      << h.alert(RuleId::P2)->message;
}

TEST(Load, ReadingBeforeBeyondTheBandLeavesAnAdvisory) {
  Harness h;
  h.start_infusion();
  h.advance(5min);
  h.nibp(150, 90);
  h.advance(5min);
  h.nibp(174, 98);  // 6 under 180
  h.advance(5min);
  h.nibp(181, 100);
  ASSERT_TRUE(h.alert(RuleId::P2));
  EXPECT_EQ(h.alert(RuleId::P2)->state, AlertState::Advisory);
}

// An artifact is no evidence either way: the verified reading before it still counts.
TEST(Load, ArtifactBetweenDoesNotBreakTheReadingBefore) {
  Harness h;
  h.start_infusion();
  h.advance(5min);
  h.nibp(150, 90);
  h.advance(5min);
  h.nibp(176, 98);
  h.advance(5min);
  EXPECT_FALSE(h.nibp(100, 120).verified);
  h.advance(2min);
  h.nibp(182, 100);
  ASSERT_TRUE(h.alert(RuleId::P2));
  EXPECT_EQ(h.alert(RuleId::P2)->state, AlertState::Active);
}

// "The reading before" is within the T5 window (16 min), not any reading ever.
TEST(Load, OldReadingIsNotTheReadingBefore) {
  Harness h;
  h.start_infusion();
  h.advance(5min);
  h.nibp(150, 90);
  h.advance(5min);
  h.nibp(176, 98);
  h.advance(17min);
  h.nibp(181, 100);
  ASSERT_TRUE(h.alert(RuleId::P2));
  EXPECT_EQ(h.alert(RuleId::P2)->state, AlertState::Advisory);
}

TEST(Load, HypotensionReadingBeforeWithinTheBandAboveConfirms) {
  Harness h;
  h.start_infusion();
  h.advance(5min);
  h.nibp(93, 60);  // 3 over P5's 90 (and no MAP drop of 30 %)
  EXPECT_FALSE(h.alert(RuleId::P5));
  h.advance(5min);
  h.nibp(88, 58);
  ASSERT_TRUE(h.alert(RuleId::P5));
  EXPECT_EQ(h.alert(RuleId::P5)->state, AlertState::Active);
}

// --- P4: covered by a higher item, not before the infusion, a clearing band -----------------

TEST(Load, P4StandsAsideWhileAHigherBloodPressureItemIsLive) {
  Harness h;
  h.start_infusion();
  h.advance(5min);
  h.nibp(130, 82);
  h.advance(10min);
  h.nibp(150, 90);  // SBP >= B+25, 10 min after the last infusion cuff: P4
  ASSERT_TRUE(h.alert(RuleId::P4));
  h.advance(5min);
  h.nibp(166, 92);  // P3 advisory (repeat now) covers "consider a shorter cycle"
  ASSERT_TRUE(h.alert(RuleId::P3));
  EXPECT_FALSE(h.alert(RuleId::P4));
  h.advance(5min);
  h.nibp(168, 94);  // P3 alarm
  EXPECT_EQ(h.alert(RuleId::P3)->state, AlertState::Active);
  EXPECT_FALSE(h.alert(RuleId::P4));
  EXPECT_EQ(raised(h, RuleId::P4), 1);
}

TEST(Load, P4ShownOnceForOneReadingThatAlsoAsksForARepeat) {
  Harness h;
  h.start_infusion();
  h.advance(5min);
  h.nibp(140, 88);
  h.advance(5min);
  h.nibp(184, 96);  // P2 and P3 advisories; P4 would be a third item for the same reading
  EXPECT_TRUE(h.alert(RuleId::P2));
  EXPECT_EQ(raised(h, RuleId::P4), 0);
}

TEST(Load, P4DoesNotFlapOnNoiseAroundItsLimit) {
  Harness h;
  h.start_infusion();  // B 122: P4 at SBP >= 147 (B+25); clears below 142
  for (double sys : {149.0, 144.0, 150.0, 145.0, 148.0}) {
    h.advance(10min);  // a cycle longer than P4 asks for
    h.nibp(sys, 88);
  }
  EXPECT_EQ(raised(h, RuleId::P4), 1) << "raise, clear, raise on +-3 mmHg";
  ASSERT_TRUE(h.alert(RuleId::P4));
  h.advance(10min);
  h.nibp(141, 86);
  EXPECT_FALSE(h.alert(RuleId::P4));
}

TEST(Load, P4NotBeforeTheInfusionWhereP9JudgesTheBaseline) {
  Harness h;
  ASSERT_TRUE(h.act(SessionActionKind::Begin).ok);
  h.nibp(164, 96);
  EXPECT_FALSE(h.alert(RuleId::P4));
  // A chair without a session keeps P4 on absolute limits.
  h.bed = "BED2";
  h.nibp(164, 96, "BED2");
  EXPECT_TRUE(h.alert(RuleId::P4));
}

// P4 asks for "NIBP every 3-5 min": with the cuff already measuring every 5 min (readings a
// few seconds late included) it has nothing to ask; at a 10-min cycle it speaks.
TEST(Load, P4QuietWhileTheCuffAlreadyCyclesAsItAsks) {
  Harness h;
  h.start_infusion();  // B 122/81: P4 at SBP >= 147 (B+25); P3 at 162
  for (double sys : {150.0, 154.0, 156.0}) {
    h.advance(5min + 20s);
    h.nibp(sys, 88);
  }
  EXPECT_EQ(raised(h, RuleId::P4), 0) << "asked for a cycle the cuff already keeps";
  h.advance(10min);
  h.nibp(155, 88);
  ASSERT_TRUE(h.alert(RuleId::P4)) << "a 10-min cycle: the request applies";
  EXPECT_EQ(h.alert(RuleId::P4)->priority, Priority::Low);
  // Once raised it follows its own clearing, whatever the cycle.
  h.advance(5min);
  h.nibp(154, 88);
  EXPECT_TRUE(h.alert(RuleId::P4));
  h.advance(5min);
  h.nibp(140, 84);
  EXPECT_FALSE(h.alert(RuleId::P4));
}

// An artifact is a cuff cycle too: the cycle is the cuff's, not the verified readings'.
TEST(Load, P4CycleCountsAnArtifactMeasurement) {
  Harness h;
  h.start_infusion();
  h.advance(5min);
  EXPECT_FALSE(h.nibp(150, 150).verified);
  h.advance(5min);
  h.nibp(152, 88);
  EXPECT_EQ(raised(h, RuleId::P4), 0);
}

// The first infusion cuff comes 7 min after the last baseline one: that interval is the
// baseline's rhythm, not the 5-min cycle the nurse set with the infusion. Until the phase's
// second cuff, P4 takes the cycle the phase asks for; a cuff that then stays at 10 min is
// asked to go faster.
TEST(Load, P4DoesNotJudgeTheCycleAcrossThePhaseChange) {
  Harness h;
  h.start_infusion();  // B 122/81: P4 at SBP >= 147
  h.advance(7min);
  h.nibp(150, 88);
  EXPECT_EQ(raised(h, RuleId::P4), 0) << "7 min since the baseline cuff is not the infusion's cycle";
  h.advance(5min);
  h.nibp(151, 88);
  EXPECT_EQ(raised(h, RuleId::P4), 0) << "the infusion's cuff keeps 5 min";
  h.advance(10min);
  h.nibp(152, 88);
  EXPECT_TRUE(h.alert(RuleId::P4)) << "a 10-min cycle within the infusion: the request applies";
}

// Into recovery the phase asks for 10 min, but a cuff still at 5 min is the shorter: no P4
// at the first recovery reading, as before.
TEST(Load, P4AtTheFirstRecoveryCuffTakesTheShorterCycle) {
  Harness h;
  h.start_infusion();
  h.stop_infusion_after(5min, 130, 82);
  h.advance(5min);
  h.nibp(150, 88);
  EXPECT_EQ(raised(h, RuleId::P4), 0);
}

TEST(Load, P4CycleGateCanBeTurnedOff) {
  RuleProfile p;
  p.p4.quiet_if_cycle_within = Duration(0);
  Harness h({p});
  h.start_infusion();
  h.advance(5min);
  h.nibp(150, 88);
  EXPECT_TRUE(h.alert(RuleId::P4));
}

// --- T3 after an unverified reading -------------------------------------------------------

TEST(Load, T3InRecoveryDoesNotRepeatT5sRequest) {
  Harness h;
  h.start_infusion();
  h.stop_infusion_after(4min, 125, 80);
  h.advance(10min);
  EXPECT_FALSE(h.nibp(125, 125).verified);  // T5: repeat NIBP now
  ASSERT_TRUE(h.alert(RuleId::T5, "NIBP"));
  h.advance(5min);  // 15 min without a valid reading: over the 10 + 2 min of recovery
  EXPECT_FALSE(h.alert(RuleId::T3)) << "a LOW T3 beside the LOW T5 asks for the same repeat";
  h.nibp(124, 80);
  EXPECT_FALSE(h.alert(RuleId::T5, "NIBP"));
  h.advance(12min + 1s);
  EXPECT_TRUE(h.alert(RuleId::T3)) << "without an unverified reading T3 is raised as before";
}

TEST(Load, T3InInfusionStillEscalatesAfterAnUnverifiedReading) {
  Harness h;
  h.start_infusion();
  h.advance(5min);
  EXPECT_FALSE(h.nibp(125, 125).verified);
  h.advance(2min + 1s);
  ASSERT_TRUE(h.alert(RuleId::T3));
  EXPECT_EQ(h.alert(RuleId::T3)->priority, Priority::Medium);
}

// --- T7 follows the monitor's cadence -----------------------------------------------------

TEST(Load, T7WaitsForTheFirstCuffOfAMonitorNotKnownYet) {
  Harness h;
  ASSERT_TRUE(h.act(SessionActionKind::Begin).ok);
  h.advance(2min + 30s);
  EXPECT_FALSE(h.alert(RuleId::T7, "unbound")) << "a NIBP-only monitor sends when its first cuff completes";
  h.nibp(124, 80);
  h.advance(10min);
  EXPECT_FALSE(h.alert(RuleId::T7, "unbound"));
}

TEST(Load, T7OnAChairWhoseMonitorIsNotKnownComesAfterTheSpotCheckWait) {
  Harness h;
  ASSERT_TRUE(h.act(SessionActionKind::Begin).ok);
  h.advance(7min);
  EXPECT_FALSE(h.alert(RuleId::T7, "unbound"));
  h.advance(1s);
  ASSERT_TRUE(h.alert(RuleId::T7, "unbound"));
  EXPECT_EQ(h.alert(RuleId::T7, "unbound")->priority, Priority::Medium);
}

TEST(Load, T7OnAChairWhoseMonitorStreamsStillComesWithinAMinute) {
  Harness h;
  h.vital_for(VitalKind::HeartRate, 80, 5s);  // the chair's monitor streams numerics
  h.advance(1min);                            // ... and then goes quiet
  ASSERT_TRUE(h.act(SessionActionKind::Begin).ok);
  h.advance(60s);
  EXPECT_FALSE(h.alert(RuleId::T7, "unbound"));
  h.advance(1s);
  EXPECT_TRUE(h.alert(RuleId::T7, "unbound"));
}

TEST(Load, T7RemembersASpotCheckChairAcrossSessions) {
  Harness h;
  h.start_infusion();  // NIBP only
  ASSERT_TRUE(h.act(SessionActionKind::StopInfusion).ok);
  ASSERT_TRUE(h.act(SessionActionKind::End).ok);
  h.advance(30min);
  ASSERT_TRUE(h.act(SessionActionKind::Begin).ok);
  h.advance(3min);
  EXPECT_FALSE(h.alert(RuleId::T7, "unbound"));
}

}  // namespace
}  // namespace vigil::alerts::test
