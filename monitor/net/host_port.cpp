#include "net/host_port.hpp"

#include <charconv>

namespace vigil::net {

std::optional<std::pair<std::string, std::uint16_t>> parse_host_port(std::string_view text,
                                                                     bool allow_port_zero) {
  std::string_view host;
  std::string_view port;
  if (!text.empty() && text.front() == '[') {
    const auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':')
      return std::nullopt;
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else {
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return std::nullopt;
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    // An unbracketed IPv6 literal ("::1:7420") is ambiguous; insist on brackets.
    if (host.find(':') != std::string_view::npos) return std::nullopt;
  }
  if (host.empty() || port.empty() || port.size() > 5) return std::nullopt;
  for (char c : host) {
    if (c == ' ' || c == '\t' || c == '[' || c == ']' || c == '/') return std::nullopt;
  }
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (ec != std::errc() || end != port.data() + port.size() || (value == 0 && !allow_port_zero) ||
      value > 65535)
    return std::nullopt;
  return std::make_pair(std::string(host), static_cast<std::uint16_t>(value));
}

}  // namespace vigil::net
