#pragma once
// vigilctl's subcommands. main.cpp parses flags (CLI11) and calls one of these; each returns
// the process exit code and prints its own one-line error ("vigilctl: ...: what to do").

#include <cstdint>
#include <optional>
#include <string>

#include "net/link_security.hpp"

namespace vigil::ctl {

struct WatchArgs {
  std::string connect = "127.0.0.1:7420";  // HOST:PORT of vigild's stream
  std::optional<std::string> bed;          // only events for this chair
  std::string user;                        // sent in the hello; defaults to $USER
  bool reconnect = false;                  // keep retrying when the link drops
  net::LinkSecurity security;              // --tls --ca --cert --key --token ...
  std::uint32_t on_call_tier = 0;          // --on-call 1|2: receives escalations of that tier
  std::string on_call_label;               // --label "nurse.lee's phone"
  std::string format = "jsonl";            // jsonl (for programs) | text (for a terminal)
};
int run_watch(const WatchArgs& args);

struct ReadingsArgs {
  std::string db;  // SQLite file written by vigild
  std::optional<std::string> bed;
  std::optional<std::string> since;  // RFC 3339, date, or epoch ms (see wall_time.hpp)
  std::string format = "jsonl";      // jsonl | csv
};
int run_readings(const ReadingsArgs& args);

struct AlertsArgs {
  std::string db;  // SQLite file written by vigild
  std::optional<std::string> bed;
  std::optional<std::string> since;  // transitions at or after (formats as for readings)
  std::string format = "jsonl";      // jsonl | csv
};
// vigilctl alerts: the alert log, in log order.
int run_alerts(const AlertsArgs& args);

struct TimelineArgs {
  std::string db;
  std::string bed;
  std::optional<std::string> session;  // default: the chair's latest session
  std::string format = "text";         // text | jsonl
};
// vigilctl timeline: one session's events, readings and alerts in time order.
int run_timeline(const TimelineArgs& args);

}  // namespace vigil::ctl
