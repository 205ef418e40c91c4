#pragma once
// What a screen reads: plain C++ snapshots of the ward model (ward_model.hpp), computed for
// one instant. No protobuf messages and no sockets; the vocabulary is the typed one of
// proto/vocabulary.proto (word() prints it). Two faces read these: `vigilctl board` (a text
// table) and vigil-dashboard's ImGui panels.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "client/ward_priority.hpp"
#include "vocabulary.pb.h"

namespace vigil::client {

// Colour of an alert as the standard assigns it (advisories are not alarms: own colour).
enum class AlertColour { Red, Yellow, Cyan, Advisory };

// How a value may be shown: Fresh as is; Stale greyed with its age; Blank not at all.
enum class Freshness { Fresh, Stale, Blank };

// The stream link as a screen shows it.
enum class LinkView { Connecting, Connected, Lost };

// One vital sign of one chair at the snapshot instant.
struct VitalView {
  std::optional<double> value;  // nullopt: never received, or blanked
  Freshness freshness = Freshness::Blank;
  std::int64_t age_ms = 0;  // now - received_at (daemon clock), >= 0; 0 when no value
  std::string age_text;     // "now", "12 s", "5 min"; "" when blank
  bool unverified = false;  // flagged by the device or implausible: not used by rules
  // The chair's HR view only: the value is the monitor's pulse rate (proto PULSE), standing in
  // for an ECG HR that is absent or stale (see WardModel::heart_rate_view). Faces label it "PR".
  bool from_pulse = false;
};

// One active alert (or advisory) at the snapshot instant.
struct AlertView {
  std::string id;
  std::string bed;
  proto::AlertRule rule = proto::ALERT_RULE_UNSET;
  Priority priority = Priority::Low;
  AlertColour colour = AlertColour::Cyan;
  proto::AlertState state = proto::ALERT_STATE_UNSET;
  proto::AlertKind kind = proto::ALERT_KIND_UNSET;
  std::string message;  // the daemon's text: "SBP 186 >= 180"
  std::string text;     // the same for a screen: "SBP 186 ≥ 180"
  std::string acknowledged_by;
  std::int64_t onset_ms = 0;  // wall time (daemon clock)
  bool advisory = false;
  bool flashing = false;  // HIGH ~2 Hz, MEDIUM ~0.5 Hz while unacknowledged
  bool lit = true;        // the flash phase now: false = the dark half of a flash
  bool sounding = false;  // this alert wants the audible signal now
  // Its escalation so far, local time of each step: "escalated to nurse.lee's phone
  // 14:02:10", "no one on call for tier 1 14:02:10", or both joined by "; "; "" when none.
  std::string escalation;
};

// A monitor link of a chair as the daemon reported it.
struct DeviceView {
  std::string source;
  std::string transport;  // "hl7", "serial"
  proto::DeviceLinkState state = proto::DEVICE_LINK_UNSET;
  std::string detail;
};

// One chair as the grid, the detail panel and the board's row show it.
struct ChairView {
  std::string bed;
  std::string patient;  // "" when no session
  proto::Phase phase = proto::monitoring;
  bool has_session = false;
  std::int64_t infusion_elapsed_ms = 0;  // pauses excluded
  int planned_minutes = 0;
  bool infusion_running = false;
  bool infusion_paused = false;
  std::optional<std::int64_t> recovery_ms;  // since the infusion stopped
  VitalView sys, dia, map, hr, spo2;
  std::optional<double> baseline_sys, baseline_dia;
  std::optional<std::int64_t> next_nibp_in_ms;  // negative: overdue
  std::optional<std::int64_t> data_age_ms;      // since the newest reading arrived (a withdrawal too)
  std::vector<DeviceView> devices;              // by source
  bool device_lost = false;                     // every reported monitor link is lost or silent
  // Monitors vigild raised T1 for (no data from monitor), by source; "monitor" when the
  // alarm names none. An HL7 monitor reports no link state: this is how its silence shows.
  std::vector<std::string> silent_monitors;
  bool audio_paused = false;
  std::vector<AlertView> alerts;           // sorted: see sort_alerts()
  Priority top_priority = Priority::None;  // highest alarm (advisories excluded)
};

// The whole ward at one instant.
struct WardSnapshot {
  std::int64_t now_ms = 0;         // local wall time the snapshot was computed for
  std::int64_t server_now_ms = 0;  // the same instant on the daemon's clock (ages, clocks)
  bool server_time_known = false;  // false until the daemon stated its time (hello, snapshot)
  LinkView link = LinkView::Connecting;
  std::string link_detail;
  bool data_valid = false;  // connected and a snapshot arrived since: values shown
  std::string user;
  // The nurses vigild lets this screen name as the one acting (ServerHello.nurses), and
  // whether naming some of them needs their PIN. Empty when vigild has no stream users.
  std::vector<std::string> nurses;
  bool pin_required = false;
  std::vector<ChairView> chairs;    // by chair name, digits as numbers (CHAIR2 < CHAIR10)
  std::vector<AlertView> alerts;    // every chair's alerts, sorted
  Priority sound = Priority::None;  // what the speaker should play
  std::string last_result;          // "ack CHAIR1-P1-3: ok" or "... refused: why"
  // Chairs and alerts the model's bounds turned away since it started: a screen that does
  // not show everything says so.
  std::uint64_t dropped = 0;
};

// A point of a trend line.
struct TrendPoint {
  std::int64_t t_ms = 0;
  double value = 0;
  std::uint64_t reading_id = 0;  // the daemon's row id (0: not stored): merges a history without doubles
  // The HR line only: a pulse rate (proto PULSE) where the engine judged it as HR, no ECG HR
  // having come (pulse_counts_as_hr). Faces may label it "PR".
  bool from_pulse = false;
  // The device that sent it and its own stamp: what a withdrawal (proto Reading.withdrawn)
  // names. The device as a hash of its name: a string per point would double the line.
  std::uint32_t source_hash = 0;
  std::int64_t measured_ms = 0;
};

// Whether a chair's stored history (NurseRequest.history) has been asked for and merged.
enum class HistoryLoad { NotAsked, Loading, Loaded, Refused };
struct HistoryStatus {
  HistoryLoad state = HistoryLoad::NotAsked;
  std::string reason;        // why refused
  std::size_t readings = 0;  // readings the answer carried
  bool truncated = false;    // the answer ended early (a bound)
};

// A mark on the trend's time axis.
struct TrendMark {
  std::int64_t t_ms = 0;
  std::string label;                   // "start", "stop", "P1"
  Priority priority = Priority::None;  // None for session marks
};

// A chair's session trend for the detail plot. `hr`: the heart rate the engine judges, the
// ECG HR or, where none came, the pulse rate (its points marked from_pulse).
struct ChairTrend {
  std::vector<TrendPoint> sys, dia, map, hr;
  std::optional<double> baseline_sys, baseline_dia;
  std::vector<TrendMark> marks;
};

// One line of the alert history: who did what, when.
struct HistoryEntry {
  std::int64_t at_ms = 0;
  std::string id;
  proto::AlertRule rule = proto::ALERT_RULE_UNSET;
  Priority priority = Priority::Low;
  proto::Transition transition = proto::TRANSITION_UNSET;
  proto::AlertState state = proto::ALERT_STATE_UNSET;
  std::string text;
  std::string user;  // who acknowledged / paused
};

}  // namespace vigil::client
