#include "daemon/chair_name.hpp"

#include <cstdio>

#include "alerts/alert_engine.hpp"
#include "text/utf8.hpp"

namespace vigil::daemon {

std::optional<std::string> chair_name_problem(std::string_view name) {
  if (name.empty()) return "chair name is empty";
  // The longest name the alert engine holds: a longer one would be shown, never alarmed on.
  if (const std::size_t limit = alerts::EngineLimits{}.max_text; name.size() > limit) {
    return "chair name of " + std::to_string(name.size()) + " bytes is over the limit of " +
           std::to_string(limit);
  }
  for (std::size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    if (c < 0x20 || c == 0x7F) {
      char text[96];
      std::snprintf(text, sizeof text, "chair name contains the control byte 0x%02X at byte %zu", c, i + 1);
      return text;
    }
  }
  if (name.front() == ' ' || name.back() == ' ') return "chair name begins or ends with a space";
  if (!is_valid_utf8(name)) return "chair name is not valid UTF-8";
  return std::nullopt;
}

}  // namespace vigil::daemon
