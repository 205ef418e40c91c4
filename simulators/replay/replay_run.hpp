#pragma once
// Plays a Feed through a fresh alert engine as fast as the CPU allows: engine time is the
// feed's recorded time (a fake clock), ticks every second between inputs, no sleeping.
// Collects what a nurse would have heard and seen, and, for labelled feeds, how the alarms
// match the episodes a clinician would act on.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "alerts/rule_profile.hpp"
#include "replay/replay_feed.hpp"

namespace vigil::replay {

struct RunOptions {
  // Acknowledge every sounding alarm this long after it starts to sound (0: never). The
  // recorded acknowledgments of a stored session are replayed as they are.
  std::int64_t ack_after_ms = 60'000;
  // A refused infusion start is retried every minute, this often; a gate refusal is met by
  // the prescriber accepting the measured baseline first.
  int start_retries = 30;
};

/// An alarm this long after the confirming reading still came "by" it (a measurement's parts
/// arrive together; the slack covers the engine's 2 s wait for a missing DIA / MEAN).
constexpr std::int64_t kConfirmSlackMs = 2'000;

/// One sounding (an alarm starting to sound: raised as an alarm, confirmed, reactivated,
/// priority raised) or an advisory.
struct Sounding {
  std::int64_t at_ms = 0;
  std::string rule;      // "P1" ...
  std::string priority;  // "HIGH", "MEDIUM", "LOW"; "ADVISORY" for advisories
  bool physiological = false;
  std::int64_t since_crossing_ms = 0;  // confirmed alarms: time since the advisory
  std::string message;
  bool actionable = true;  // labelled feeds: inside an episode
};

struct SessionResult {
  std::string name;
  double monitored_hours = 0;
  std::vector<Sounding> soundings;
  bool labelled = false;
  int episodes = 0, missed = 0, late = 0;
  std::vector<std::int64_t> episode_alarm_ms;  // per episode: its first alarm (-1: missed)
  int artifacts = 0;
  int non_actionable_medium_high = 0;
};

/// Replays one feed with `profile`.
SessionResult run_feed(const Feed& feed, const alerts::RuleProfile& profile, const RunOptions& options);

}  // namespace vigil::replay
