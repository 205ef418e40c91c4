// Failed stream logins from one address: free tries, then a doubling lockout, a bounded
// table of addresses. The clock is stepped by hand.
#include <gtest/gtest.h>

#include "daemon/login_backoff.hpp"

namespace vigil::daemon {
namespace {

using namespace std::chrono_literals;

struct Fixture {
  std::chrono::steady_clock::time_point now{std::chrono::hours(1)};
  LoginBackoff backoff;
  explicit Fixture(LoginBackoffOptions o = {}) : backoff(o, [this] { return now; }) {}
};

TEST(LoginBackoff, FreeTriesThenDoublingLockoutUpToTheMaximum) {
  LoginBackoffOptions o;
  o.free_failures = 3;
  o.first_delay = 1s;
  o.max_delay = 8s;
  Fixture f(o);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(f.backoff.check("10.0.0.1"), 0ms);
    EXPECT_EQ(f.backoff.failed("10.0.0.1"), 0ms) << "try " << i << " is free";
  }
  const std::chrono::milliseconds expected[] = {1s, 2s, 4s, 8s, 8s};
  for (auto delay : expected) {
    EXPECT_EQ(f.backoff.check("10.0.0.1"), 0ms);
    EXPECT_EQ(f.backoff.failed("10.0.0.1"), delay);
    EXPECT_EQ(f.backoff.check("10.0.0.1"), delay) << "locked out: refused without a try";
    EXPECT_EQ(f.backoff.check("10.0.0.2"), 0ms) << "another address is not affected";
    f.now += delay;
  }
  EXPECT_EQ(f.backoff.counters().failures, 8u);
  EXPECT_EQ(f.backoff.counters().locked_refusals, 5u);
}

TEST(LoginBackoff, SuccessStartsAfresh) {
  LoginBackoffOptions o;
  o.free_failures = 1;
  Fixture f(o);
  f.backoff.failed("a");
  EXPECT_GT(f.backoff.failed("a"), 0ms);
  f.now += 1h;
  f.backoff.succeeded("a");
  EXPECT_EQ(f.backoff.tracked(), 0u);
  EXPECT_EQ(f.backoff.failed("a"), 0ms);
}

TEST(LoginBackoff, TableOfAddressesIsBounded) {
  LoginBackoffOptions o;
  o.max_addresses = 16;
  o.free_failures = 0;
  Fixture f(o);
  for (int i = 0; i < 1000; ++i) {
    f.backoff.failed("10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256));
    f.now += 1ms;
    ASSERT_LE(f.backoff.tracked(), 16u);
  }
  EXPECT_GT(f.backoff.counters().evictions, 0u);
  // The most recent guesser is still locked out.
  EXPECT_GT(f.backoff.check("10.0.3.231"), 0ms);
}

}  // namespace
}  // namespace vigil::daemon
