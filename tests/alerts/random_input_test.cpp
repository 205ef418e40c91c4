// Seeded random input sequences (the fuzz target's driver, run in every test build).
#include <gtest/gtest.h>

#include <random>
#include <vector>

#include "engine_driver.hpp"

namespace vigil::alerts::test {
namespace {

TEST(RandomInput, NeverCrashesAndKeepsInvariants) {
  std::mt19937 rng(20261121);  // fixed: a failure reproduces
  for (int round = 0; round < 60; ++round) {
    std::vector<std::uint8_t> bytes(4096);
    for (auto& b : bytes) b = static_cast<std::uint8_t>(rng());
    EngineDriver driver;
    ASSERT_EQ(driver.run(bytes.data(), bytes.size()), "") << "round " << round;
  }
}

}  // namespace
}  // namespace vigil::alerts::test
