#pragma once
// Which patient monitor hangs on which serial port: `--serial BED=DEVICE[,baud=N][,protocol=P]`
// and the config file's `serial { ... }` blocks both end up as a SerialSpec.

#include <string>
#include <vector>

// Errors are vigil::daemon::ConfigError (daemon/settings.hpp, which includes this header
// for Settings::serials).

namespace vigil::daemon {

inline constexpr const char* kSerialProtocolS5 = "datex-s5";
inline constexpr const char* kSerialProtocolIntelliVue = "intellivue";
/// The line speed a protocol runs at when no baud is given: the S/5's 19200, the
/// IntelliVue MIB port's 115200.
unsigned default_baud(const std::string& protocol);

/// One serial monitor: the chair it belongs to, the port and the line settings.
struct SerialSpec {
  std::string bed;                    // chair name the readings get
  std::string device;                 // e.g. /dev/ttyUSB0 (a symlink is fine)
  unsigned baud = 19200;              // 9600, 19200, 38400, 57600 or 115200
  std::string protocol = "datex-s5";  // or "intellivue" (MIB/RS-232 Data Export)

  bool operator==(const SerialSpec&) const = default;
};

/// Parses "BED=DEVICE[,baud=N][,protocol=datex-s5|intellivue]" (options in any order, each at most
/// once; blanks around parts are ignored; DEVICE cannot contain ','). Throws ConfigError
/// with one line naming the problem.
SerialSpec parse_serial_spec(const std::string& text);

/// Checks a spec built field by field (e.g. from the config file); `origin` prefixes the
/// message, e.g. "config vigil.conf: serial[0]". Throws ConfigError.
void check_serial_spec(const SerialSpec& spec, const std::string& origin);

/// Rejects two specs naming the same device or the same chair. Throws ConfigError.
void check_serial_specs_unique(const std::vector<SerialSpec>& specs);

/// "CHAIR5=/dev/ttyUSB0,baud=19200,protocol=datex-s5", for logs.
std::string to_string(const SerialSpec& spec);

}  // namespace vigil::daemon
