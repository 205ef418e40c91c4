#include "sim/control_prefix.hpp"

#include <cstdio>
#include <random>

namespace vigil::sim {

std::string random_control_prefix() {
  std::random_device rd;
  char buf[16];
  std::snprintf(buf, sizeof buf, "S%06X.", static_cast<unsigned>(rd() & 0xFFFFFF));
  return buf;
}

}  // namespace vigil::sim
