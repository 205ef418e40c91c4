// libFuzzer target: arbitrary input sequences must never crash the engine or break its
// invariants (see engine_driver.hpp). Register with vigil_add_fuzzer(alert_engine_fuzz ...).
#include <cstdio>
#include <cstdlib>

#include "alerts/engine_driver.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size > 64 * 1024) return 0;
  vigil::alerts::test::EngineDriver driver;
  const std::string failure = driver.run(data, size);
  if (!failure.empty()) {
    std::fprintf(stderr, "invariant broken: %s\n", failure.c_str());
    std::abort();
  }
  return 0;
}
