#include "daemon/previous_stop.hpp"

#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "common/wall_time.hpp"

namespace vigil::daemon {

std::optional<PreviousStop> take_previous_stop(const std::string& path) {
  if (path.empty()) return std::nullopt;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return std::nullopt;
  PreviousStop stop;
  stop.at_ms = static_cast<WallMillis>(st.st_mtim.tv_sec) * 1000 + st.st_mtim.tv_nsec / 1'000'000;
  std::ifstream in(path);
  char text[64] = {};
  in.read(text, sizeof text - 1);  // systemd's words are short; anything longer is cut
  stop.result = text;
  while (!stop.result.empty() && (stop.result.back() == '\n' || stop.result.back() == ' '))
    stop.result.pop_back();
  ::unlink(path.c_str());  // once: the next clean restart must not repeat the notice
  return stop;
}

std::optional<std::string> restart_notice(const PreviousStop& stop) {
  if (stop.result.empty() || stop.result == "success") return std::nullopt;
  std::string why;
  if (stop.result == "watchdog")
    why = "by the watchdog (its event loop stopped responding)";
  else if (stop.result == "core-dump" || stop.result == "signal")
    why = "after a crash (" + stop.result + ")";
  else
    why = "after an abnormal stop (" + stop.result + ")";
  return "vigild restarted " + why + "; it stopped at " + format_rfc3339(stop.at_ms) +
         ": readings and alarms since then were not monitored";
}

}  // namespace vigil::daemon
