#pragma once
// What apply_config_text says about a config text, for tests of its error messages.

#include <string>

#include "daemon/settings.hpp"

namespace vigil::daemon::test {

// The ConfigError's message for `text` read as file "c", or "no error".
inline std::string config_error_of(const std::string& text) {
  Settings s;
  try {
    apply_config_text(text, "c", s);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace vigil::daemon::test
