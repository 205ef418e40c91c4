#pragma once
// The stream subcommands' (watch, board, nurse actions, devices, history) shared first step:
// --connect and the link flags checked before anything connects.

#include <cstdint>
#include <iostream>
#include <optional>
#include <string>
#include <utility>

#include "net/host_port.hpp"
#include "net/link_security.hpp"

namespace vigil::ctl {

// The HOST:PORT to dial, or nullopt after printing the one-line error (the caller exits 2).
inline std::optional<std::pair<std::string, std::uint16_t>> stream_target(const std::string& connect,
                                                                          const net::LinkSecurity& security) {
  auto address = net::parse_host_port(connect);
  if (!address) {
    std::cerr << "vigilctl: bad --connect '" << connect
              << "': expected HOST:PORT, e.g. 127.0.0.1:7420 or [::1]:7420\n";
    return std::nullopt;
  }
  if (auto problem = net::check_link_security(security)) {
    std::cerr << "vigilctl: " << *problem << "\n";
    return std::nullopt;
  }
  return address;
}

}  // namespace vigil::ctl
