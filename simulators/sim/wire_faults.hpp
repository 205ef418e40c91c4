#pragma once
// Faults a misbehaving monitor or network puts on the wire, injected by MllpSender on a
// fraction of messages (--fault garbage,truncate,... --fault-rate 0.05).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::sim {

/// One kind of wire fault.
enum class WireFault : std::uint8_t {
  Garbage,     // random bytes (never 0x0B) before the frame
  Truncate,    // a frame start and half the message, never finished, then the proper frame
  Stall,       // half the frame, a pause of `stall`, then the rest
  Disconnect,  // half the frame, then the connection is closed (resent after reconnect)
  Duplicate,   // the same frame (same MSH-10) twice in a row
};

/// Which faults to inject and how often.
struct FaultOptions {
  std::vector<WireFault> kinds;  // empty: no faults
  double rate = 0;               // probability per message, 0..1
  std::chrono::milliseconds stall{3000};
};

/// "garbage" ... ; nullopt for an unknown name.
std::optional<WireFault> wire_fault_from_string(std::string_view name);
const char* to_string(WireFault fault);

/// Parses "garbage,truncate,stall". Sets `error` and returns nullopt on an unknown name.
std::optional<std::vector<WireFault>> parse_fault_list(std::string_view list, std::string* error);

}  // namespace vigil::sim
