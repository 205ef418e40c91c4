// libFuzzer: scenario files (operator-written text). Parse; when it parses, evaluate the
// model over the session so absurd-but-accepted values cannot crash the player either.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sim/physiology_model.hpp"
#include "sim/scenario_file.hpp"
#include "sim/session_plan.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto r =
      vigil::sim::parse_scenario_text(std::string_view(reinterpret_cast<const char*>(data), size), 1);
  if (!r.scenario) {
    if (r.error.empty()) __builtin_trap();  // a failure must say why
    return 0;
  }
  const vigil::sim::PhysiologyModel model(*r.scenario, 1);
  const double start = vigil::sim::session_start_minute(*r.scenario);
  const double end = vigil::sim::session_end_minute(*r.scenario);
  for (double m = start; m <= end; m += (end - start) / 50 + 0.01) {
    if (!std::isfinite(model.systolic_at(m)) || !std::isfinite(model.heart_rate_at(m))) __builtin_trap();
  }
  (void)vigil::sim::nibp_schedule(*r.scenario);
  return 0;
}
