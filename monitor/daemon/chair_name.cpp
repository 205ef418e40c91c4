#include "daemon/chair_name.hpp"

#include <cstdint>
#include <cstdio>

#include "alerts/alert_engine.hpp"
#include "text/utf8.hpp"

namespace vigil::daemon {

namespace {

// Characters no one sees: C1 controls (U+009B is a terminal's CSI), zero-width and joiner
// characters, bidirectional overrides, the byte order mark. "C1\u200B" shows as "C1".
bool invisible(std::uint32_t cp) {
  return (cp >= 0x80 && cp <= 0x9F) || cp == 0xAD || (cp >= 0x200B && cp <= 0x200F) ||
         (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x206F) || cp == 0xFEFF;
}

bool space_like(std::uint32_t cp) {
  return cp == ' ' || cp == 0xA0 || cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200A);
}

}  // namespace

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
  if (!is_valid_utf8(name)) return "chair name is not valid UTF-8";
  std::uint32_t first = 0, last = 0;
  for (std::size_t i = 0; i < name.size();) {
    const std::size_t at = i;
    last = next_code_point(name, i);
    if (at == 0) first = last;
    if (invisible(last)) {
      char text[96];
      std::snprintf(text, sizeof text,
                    "chair name contains the invisible or control character U+%04X at byte %zu",
                    static_cast<unsigned>(last), at + 1);
      return text;
    }
  }
  if (space_like(first) || space_like(last)) return "chair name begins or ends with a space";
  return std::nullopt;
}

}  // namespace vigil::daemon
