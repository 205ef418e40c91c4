#pragma once
// Sums replayed sessions into the figures a clinic compares profiles by: alarms per
// monitored hour by priority and rule, advisories, time from crossing to alarm, and for
// labelled feeds missed episodes and non-actionable MEDIUM/HIGH alarms per hour. Text or
// JSON; the same sessions always give the same output (no times of day in it).

#include <string>
#include <vector>

#include "replay/replay_run.hpp"

namespace vigil::replay {

struct ReplaySummary {
  int sessions = 0;
  double monitored_hours = 0;
  std::map<std::string, int> by_priority;                     // HIGH, MEDIUM, LOW, ADVISORY
  std::map<std::string, std::map<std::string, int>> by_rule;  // priority -> rule -> count
  std::vector<std::int64_t> crossing_to_alarm_ms;             // confirmed alarms
  bool labelled = false;
  int episodes = 0, missed = 0, late = 0, artifacts = 0, non_actionable = 0;
  int low_and_advisories = 0;                // LOW alarms + advisories
  int low_and_advisories_physiological = 0;  // of which P rules (P4, P9, advisories)
};

ReplaySummary summarize(const std::vector<SessionResult>& sessions);

std::string format_text(const ReplaySummary& summary, const std::vector<SessionResult>& sessions,
                        const std::string& profile, bool list_sessions);
std::string format_json(const ReplaySummary& summary, const std::vector<SessionResult>& sessions,
                        const std::string& profile);

}  // namespace vigil::replay
