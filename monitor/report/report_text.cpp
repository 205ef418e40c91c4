#include "report/report_text.hpp"

#include <cmath>
#include <cstdio>
#include <ctime>

#include "common/vocabulary.hpp"

namespace vigil::report {

namespace {

std::tm local(WallMillis ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm out{};
  localtime_r(&t, &out);
  return out;
}

std::string strftime_text(WallMillis ms, const char* format) {
  std::tm tm = local(ms);
  char buf[64];
  std::size_t n = std::strftime(buf, sizeof buf, format, &tm);
  return std::string(buf, n);
}

std::string at_or(const std::optional<WallMillis>& t, const std::string& otherwise) {
  return t ? time_of_day(*t) : otherwise;
}

std::string baseline_text(const proto::SessionInfo& s) {
  const auto& b = s.baseline();
  if (!b.has_sys_mmhg() || !b.has_dia_mmhg()) return "none recorded";
  std::string text = mmhg(b.sys_mmhg()) + "/" + mmhg(b.dia_mmhg()) + " mmHg";
  if (b.has_map_mmhg()) text += ", MAP " + mmhg(b.map_mmhg());
  if (b.has_hr_bpm()) text += ", HR " + mmhg(b.hr_bpm());
  if (b.source() == proto::override) {
    text += " (override by " + (b.override_user().empty() ? std::string("?") : b.override_user());
  } else {
    text += " (computed from " + std::to_string(b.nibp_readings_used()) + " readings";
  }
  if (b.at_ms() != 0) text += " at " + time_of_day(b.at_ms());
  return text + ")";
}

}  // namespace

std::string time_of_day(WallMillis ms) { return strftime_text(ms, "%H:%M:%S"); }
std::string date_of(WallMillis ms) { return strftime_text(ms, "%Y-%m-%d"); }

std::string utc_offset_text(WallMillis ms) {
  const long off = local(ms).tm_gmtoff / 60;
  char buf[48];
  std::snprintf(buf, sizeof buf, "UTC%c%02ld:%02ld", off < 0 ? '-' : '+', std::labs(off) / 60,
                std::labs(off) % 60);
  return buf;
}

std::string duration_text(std::int64_t ms) {
  const std::int64_t s = (ms + 500) / 1000;
  char buf[48];
  if (s >= 3600) {
    std::snprintf(buf, sizeof buf, "%lld h %02lld min", static_cast<long long>(s / 3600),
                  static_cast<long long>((s % 3600) / 60));
  } else if (s % 60 == 0) {
    std::snprintf(buf, sizeof buf, "%lld min", static_cast<long long>(s / 60));
  } else {
    std::snprintf(buf, sizeof buf, "%lld min %02lld s", static_cast<long long>(s / 60),
                  static_cast<long long>(s % 60));
  }
  return buf;
}

std::string mmhg(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f", std::round(v));  // half away from zero, as judged
  return buf;
}

std::string threshold_label(const Threshold& t) {
  return std::string(t.kind == VitalKind::NibpSys ? "SBP" : "DBP") + " >= " + mmhg(t.limit_mmhg) + " (" +
         t.rule + ")";
}

std::vector<Row> summary_rows(const ReportData& d) {
  const proto::SessionInfo& s = d.session;
  std::vector<Row> rows;
  rows.push_back({"Patient", s.patient().empty() ? "(no label)" : s.patient()});
  rows.push_back({"Chair", s.bed()});
  rows.push_back({"Date", date_of(d.from_ms) + " (times " + utc_offset_text(d.from_ms) + ")"});
  rows.push_back(
      {"Session", s.session_id() + ", " + time_of_day(d.from_ms) + " to " +
                      (d.open ? "still open at " + time_of_day(d.until_ms) : time_of_day(d.until_ms))});
  rows.push_back({"Infusion start",
                  s.infusion_started_at_ms() ? time_of_day(s.infusion_started_at_ms()) : "not started"});
  rows.push_back({"Infusion stop",
                  s.infusion_stopped_at_ms() ? time_of_day(s.infusion_stopped_at_ms()) : "not stopped"});
  char minutes[96];
  std::snprintf(minutes, sizeof minutes, "%d min planned, %.1f min run (pauses excluded)",
                s.planned_minutes(), actual_infusion_minutes(s));
  rows.push_back({"Planned vs actual", minutes});
  rows.push_back({"Baseline", baseline_text(s)});
  auto peak = [](const std::optional<Peak>& p) {
    return p ? mmhg(p->value) + " mmHg at " + time_of_day(p->at_ms) : std::string("no verified reading");
  };
  rows.push_back({"Peak SBP", peak(d.peak_sys)});
  rows.push_back({"Peak DBP", peak(d.peak_dia)});
  rows.push_back({"Recovery began", at_or(d.recovery_started_ms, "not reached")});
  rows.push_back({"Discharge criteria met", at_or(d.discharge_met_ms, "not met")});
  rows.push_back({"Alerts", std::to_string(d.alerts.size() + d.alerts_not_shown)});
  rows.push_back({"Readings", std::to_string(d.readings) + " (" + std::to_string(d.excluded_readings) +
                                  " unverified or invalid, left out of peaks and times)"});
  rows.push_back({"Limits", d.profile_note});
  return rows;
}

std::vector<Row> exposure_rows(const ReportData& d) {
  std::vector<Row> rows;
  for (const ThresholdTime& t : d.above) {
    rows.push_back({threshold_label(t.threshold),
                    duration_text(t.above_ms) + " (" + std::to_string(t.readings_above) + " readings)"});
  }
  return rows;
}

std::vector<std::string> alert_header() {
  return {"Onset", "Rule", "Priority", "Message", "Ack by", "Ack at", "Resolved"};
}

std::vector<std::string> alert_row(const AlertSummary& a) {
  return {time_of_day(a.onset_ms),
          word(a.rule),
          word(a.priority) + (a.escalated ? " esc" : ""),
          a.message,
          a.acknowledged_by.empty() ? "-" : a.acknowledged_by,
          a.acknowledged_at_ms ? time_of_day(*a.acknowledged_at_ms) : "NOT ACKED",
          a.resolved_at_ms ? time_of_day(*a.resolved_at_ms) : "-"};
}

std::vector<std::string> action_header() { return {"Time", "Who", "What", "Detail"}; }

std::vector<std::string> action_row(const ActionEntry& a) {
  return {time_of_day(a.at_ms), a.who.empty() ? "-" : a.who, a.what, a.detail};
}

}  // namespace vigil::report
