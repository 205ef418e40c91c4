// The daemon ticks the engine in slices (AlertEngine::tick_some) so that thousands of chairs
// never hold the io thread for a whole round: a round in slices must decide exactly what a
// whole tick decides, and survive chairs that come and go between its slices.
#include <set>
#include <tuple>

#include "alert_harness.hpp"

namespace vigil::alerts::test {
namespace {

Reading heart_rate(const std::string& bed, Now now) {
  Reading r;
  r.bed = bed;
  r.kind = VitalKind::HeartRate;
  r.value = 80;
  r.measured_at_ms = now.wall_ms;
  r.received_at_ms = now.wall_ms;
  r.source = "MON-" + bed;
  r.valid = true;
  return r;
}

Now at(Duration elapsed) { return Now{MonoTime{} + 1h + elapsed, Harness::kWall0 + elapsed.count()}; }

using Decided = std::set<std::tuple<std::string, RuleId, std::string, TransitionKind>>;

void note(Decided& decided, const EngineOutput& out) {
  for (const AlertTransition& t : out.transitions) decided.emplace(t.bed, t.rule, t.subject, t.kind);
}

TEST(TickSlices, ARoundInSlicesDecidesWhatAWholeTickDecides) {
  AlertEngine whole, sliced;
  constexpr int kBeds = 40;
  for (int i = 0; i < kBeds; ++i) {
    const std::string bed = "CHAIR" + std::to_string(100 + i);
    whole.on_reading(heart_rate(bed, at(0ms)), at(0ms));
    sliced.on_reading(heart_rate(bed, at(0ms)), at(0ms));
  }
  Decided by_whole, by_slices;
  AlertEngine::TickRound round;
  int slices = 0, rounds = 0;
  for (Duration t = 250ms; t <= 16s; t += 250ms) {
    note(by_whole, whole.tick(at(t)));
    do {
      note(by_slices, sliced.tick_some(at(t), round, 7));
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
  AlertEngine engine;
  for (const char* bed : {"A1", "B1", "C1", "D1", "E1"}) engine.on_reading(heart_rate(bed, at(0ms)), at(0ms));
  AlertEngine::TickRound round;
  Decided decided;
  note(decided, engine.tick_some(at(16s), round, 2));  // A1, B1
  ASSERT_TRUE(round.open);
  // C1 goes (idle, no live alert yet); AA1 arrives before the cursor, F1 after it.
  EXPECT_TRUE(engine.forget_bed("C1"));
  engine.on_reading(heart_rate("AA1", at(16s)), at(16s));
  engine.on_reading(heart_rate("F1", at(0ms)), at(0ms));
  while (round.open) note(decided, engine.tick_some(at(16s), round, 2));
  std::set<std::string> beds;
  for (const auto& d : decided) beds.insert(std::get<0>(d));
  // D1, E1 and F1 after the cursor were ticked; C1 was gone; AA1 waits for the next round.
  EXPECT_EQ(beds, (std::set<std::string>{"A1", "B1", "D1", "E1", "F1"}));
  note(decided, engine.tick_some(at(32s), round, 100));
  EXPECT_FALSE(round.open);
  beds.clear();
  for (const auto& d : decided) beds.insert(std::get<0>(d));
  EXPECT_TRUE(beds.count("AA1"));
}

}  // namespace
}  // namespace vigil::alerts::test
