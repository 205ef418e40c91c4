#include "replay/replay_report.hpp"

#include <algorithm>
#include <cstdio>

#include "common/json_lines.hpp"

namespace vigil::replay {

namespace {

constexpr const char* kOrder[] = {"HIGH", "MEDIUM", "LOW", "ADVISORY"};

std::string fixed(double v, int digits = 2) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

double per_hour(int n, double hours) { return hours > 0 ? n / hours : 0; }

std::int64_t percentile(std::vector<std::int64_t> v, double q) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[static_cast<std::size_t>(q * static_cast<double>(v.size() - 1))];
}

int count_of(const SessionResult& s, const std::string& priority) {
  return static_cast<int>(std::count_if(s.soundings.begin(), s.soundings.end(),
                                        [&](const Sounding& x) { return x.priority == priority; }));
}

}  // namespace

ReplaySummary summarize(const std::vector<SessionResult>& sessions) {
  ReplaySummary s;
  for (const SessionResult& r : sessions) {
    ++s.sessions;
    s.monitored_hours += r.monitored_hours;
    for (const Sounding& x : r.soundings) {
      ++s.by_priority[x.priority];
      ++s.by_rule[x.priority][x.rule];
      if (x.since_crossing_ms > 0) s.crossing_to_alarm_ms.push_back(x.since_crossing_ms);
      if (x.priority == "LOW" || x.priority == "ADVISORY") {
        ++s.low_and_advisories;
        if (x.physiological || x.priority == "ADVISORY") ++s.low_and_advisories_physiological;
      }
    }
    if (r.labelled) {
      s.labelled = true;
      s.episodes += r.episodes;
      s.missed += r.missed;
      s.late += r.late;
      s.artifacts += r.artifacts;
      s.non_actionable += r.non_actionable_medium_high;
    }
  }
  return s;
}

std::string format_text(const ReplaySummary& s, const std::vector<SessionResult>& sessions,
                        const std::string& profile, bool list_sessions) {
  std::string out = "replay: " + std::to_string(s.sessions) + " sessions, " + fixed(s.monitored_hours, 1) +
                    " monitored hours, profile " + profile + "\n";
  out += "per monitored hour (alarms that started to sound; advisories are silent):\n";
  for (const char* p : kOrder) {
    const auto it = s.by_priority.find(p);
    const int n = it == s.by_priority.end() ? 0 : it->second;
    out += "  " + std::string(p) + std::string(9 - std::string(p).size(), ' ') +
           fixed(per_hour(n, s.monitored_hours)) + "  (" + std::to_string(n) + ")";
    if (auto r = s.by_rule.find(p); r != s.by_rule.end()) {
      out += "  ";
      for (const auto& [rule, c] : r->second) out += " " + rule + " " + fixed(per_hour(c, s.monitored_hours));
    }
    out += "\n";
  }
  out += "crossing to alarm (confirmed by a repeat): n " + std::to_string(s.crossing_to_alarm_ms.size()) +
         ", median " + fixed(static_cast<double>(percentile(s.crossing_to_alarm_ms, 0.5)) / 1000, 0) +
         " s, max " + fixed(static_cast<double>(percentile(s.crossing_to_alarm_ms, 1.0)) / 1000, 0) + " s\n";
  if (s.labelled) {
    out += "labels: episodes " + std::to_string(s.episodes) + ", missed " + std::to_string(s.missed) +
           ", alarmed after the confirming reading " + std::to_string(s.late) + ", artifact readings " +
           std::to_string(s.artifacts) + "\n";
    out += "non-actionable MEDIUM/HIGH per monitored hour " +
           fixed(per_hour(s.non_actionable, s.monitored_hours), 3) + " (" + std::to_string(s.non_actionable) +
           ")\n";
    out += "LOW alerts and advisories per monitored hour " +
           fixed(per_hour(s.low_and_advisories, s.monitored_hours)) + " (physiological " +
           fixed(per_hour(s.low_and_advisories_physiological, s.monitored_hours)) + ", technical " +
           fixed(per_hour(s.low_and_advisories - s.low_and_advisories_physiological, s.monitored_hours)) +
           ")\n";
  }
  if (!list_sessions) return out;
  out += "sessions:\n";
  for (const SessionResult& r : sessions) {
    out += "  " + r.name + "  " + fixed(r.monitored_hours) + " h  HIGH " +
           std::to_string(count_of(r, "HIGH")) + "  MEDIUM " + std::to_string(count_of(r, "MEDIUM")) +
           "  LOW " + std::to_string(count_of(r, "LOW")) + "  advisories " +
           std::to_string(count_of(r, "ADVISORY"));
    if (r.labelled)
      out += "  episodes " + std::to_string(r.episodes) + " missed " + std::to_string(r.missed) + " late " +
             std::to_string(r.late) + " non-actionable " + std::to_string(r.non_actionable_medium_high);
    out += "\n";
  }
  return out;
}

std::string format_json(const ReplaySummary& s, const std::vector<SessionResult>& sessions,
                        const std::string& profile) {
  std::string out = "{\"profile\":" + json_quote(profile) + ",\"sessions\":" + std::to_string(s.sessions) +
                    ",\"monitored_hours\":" + fixed(s.monitored_hours, 3) + ",\"per_hour\":{";
  bool first = true;
  for (const char* p : kOrder) {
    const auto it = s.by_priority.find(p);
    out += std::string(first ? "" : ",") + json_quote(p) + ":" +
           fixed(per_hour(it == s.by_priority.end() ? 0 : it->second, s.monitored_hours), 4);
    first = false;
  }
  out += "},\"by_rule\":{";
  first = true;
  for (const auto& [p, rules] : s.by_rule) {
    for (const auto& [rule, c] : rules) {
      out +=
          std::string(first ? "" : ",") + json_quote(p + std::string(" ") + rule) + ":" + std::to_string(c);
      first = false;
    }
  }
  out += "},\"crossing_to_alarm_s\":{\"n\":" + std::to_string(s.crossing_to_alarm_ms.size()) +
         ",\"median\":" + fixed(static_cast<double>(percentile(s.crossing_to_alarm_ms, 0.5)) / 1000, 1) +
         ",\"max\":" + fixed(static_cast<double>(percentile(s.crossing_to_alarm_ms, 1.0)) / 1000, 1) + "}";
  if (s.labelled) {
    out += ",\"episodes\":" + std::to_string(s.episodes) + ",\"missed\":" + std::to_string(s.missed) +
           ",\"late\":" + std::to_string(s.late) + ",\"artifacts\":" + std::to_string(s.artifacts) +
           ",\"non_actionable_medium_high_per_hour\":" +
           fixed(per_hour(s.non_actionable, s.monitored_hours), 4) +
           ",\"low_and_advisories_per_hour\":" + fixed(per_hour(s.low_and_advisories, s.monitored_hours), 4) +
           ",\"low_and_advisories_physiological_per_hour\":" +
           fixed(per_hour(s.low_and_advisories_physiological, s.monitored_hours), 4);
  }
  out += ",\"session_list\":[";
  first = true;
  for (const SessionResult& r : sessions) {
    out += std::string(first ? "" : ",") + "{\"name\":" + json_quote(r.name) +
           ",\"hours\":" + fixed(r.monitored_hours, 3) + ",\"high\":" + std::to_string(count_of(r, "HIGH")) +
           ",\"medium\":" + std::to_string(count_of(r, "MEDIUM")) +
           ",\"low\":" + std::to_string(count_of(r, "LOW")) +
           ",\"advisories\":" + std::to_string(count_of(r, "ADVISORY"));
    if (r.labelled)
      out += ",\"episodes\":" + std::to_string(r.episodes) + ",\"missed\":" + std::to_string(r.missed) +
             ",\"late\":" + std::to_string(r.late) +
             ",\"non_actionable\":" + std::to_string(r.non_actionable_medium_high);
    out += "}";
    first = false;
  }
  return out + "]}\n";
}

}  // namespace vigil::replay
