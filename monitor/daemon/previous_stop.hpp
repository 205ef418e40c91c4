#pragma once
// How vigild's previous run ended, as the service manager saw it. A daemon killed by its
// watchdog (a stuck event loop) or by a crash cannot say so itself; systemd can: the unit's
// ExecStopPost writes $SERVICE_RESULT ("success", "watchdog", "signal", "core-dump",
// "exit-code", "timeout" ...) into the file VIGIL_LAST_STOP_FILE names (deploy/vigild.service,
// in /run/vigil, kept across restarts). At start vigild reads it once, removes it, and for
// anything but a clean stop raises T8 "restart" on every chair with an open session: the
// nurse must know that readings and alarms of the gap were never seen.

#include <optional>
#include <string>

#include "reading/reading.hpp"

namespace vigil::daemon {

struct PreviousStop {
  std::string result;    // $SERVICE_RESULT, trimmed; "" if the file was empty
  WallMillis at_ms = 0;  // when it was written (the file's modification time)
};

// Reads and removes `path`; nullopt when there is no such file (a first start, a start by
// hand, or a unit without the ExecStopPost line).
std::optional<PreviousStop> take_previous_stop(const std::string& path);

// The T8 text for a stop that was not clean, nullopt for a clean one ("success" or empty):
// "vigild restarted by the watchdog (its event loop stopped responding); it stopped at
// 2026-12-06T14:02:11Z: readings and alarms since then were not monitored".
std::optional<std::string> restart_notice(const PreviousStop& stop);

}  // namespace vigil::daemon
