#pragma once
// Runs one vigilctl subcommand in-process with std::cout/std::cerr captured, as the program
// would print them, and splits the output into lines. Shared by the tests of monitor/ctl.

#include <iostream>
#include <sstream>
#include <string>
#include <vector>

namespace vigil::ctl::testing {

struct Captured {
  int code = -1;
  std::string out, err;
};

// Swaps std::cout/std::cerr buffers for the duration of one call.
template <class Fn>
Captured capture(Fn fn) {
  std::ostringstream out, err;
  auto* old_out = std::cout.rdbuf(out.rdbuf());
  auto* old_err = std::cerr.rdbuf(err.rdbuf());
  Captured c;
  c.code = fn();
  std::cout.rdbuf(old_out);
  std::cerr.rdbuf(old_err);
  c.out = out.str();
  c.err = err.str();
  return c;
}

inline std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

}  // namespace vigil::ctl::testing
