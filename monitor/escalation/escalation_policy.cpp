#include "escalation/escalation_policy.hpp"

#include <algorithm>

namespace vigil::escalation {

namespace {

using alerts::AlertState;
using alerts::TransitionKind;

// Transitions after which the alarm sounds as a new one: its escalation starts over. A
// priority change is not one: the alarm has been waiting since it first sounded, and at
// its new priority it may be overdue already (then it escalates at once).
bool sounds_anew(const AlarmChange& change) {
  return change.kind == TransitionKind::Raised || change.kind == TransitionKind::Confirmed ||
         change.kind == TransitionKind::Reactivated;
}

}  // namespace

std::optional<Duration> EscalationTimes::after(alerts::Priority priority) const {
  switch (priority) {
    case alerts::Priority::High: return high;
    case alerts::Priority::Medium: return medium;
    case alerts::Priority::Low: return low;
  }
  return std::nullopt;
}

EscalationPolicy::EscalationPolicy(EscalationTimes times, std::size_t max_alarms, std::size_t max_targets)
    : times_(times), max_alarms_(max_alarms), max_targets_(max_targets) {}

void EscalationPolicy::on_alarm(const AlarmChange& change, Now now) {
  // Someone acted (or the alert is over): nothing more is sent for it.
  if (change.state == AlertState::Acknowledged || change.state == AlertState::Resolved ||
      change.state == AlertState::Advisory || change.alert_kind == alerts::AlertKind::Advisory) {
    alarms_.erase(change.alert_id);
    return;
  }
  auto it = alarms_.find(change.alert_id);
  if (it == alarms_.end()) {
    if (alarms_.size() >= max_alarms_) {
      ++dropped_;
      return;
    }
    Alarm alarm;
    alarm.bed = change.bed;
    alarm.priority = change.priority;
    alarm.message = change.message;
    alarm.started = now.mono;
    alarms_.emplace(change.alert_id, std::move(alarm));
    return;
  }
  Alarm& alarm = it->second;
  if (sounds_anew(change)) {
    alarm.started = now.mono;
    alarm.tiers_done = 0;
    alarm.worse_since_told = false;
  } else if (alarm.tiers_done > 0 && change.priority > alarm.priority) {
    // A MEDIUM paged at its 5 minutes is often the P2 that turns HIGH at the same 5 minutes:
    // whoever was paged must not be left with the milder word.
    alarm.worse_since_told = true;
  }
  alarm.priority = change.priority;
  if (!change.message.empty()) alarm.message = change.message;
}

bool EscalationPolicy::add_target(OnCallTarget target) {
  if (target.tier < 1 || target.tier > kTiers) return false;
  auto it = targets_.find(target.id);
  if (it == targets_.end() && targets_.size() >= max_targets_) return false;
  targets_[target.id] = std::move(target);
  return true;
}

void EscalationPolicy::remove_target(std::uint64_t id) { targets_.erase(id); }

std::optional<MonoTime> EscalationPolicy::deadline(const Alarm& alarm) const {
  if (alarm.tiers_done >= kTiers) return std::nullopt;
  if (alarm.tiers_done == 1) return alarm.tier1_at + times_.tier2_after;
  const auto after = times_.after(alarm.priority);
  if (!after) return std::nullopt;
  return alarm.started + *after;
}

std::optional<MonoTime> EscalationPolicy::next_due() const {
  std::optional<MonoTime> next;
  for (const auto& entry : alarms_) {
    auto d = deadline(entry.second);
    if (entry.second.worse_since_told) d = entry.second.tier1_at;  // due at once
    if (d && (!next || *d < *next)) next = d;
  }
  return next;
}

std::vector<OnCallTarget> EscalationPolicy::targets_of(unsigned tier) const {
  std::vector<OnCallTarget> out;
  for (const auto& entry : targets_)
    if (entry.second.tier == tier) out.push_back(entry.second);
  return out;
}

EscalationStep EscalationPolicy::step(const std::string& id, const Alarm& alarm, unsigned tier,
                                      Now now) const {
  EscalationStep s;
  s.alert_id = id;
  s.bed = alarm.bed;
  s.tier = tier;
  s.priority = alarm.priority;
  s.alarm_message = alarm.message;
  s.targets = targets_of(tier);
  s.at_ms = now.wall_ms;
  return s;
}

std::vector<EscalationStep> EscalationPolicy::due(Now now) {
  struct Due {
    MonoTime at;
    std::string id;
  };
  std::vector<Due> ready;
  std::vector<EscalationStep> steps;
  for (auto& [id, alarm] : alarms_) {
    if (alarm.worse_since_told) {
      alarm.worse_since_told = false;
      steps.push_back(step(id, alarm, alarm.tiers_done, now));  // the tier last told, again
    }
    const auto d = deadline(alarm);
    if (d && *d <= now.mono) ready.push_back({*d, id});
  }
  std::stable_sort(ready.begin(), ready.end(), [](const Due& a, const Due& b) { return a.at < b.at; });
  for (const Due& d : ready) {
    Alarm& alarm = alarms_.at(d.id);
    const unsigned tier = alarm.tiers_done + 1;
    steps.push_back(step(d.id, alarm, tier, now));
    alarm.tiers_done = tier;
    alarm.tier1_at = now.mono;
    // Nobody of this tier to tell: the next tier is told at once rather than after a wait
    // that would leave the alarm with no one.
    while (steps.back().targets.empty() && alarm.tiers_done < kTiers) {
      ++alarm.tiers_done;
      steps.push_back(step(d.id, alarm, alarm.tiers_done, now));
    }
  }
  return steps;
}

}  // namespace vigil::escalation
