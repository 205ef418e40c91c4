#pragma once
// A whole file's bytes as a string (golden files, samples, a child's stderr); empty when the
// file cannot be read, which the comparison that follows then reports. And the number of
// lines in a text (a program's "one clear line" error contracts).

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

inline int count_lines(const std::string& text) {
  int n = 0;
  for (char c : text) n += c == '\n';
  return n;
}

}  // namespace vigil::test
