#pragma once
// The words and numbers of a report, shared by the PDF/PNG layout and the CSV so both say
// exactly the same thing. Times are the machine's local time; the report states the offset.

#include <cstdint>
#include <string>
#include <vector>

#include "report/report_data.hpp"

namespace vigil::report {

std::string time_of_day(WallMillis ms);           // "14:05:09" (local)
std::string date_of(WallMillis ms);               // "2026-11-21" (local)
std::string utc_offset_text(WallMillis ms);       // "UTC+01:00"
std::string duration_text(std::int64_t ms);       // "0 min", "12 min 30 s", "1 h 05 min"
std::string mmhg(double v);                       // "186"
std::string threshold_label(const Threshold& t);  // "SBP >= 180 (P2)"

struct Row {
  std::string label;
  std::string value;
};

// Header facts: patient, chair, date, session, infusion start/stop, planned vs actual,
// baseline, peaks, recovery and discharge criteria, readings counted.
std::vector<Row> summary_rows(const ReportData& d);
// One row per threshold: "SBP >= 180 (P2)" -> "12 min 30 s (3 readings)".
std::vector<Row> exposure_rows(const ReportData& d);

// The alert table: header, then one row per alert (onset, rule, priority, message, ack by,
// ack at, resolved).
std::vector<std::string> alert_header();
std::vector<std::string> alert_row(const AlertSummary& a);
// The action table: time, who, what, detail.
std::vector<std::string> action_header();
std::vector<std::string> action_row(const ActionEntry& a);

}  // namespace vigil::report
