#pragma once
// What `vigilctl replay` plays through the alert engine: one session's readings, device
// events and nurse actions with their recorded times, plus optional ground-truth labels.
// Plain data; built from a vigil-sim session plan (scenario files, the corpus) or from a
// stored session (vigild's database). No clock, no I/O.

#include <cstdint>
#include <string>
#include <vector>

#include "alerts/events.hpp"
#include "alerts/session.hpp"
#include "reading/reading.hpp"
#include "sim/scenario.hpp"
#include "sim/session_plan.hpp"

namespace vigil::replay {

/// One input at a time in milliseconds from the feed's start.
struct FeedItem {
  enum class Kind : std::uint8_t { Reading, Device, Nurse, Ack } kind = Kind::Reading;
  std::int64_t at_ms = 0;
  Reading reading;               // Reading (bed, source, kind, value, measured_at_ms)
  alerts::DeviceEvent device;    // Device
  alerts::SessionAction action;  // Nurse
  // Ack: a recorded acknowledgment. Alert ids differ in a replay, so it acknowledges the
  // live alert of the same rule.
  alerts::RuleId rule = alerts::RuleId::P1;
  std::string user;
};

/// A span [from_ms, to_ms) a clinician would act on, and the time of the reading that
/// confirms it (the alarm should come by then).
struct Episode {
  std::int64_t from_ms = 0;
  std::int64_t to_ms = 0;
  std::int64_t confirm_ms = 0;
};

/// One session to replay.
struct Feed {
  std::string name;  // scenario or session id
  std::string bed = "REPLAY";
  std::int64_t start_wall_ms = 0;  // wall time of at_ms 0 (data only: never "now")
  std::vector<FeedItem> items;     // sorted by at_ms
  bool labelled = false;
  std::vector<Episode> episodes;
  std::vector<std::int64_t> artifact_ms;  // measurement times of labelled artifacts
};

/// A refused nurse action tried again `delay_ms` after `now_ms`: `items[i]` inserted again
/// after position `i`, keeping the feed sorted (the nurse who retries a refused start).
void retry_later(std::vector<FeedItem>& items, std::size_t i, std::int64_t now_ms, std::int64_t delay_ms);

/// How a simulated monitor sends.
struct FeedOptions {
  bool numerics = true;         // false: a NIBP-only spot-check monitor
  bool cuff_pulse = false;      // spot-check: the cuff's pulse rate in each result's message
  int numerics_interval_s = 5;  // HR/SpO2 every N seconds (vigil-sim's default)
  std::string source = "SIMMON";
};

/// A session plan as a feed; labels from the plan's outcomes (artifacts) and the
/// scenario's own labels (scenario file `label-episode` lines).
Feed feed_from_plan(const sim::Scenario& scenario, const sim::SessionPlan& plan, const FeedOptions& options);

/// The patient's true pressure at one NIBP measurement. `evidence` false: the monitor did
/// not report it (an artifact or a failed cuff): no evidence either way, skipped.
struct TruePressure {
  std::int64_t at_ms = 0;
  double sys_mmhg = 0, dia_mmhg = 0;
  bool evidence = true;
};

/// Episodes from true pressures (in time order): readings in a row (artifacts and failed cuffs
/// skipped) whose true value meets P2 (180/110) or P3 (B+40/B+25 over the true baseline
/// `bs`/`bd`), at least two of them or one meeting P1 (200/120). The confirming reading is the
/// second reading of the run or the first meeting P1, whichever comes first; a run still open
/// at the end lasts `tail_ms` after its last reading.
std::vector<Episode> episodes_from_truth(const std::vector<TruePressure>& readings, double bs, double bd,
                                         std::int64_t tail_ms);

/// Episodes from the patient's true pressures at the plan's NIBP times (episodes_from_truth).
std::vector<Episode> true_episodes(const sim::Scenario& scenario, const sim::SessionPlan& plan,
                                   std::uint64_t seed, std::int64_t origin_ms);

}  // namespace vigil::replay
