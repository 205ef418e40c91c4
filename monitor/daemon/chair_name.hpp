#pragma once
// What may name a chair. Names come from outside (PV1-3, OBX-18, MSH-3/4, the config file,
// --serial and --intellivue, nurse requests) and reach the board, the database, CSV
// exports, reports, the alert log and the daemon's log. A control byte there rewrites a
// terminal or a log line (ESC [2J), a name of blanks shows an empty chair, and " C1" and
// "C1" would be two chairs a nurse cannot tell apart.

#include <optional>
#include <string>
#include <string_view>

namespace vigil::daemon {

// Why `name` cannot name a chair ("... is empty", "... contains the control byte 0x1B"),
// or nullopt when it can. The reason never echoes the name: it may hold what it is refused for.
std::optional<std::string> chair_name_problem(std::string_view name);

}  // namespace vigil::daemon
