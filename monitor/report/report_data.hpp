#pragma once
// The end-of-session report as plain data: what gather() (report_queries.hpp) reads from the
// store and every renderer (PDF, PNG, CSV) draws. Nothing here touches SQLite or cairo, so
// the numbers are unit-tested on their own.
//
// Honesty rules the numbers follow (docs/reports.md):
//  - readings a plausibility rule marked unverified (T5), or the monitor marked invalid,
//    count in no peak and no time above a threshold; how many were left out is shown;
//  - an NIBP value stands for the time until the next value of its kind, but never longer
//    than `max_hold` (a gap longer than that is "not measured", not "above");
//  - every series is bounded: at most `max_points` points per series however long the session,
//    at most `max_alerts` alerts and `max_actions` actions (the rest counted, never silently).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "events.pb.h"
#include "reading/reading.hpp"

namespace vigil::report {

// A report that cannot be made: unknown session, no readings, bad output path or format.
// what() is one line saying what and, where it helps, what to do.
struct ReportError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// One limit of the rule profile, e.g. SBP >= 180 (P2).
struct Threshold {
  VitalKind kind = VitalKind::NibpSys;  // NibpSys or NibpDia
  double limit_mmhg = 0;
  std::string rule;  // P1, P2, P4 ...
};

// How long a series spent at or over one threshold.
struct ThresholdTime {
  Threshold threshold;
  std::int64_t above_ms = 0;
  int readings_above = 0;
};

struct Sample {
  WallMillis at_ms = 0;
  double value = 0;
};

struct Peak {
  double value = 0;
  WallMillis at_ms = 0;
};

// One alert of the session, folded from its transitions in the alert log.
struct AlertSummary {
  std::string id;
  proto::AlertRule rule = proto::ALERT_RULE_UNSET;
  proto::AlertKind kind = proto::ALERT_KIND_UNSET;
  proto::Priority priority = proto::PRIORITY_UNSET;  // the highest it reached
  std::string message;                               // as it reached its highest priority
  proto::Phase phase = proto::PHASE_UNSET;           // phase when raised
  WallMillis onset_ms = 0;
  // The acknowledgment that stands: one a later rise or reactivation cancelled is not it.
  std::optional<WallMillis> acknowledged_at_ms;
  std::string acknowledged_by;
  std::optional<WallMillis> resolved_at_ms;
  bool escalated = false;
  int audio_pauses = 0;
};

// Something a person did: session actions, acknowledgments, audio pauses, configuration.
struct ActionEntry {
  WallMillis at_ms = 0;
  std::string who;
  std::string what;
  std::string detail;
};

struct ReportLimits {
  std::size_t max_points = 400;  // chart points per series (bucket means beyond that)
  std::size_t max_alerts = 500;
  std::size_t max_actions = 500;
  std::int64_t max_hold_ms = 10 * 60'000;
};

struct ReportData {
  proto::SessionInfo session;  // the state logged with the session's last event
  WallMillis from_ms = 0;      // first logged event of the session
  WallMillis until_ms = 0;     // when it closed, or when the report was made
  bool open = false;           // the session had not ended when the report was made
  WallMillis generated_at_ms = 0;
  std::string profile_note;  // where the thresholds came from

  // Chart series (bucket means when a series had more than max_points points).
  std::vector<Sample> sys, dia, map, hr;
  std::size_t readings = 0;           // readings of the chair in the window
  std::size_t excluded_readings = 0;  // unverified or invalid: in no peak, no time above
  std::optional<Peak> peak_sys, peak_dia;
  std::vector<ThresholdTime> above;

  std::vector<AlertSummary> alerts;
  std::size_t alerts_not_shown = 0;
  std::vector<ActionEntry> actions;
  std::size_t actions_not_shown = 0;
  std::optional<WallMillis> recovery_started_ms;
  std::optional<WallMillis> discharge_met_ms;
  std::optional<WallMillis> ended_ms;
};

// Minutes of infusion actually run (pauses excluded), from the session state.
double actual_infusion_minutes(const proto::SessionInfo& s);

// Folds a time-ordered stream of samples into a peak and times above thresholds, one sample
// at a time (nothing kept but the previous sample).
class ExposureMeter {
 public:
  ExposureMeter(std::vector<Threshold> thresholds, std::int64_t max_hold_ms);
  void add(const Sample& s);
  // Closes the last sample's hold at `end_ms` and returns the totals.
  std::vector<ThresholdTime> finish(WallMillis end_ms);
  const std::optional<Peak>& peak() const { return peak_; }

 private:
  void hold_until(WallMillis t);
  std::vector<ThresholdTime> totals_;
  std::int64_t max_hold_ms_;
  std::optional<Sample> prev_;
  std::optional<Peak> peak_;
};

// Keeps at most `max_points` points of a series over [from_ms, until_ms]: samples falling in
// the same bucket are averaged. Samples outside the window are clamped into the end buckets.
class SeriesBuilder {
 public:
  SeriesBuilder(WallMillis from_ms, WallMillis until_ms, std::size_t max_points);
  void add(const Sample& s);
  std::vector<Sample> finish() const;

 private:
  struct Bucket {
    double sum = 0;
    double t_sum = 0;
    int n = 0;
  };
  WallMillis from_ms_;
  double width_ms_;
  std::vector<Bucket> buckets_;
};

// Folds alert transitions (log order) into one summary per alert id, in onset order; keeps
// at most `max` summaries and counts the rest in `not_shown`. Acknowledgments and audio
// pauses are also appended to `actions` (bounded by the caller).
class AlertFolder {
 public:
  explicit AlertFolder(std::size_t max) : max_(max) {}
  // Returns the action entry this transition is (an ack or an audio pause), if any.
  std::optional<ActionEntry> add(const proto::AlertEvent& e);
  std::vector<AlertSummary> finish() const { return alerts_; }
  std::size_t not_shown() const { return not_shown_; }

 private:
  std::size_t max_;
  std::vector<AlertSummary> alerts_;
  std::size_t not_shown_ = 0;
};

}  // namespace vigil::report
