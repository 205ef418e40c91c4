#pragma once
// Which IntelliVue monitor on the LAN belongs to which chair: `--intellivue BED=HOST[:PORT]`
// and the config file's `intellivue { bed host port }` blocks both end up as an
// IntelliVueSpec. (An IntelliVue on a MIB serial port is a SerialSpec with protocol
// "intellivue".)

#include <cstdint>
#include <string>
#include <vector>

namespace vigil::daemon {

inline constexpr std::uint16_t kIntelliVueDefaultPort = 24105;  // the monitor's Data Export UDP port

struct IntelliVueSpec {
  std::string bed;   // chair name the readings get
  std::string host;  // the monitor's IP address or name
  std::uint16_t port = kIntelliVueDefaultPort;
  bool operator==(const IntelliVueSpec&) const = default;
};

/// Parses "BED=HOST[:PORT]" ("[v6addr]:PORT" for IPv6 with a port). Throws ConfigError.
IntelliVueSpec parse_intellivue_spec(const std::string& text);
/// Checks a spec built field by field; `origin` prefixes the message. Throws ConfigError.
void check_intellivue_spec(const IntelliVueSpec& spec, const std::string& origin);
/// Rejects two specs naming the same chair or the same HOST:PORT. Throws ConfigError.
void check_intellivue_specs_unique(const std::vector<IntelliVueSpec>& specs);
/// "CHAIR7=10.1.2.3:24105", for logs.
std::string to_string(const IntelliVueSpec& spec);

}  // namespace vigil::daemon
