// The daemon ticks the engine in slices (AlertEngine::tick_some) so that thousands of chairs
// never hold the io thread for a whole round: a round in slices must decide exactly what a
// whole tick decides, and survive chairs that come and go between its slices.
#include <set>
#include <tuple>

#include "alert_harness.hpp"

namespace vigil::alerts::test {
namespace {

// Each chair its own monitor, so each gets its own T1.
void heart_rate(Harness& h, const std::string& bed) {
  h.source = "MON-" + bed;
  h.reading(VitalKind::HeartRate, 80, true, bed);
}

using Decided = std::set<std::tuple<std::string, RuleId, std::string, TransitionKind>>;

void note(Decided& decided, const EngineOutput& out) {
  for (const AlertTransition& t : out.transitions) decided.emplace(t.bed, t.rule, t.subject, t.kind);
}

TEST(TickSlices, ARoundInSlicesDecidesWhatAWholeTickDecides) {
  Harness whole, sliced;
  constexpr int kBeds = 40;
  for (int i = 0; i < kBeds; ++i) {
    const std::string bed = "CHAIR" + std::to_string(100 + i);
    heart_rate(whole, bed);
    heart_rate(sliced, bed);
  }
  Decided by_whole, by_slices;
  AlertEngine::TickRound round;
  int slices = 0, rounds = 0;
  for (Duration t = 250ms; t <= 16s; t += 250ms) {
    whole.elapsed = sliced.elapsed = t;
    note(by_whole, whole.engine.tick(whole.now()));
    do {
      note(by_slices, sliced.engine.tick_some(sliced.now(), round, 7));
      ++slices;
    } while (round.open);
    ++rounds;
  }
  EXPECT_EQ(slices, rounds * 6);  // 40 chairs in slices of 7
  // Every chair's monitor fell silent: T1 on all 40, from either way of ticking.
  std::size_t t1 = 0;
  for (const auto& d : by_slices) t1 += std::get<1>(d) == RuleId::T1;
  EXPECT_EQ(t1, static_cast<std::size_t>(kBeds));
  EXPECT_EQ(by_slices, by_whole);
}

TEST(TickSlices, ChairsAddedOrForgottenBetweenSlicesAreHandled) {
  Harness h;
  for (const char* bed : {"A1", "B1", "C1", "D1", "E1"}) heart_rate(h, bed);
  h.elapsed = 16s;
  AlertEngine::TickRound round;
  Decided decided;
  note(decided, h.engine.tick_some(h.now(), round, 2));  // A1, B1
  ASSERT_TRUE(round.open);
  // C1 goes (idle, no live alert yet); AA1 arrives before the cursor, F1 after it.
  EXPECT_TRUE(h.engine.forget_bed("C1"));
  heart_rate(h, "AA1");
  h.elapsed = 0ms;
  heart_rate(h, "F1");  // silent since 0: its T1 is due in this round
  h.elapsed = 16s;
  while (round.open) note(decided, h.engine.tick_some(h.now(), round, 2));
  std::set<std::string> beds;
  for (const auto& d : decided) beds.insert(std::get<0>(d));
  // D1, E1 and F1 after the cursor were ticked; C1 was gone; AA1 waits for the next round.
  EXPECT_EQ(beds, (std::set<std::string>{"A1", "B1", "D1", "E1", "F1"}));
  h.elapsed = 32s;
  note(decided, h.engine.tick_some(h.now(), round, 100));
  EXPECT_FALSE(round.open);
  beds.clear();
  for (const auto& d : decided) beds.insert(std::get<0>(d));
  EXPECT_TRUE(beds.count("AA1"));
}

}  // namespace
}  // namespace vigil::alerts::test
