#pragma once
// The custom scenario file: one "key value..." per line, '#' starts a comment. The format
// is documented in docs/scenarios.md. Errors name the line: "line 7: unknown key 'foo'".

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sim/scenario.hpp"

namespace vigil::sim {

/// The outcome of parsing a scenario file.
struct ScenarioParse {
  std::optional<Scenario> scenario;  // set on success
  int error_line = 0;                // 1-based; 0 when the error is not about one line
  std::string error;                 // "line 7: ..." on failure
};

/// Parses scenario text. `seed` draws the patient when the file says `from <name>`.
ScenarioParse parse_scenario_text(std::string_view text, std::uint64_t seed);

/// Reads and parses a file (at most 1 MiB).
ScenarioParse load_scenario_file(const std::string& path, std::uint64_t seed);

}  // namespace vigil::sim
