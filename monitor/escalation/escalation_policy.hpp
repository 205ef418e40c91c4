#pragma once
// When an unacknowledged alarm escalates, and to whom: pure domain logic. It hears the alert
// engine's logged transitions and the on-call targets that come and go, and answers, for an
// instant on the caller's monotonic clock, which escalation steps are due. No sockets, no
// timers, no wall clock of its own: the daemon's EscalationService drives it, tests step it.
//
// One alarm (tracked from the transition that made it sound until acknowledged/resolved):
//
//   raised / confirmed / reactivated                                 (starts, or starts over)
//        |
//        v
//   [waiting]  --after(priority) elapsed-->  tier 1 step --tier2_after elapsed--> tier 2 step --> [done]
//        |                                      |
//        |                                  nobody of tier 1 on call: logged as such, and
//        |                                  the tier 2 step follows at once
//   acknowledged / resolved (any time) --> forgotten: nothing more is sent
//
// after(priority) is per priority (EscalationTimes); a priority with no time (LOW by default)
// never escalates, advisories never do (they are not alarms). A priority change keeps the
// alarm's start and applies the new priority's time: a MEDIUM unacknowledged for 5 min that
// becomes HIGH (P2) is past HIGH's 2 min and escalates at once.
//
// Bounds: at most max_alarms alarms are tracked (the engine's live alarms are fewer; an
// alarm over the bound is counted in dropped() and does not escalate) and at most
// max_targets on-call targets (the stream client cap plus the mail recipients).

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "alerts/alert_types.hpp"
#include "alerts/time.hpp"

namespace vigil::escalation {

using alerts::Duration;
using alerts::MonoTime;
using alerts::Now;

/// How long an unacknowledged alarm waits before each tier; nullopt: that priority never
/// escalates. Defaults in docs/alarms.md ("Escalation", why these numbers).
struct EscalationTimes {
  std::optional<Duration> high = std::chrono::seconds(120);
  std::optional<Duration> medium = std::chrono::seconds(300);
  std::optional<Duration> low;
  Duration tier2_after = std::chrono::seconds(120);

  std::optional<Duration> after(alerts::Priority priority) const;
};

/// Someone escalations can reach: a stream client that signed in as on call, or a mail
/// address (the caller picks ids that do not collide with client ids).
struct OnCallTarget {
  std::uint64_t id = 0;
  unsigned tier = 0;  // 1 or 2
  std::string label;  // "nurse.lee's phone", "oncall@clinic.example"
  std::string user;   // the signed-in user; "" for mail
  bool mail = false;  // delivered by the SMTP relay, not on the stream
};

/// What the engine's logged transition says about one alert.
struct AlarmChange {
  std::string alert_id;
  std::string bed;
  alerts::TransitionKind kind = alerts::TransitionKind::Raised;
  alerts::Priority priority = alerts::Priority::Low;
  alerts::AlertState state = alerts::AlertState::Active;  // after the transition
  alerts::AlertKind alert_kind = alerts::AlertKind::Physiological;
  std::string message;  // "SBP 204 >= 200"
};

/// One step: an alarm escalated to a tier (targets empty: no one of that tier on call).
struct EscalationStep {
  std::string alert_id;
  std::string bed;
  unsigned tier = 1;
  alerts::Priority priority = alerts::Priority::Low;
  std::string alarm_message;
  std::vector<OnCallTarget> targets;
  WallMillis at_ms = 0;
};

class EscalationPolicy {
 public:
  static constexpr unsigned kTiers = 2;

  EscalationPolicy(EscalationTimes times, std::size_t max_alarms, std::size_t max_targets);

  /// Every logged transition of every alert, in log order.
  void on_alarm(const AlarmChange& change, Now now);
  /// A target signs in (or changes its tier/label: same id). False when refused: tier not
  /// 1..kTiers, or max_targets reached.
  bool add_target(OnCallTarget target);
  void remove_target(std::uint64_t id);

  /// The steps due at `now`, oldest deadline first; each is returned once.
  std::vector<EscalationStep> due(Now now);
  /// The earliest instant a step can become due; nullopt when none is pending.
  std::optional<MonoTime> next_due() const;

  std::size_t tracked() const { return alarms_.size(); }
  std::size_t targets() const { return targets_.size(); }
  std::uint64_t dropped() const { return dropped_; }

 private:
  struct Alarm {
    std::string bed;
    alerts::Priority priority = alerts::Priority::Low;
    std::string message;
    MonoTime started{};       // when it last sounded anew
    unsigned tiers_done = 0;  // 0 waiting, 1 tier 1 sent, 2 done
    MonoTime tier1_at{};
    // Became more urgent after a tier was told: that tier hears the new priority at once.
    bool worse_since_told = false;
  };
  std::optional<MonoTime> deadline(const Alarm& alarm) const;
  std::vector<OnCallTarget> targets_of(unsigned tier) const;
  EscalationStep step(const std::string& id, const Alarm& alarm, unsigned tier, Now now) const;

  EscalationTimes times_;
  std::size_t max_alarms_;
  std::size_t max_targets_;
  std::map<std::string, Alarm> alarms_;            // by alert id
  std::map<std::uint64_t, OnCallTarget> targets_;  // by id
  std::uint64_t dropped_ = 0;
};

}  // namespace vigil::escalation
