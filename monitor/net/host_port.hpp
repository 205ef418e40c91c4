#pragma once
// "HOST:PORT" as given on command lines (--connect, --stream-listen).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace vigil::net {

// Parses "HOST:PORT", "[::1]:7420" (brackets required around IPv6 literals); the port must
// be 1..65535, or 0 too when `allow_port_zero` (a listen address: "pick a free port").
// nullopt on bad syntax. The host is returned without brackets.
std::optional<std::pair<std::string, std::uint16_t>> parse_host_port(std::string_view text,
                                                                     bool allow_port_zero = false);

}  // namespace vigil::net
