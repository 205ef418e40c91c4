#pragma once
// The stream protocol version carried in ClientHello/ServerHello: a daemon refuses a hello
// of another version (ServerHello.reason says which it speaks).

#include <cstdint>

namespace vigil::stream {

inline constexpr std::uint32_t kProtocolVersion = 1;

}  // namespace vigil::stream
