// BriefSpin: when spinning for another thread's answer is worth it (the recent waits were
// shorter than the limit), and that a spin ends, with or without the answer. No timing is
// asserted: the waits are fed in, and a spin that never sees its answer is only required to
// return.
#include "common/brief_spin.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace vigil {
namespace {

using std::chrono::microseconds;
using std::chrono::milliseconds;

TEST(BriefSpin, ALimitOfZeroNeverSpins) {
  BriefSpin spin(microseconds(0));
  EXPECT_FALSE(spin.worth_it());
  spin.observed(microseconds(1));
  EXPECT_FALSE(spin.worth_it());
}

TEST(BriefSpin, FollowsHowLongTheWaitsHaveBeen) {
  BriefSpin spin(microseconds(200));
  EXPECT_TRUE(spin.worth_it()) << "nothing seen yet: try it";
  for (int i = 0; i < 40; ++i) spin.observed(microseconds(80));  // a lone sender's gaps
  EXPECT_TRUE(spin.worth_it());
  for (int i = 0; i < 40; ++i) spin.observed(milliseconds(2));  // group commits under load
  EXPECT_FALSE(spin.worth_it());
  spin.observed(microseconds(10));  // one short wait does not turn it back on
  EXPECT_FALSE(spin.worth_it());
  for (int i = 0; i < 60; ++i) spin.observed(microseconds(10));
  EXPECT_TRUE(spin.worth_it()) << "short waits again: spin again";
}

TEST(BriefSpin, AnIdleSecondNeedsManyShortWaitsToSpinAgain) {
  BriefSpin spin(microseconds(200));
  spin.observed(std::chrono::seconds(1));  // a quiet clinic: one message a second
  for (int i = 0; i < 20; ++i) spin.observed(microseconds(50));
  EXPECT_FALSE(spin.worth_it()) << "a few quick ones after an idle second are not yet a pattern";
}

TEST(BriefSpin, SpinReturnsAsSoonAsReady) {
  BriefSpin spin(std::chrono::seconds(60));  // would be a minute if it ignored ready()
  int calls = 0;
  EXPECT_TRUE(spin.spin([&] { return ++calls == 5; }));
  EXPECT_EQ(calls, 5);
}

TEST(BriefSpin, SpinGivesUpAtTheLimit) {
  BriefSpin spin(microseconds(50));
  int calls = 0;
  EXPECT_FALSE(spin.spin([&] {
    ++calls;
    return false;
  }));
  EXPECT_GE(calls, 2) << "looked at least at the start and at the end";
}

TEST(BriefSpin, SeesAnotherThreadsAnswer) {
  BriefSpin spin(std::chrono::seconds(60));
  std::atomic<bool> answered{false};
  std::thread other([&] { answered.store(true, std::memory_order_release); });
  EXPECT_TRUE(spin.spin([&] { return answered.load(std::memory_order_acquire); }));
  other.join();
}

TEST(BriefSpin, DefaultLimitIsOffWithOneCpu) {
  const auto limit = BriefSpin::default_limit(microseconds(200));
  EXPECT_EQ(limit, std::thread::hardware_concurrency() >= 2 ? microseconds(200) : microseconds(0));
}

}  // namespace
}  // namespace vigil
