#pragma once
// A whole file's bytes as a string (golden files, samples, a child's stderr); empty when the
// file cannot be read, which the comparison that follows then reports.

#include <fstream>
#include <sstream>
#include <string>

namespace vigil::test {

inline std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace vigil::test
