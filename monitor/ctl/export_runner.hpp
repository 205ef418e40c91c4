#pragma once
// What every database export of vigilctl (readings, alerts, timeline) does the same way:
// the --since argument, line output that stops when stdout is gone, and one-line errors
// with the exit codes of the contract (1: cannot read or write, 2: bad arguments).

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "reading/reading.hpp"

namespace vigil::ctl {

// Parses --since into `out` (unset stays unset); prints the error and returns false if bad.
bool parse_since(const std::optional<std::string>& since, std::optional<WallMillis>& out);

// Writes lines to stdout; stops the export (by throwing) when stdout fails.
class LineOutput {
 public:
  void line(const std::string& text);
  void lines(const std::vector<std::string>& texts);
};

// Runs `body`, which writes through `out` and returns how many rows it skipped as unknown
// (kinds this vigilctl does not know). Database and output failures become one-line errors;
// returns the exit code.
int run_export(const std::string& db, const std::function<std::size_t(LineOutput& out)>& body);

// Prints a one-line error about an argument and returns 2.
int bad_argument(const std::string& message);

}  // namespace vigil::ctl
