#pragma once
// "HOST:PORT" as given on command lines (--connect, --stream-listen).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace vigil::client {

// Parses "HOST:PORT", "[::1]:7420" (brackets required around IPv6 literals); the port must
// be 1..65535. nullopt on bad syntax. The host is returned without brackets.
std::optional<std::pair<std::string, std::uint16_t>> parse_host_port(std::string_view text);

}  // namespace vigil::client
