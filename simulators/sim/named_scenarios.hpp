#pragma once
// The built-in scenarios, by kebab-case name. Each draws its patient from a seed, so a
// named scenario and a seed always give the same patient and the same events.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/scenario.hpp"

namespace vigil::sim {

/// The names `vigil-sim --list` prints, in a stable order.
const std::vector<std::string>& scenario_names();

/// The named scenario with its patient drawn from `seed`; nullopt for an unknown name.
std::optional<Scenario> make_named_scenario(const std::string& name, std::uint64_t seed);

}  // namespace vigil::sim
