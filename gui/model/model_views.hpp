#pragma once
// What the drawing code reads: plain C++ snapshots of the dashboard model, computed for one
// instant. No protobuf, no sockets: panels take a DashboardSnapshot and draw it.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vigil::dashboard {

// IEC 60601-1-8 priority of an alert; None when there is nothing to signal.
enum class Priority { None = 0, Low = 1, Medium = 2, High = 3 };

// Colour of an alert as the standard assigns it (advisories are not alarms: own colour).
enum class AlertColour { Red, Yellow, Cyan, Advisory };

// How a value may be shown: Fresh as is; Stale greyed with its age; Blank not at all.
enum class Freshness { Fresh, Stale, Blank };

// One vital sign of one chair at the snapshot instant.
struct VitalView {
  std::optional<double> value;  // nullopt: never received, or blanked
  Freshness freshness = Freshness::Blank;
  std::int64_t age_ms = 0;      // now - received_at (daemon clock), >= 0; 0 when no value
  std::string age_text;         // "12 s", "5 min"; "" when blank
  bool unverified = false;      // flagged by the device or implausible: not used by rules
};

// One active alert (or advisory) at the snapshot instant.
struct AlertView {
  std::string id;
  std::string bed;
  std::string rule;               // P1..P9, T1..T8
  Priority priority = Priority::Low;
  AlertColour colour = AlertColour::Cyan;
  std::string state;              // ACTIVE, AUDIO_PAUSED, ACKNOWLEDGED, LATCHED, ADVISORY
  std::string kind;               // physiological, technical, advisory
  std::string text;               // "SBP 186 ≥ 180"
  std::string acknowledged_by;
  std::int64_t onset_ms = 0;      // wall time (daemon clock)
  bool advisory = false;
  bool flashing = false;          // HIGH ~2 Hz, MEDIUM ~0.5 Hz while unacknowledged
  bool lit = true;                // the flash phase now: false = the dark half of a flash
  bool sounding = false;          // this alert wants the audible signal now
};

// One chair as the grid and the detail panel show it.
struct ChairView {
  std::string bed;
  std::string patient;            // "" when no session
  std::string phase;              // monitoring, setup, baseline, infusion, recovery, closed
  bool has_session = false;
  std::int64_t infusion_elapsed_ms = 0;  // pauses excluded
  int planned_minutes = 0;
  bool infusion_running = false;
  bool infusion_paused = false;
  std::optional<std::int64_t> recovery_ms;  // since the infusion stopped
  VitalView sys, dia, map, hr, spo2;
  std::optional<double> baseline_sys, baseline_dia;
  std::optional<std::int64_t> next_nibp_in_ms;  // negative: overdue
  bool device_lost = false;
  bool audio_paused = false;
  std::vector<AlertView> alerts;  // sorted: see sort_alerts()
  Priority top_priority = Priority::None;  // highest alarm (advisories excluded)
};

// The stream link as the dashboard shows it.
enum class LinkView { Connecting, Connected, Lost };

// The whole screen at one instant.
struct DashboardSnapshot {
  std::int64_t now_ms = 0;        // local wall time the snapshot was computed for
  std::int64_t server_now_ms = 0; // the same instant on the daemon's clock (trends, clocks)
  LinkView link = LinkView::Connecting;
  std::string link_detail;
  bool data_valid = false;        // connected and the first snapshot arrived: values shown
  std::string user;
  std::vector<ChairView> chairs;  // by bed name
  std::vector<AlertView> alerts;  // every chair's alerts, sorted
  Priority sound = Priority::None;  // what the speaker should play
  std::string last_result;        // "ack CHAIR1-P1-3: ok" or "... refused: why"
};

// A point of a trend line.
struct TrendPoint {
  std::int64_t t_ms = 0;
  double value = 0;
};

// A mark on the trend's time axis.
struct TrendMark {
  std::int64_t t_ms = 0;
  std::string label;              // "start", "stop", "P1"
  Priority priority = Priority::None;  // None for session marks
};

// A chair's session trend for the detail plot.
struct ChairTrend {
  std::vector<TrendPoint> sys, dia, map, hr;
  std::optional<double> baseline_sys, baseline_dia;
  std::vector<TrendMark> marks;
};

// One line of the alert history: who did what, when.
struct HistoryEntry {
  std::int64_t at_ms = 0;
  std::string id;
  std::string rule;
  Priority priority = Priority::Low;
  std::string transition;         // raised, confirmed, acknowledged, resolved ...
  std::string state;
  std::string text;
  std::string user;               // who acknowledged / paused
};

}  // namespace vigil::dashboard
