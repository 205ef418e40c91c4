#include "replay/replay_run.hpp"

#include <algorithm>
#include <optional>

#include "alerts/alert_engine.hpp"

namespace vigil::replay {

namespace {

using alerts::TransitionKind;

class Player {
 public:
  Player(const Feed& feed, const alerts::RuleProfile& profile, const RunOptions& o)
      : feed_(feed), engine_({profile}), options_(o) {
    profile_ = profile.name;
  }

  SessionResult run() {
    SessionResult r;
    r.name = feed_.name;
    std::vector<FeedItem> items = feed_.items;
    std::size_t i = 0;
    while (i < items.size()) {
      const std::int64_t next = items[i].at_ms;
      // Ticks at every whole second up to the next input (acks fall due on ticks).
      for (std::int64_t t = (now_ms_ / 1000 + 1) * 1000; t <= next; t += 1000) tick(t);
      now_ms_ = next;
      const FeedItem& it = items[i];
      switch (it.kind) {
        case FeedItem::Kind::Reading: take(engine_.on_reading(it.reading, now())); break;
        case FeedItem::Kind::Device: take(engine_.on_device_event(it.device, now())); break;
        case FeedItem::Kind::Ack: ack_rule(it.rule, it.user); break;
        case FeedItem::Kind::Nurse: {
          if (it.action.kind == alerts::SessionActionKind::Begin) begun_ = now_ms_;
          if (it.action.kind == alerts::SessionActionKind::End && begun_) {
            hours_ += static_cast<double>(now_ms_ - *begun_) / 3.6e6;
            begun_.reset();
          }
          // Every session runs under the profile being replayed, whatever it was begun with
          // (the engine knows only that one and "default", which a name it lacks falls to).
          alerts::SessionAction action = it.action;
          if (action.kind == alerts::SessionActionKind::Begin) action.profile = profile_;
          const alerts::ActionResult res = engine_.session_action(action, now());
          take(res);
          if (!res.ok && it.action.kind == alerts::SessionActionKind::StartInfusion &&
              retries_ < options_.start_retries) {
            ++retries_;
            if (res.refusal == alerts::Refusal::PreInfusionGate) accept_baseline(it.action);
            retry_later(items, i, now_ms_, 60'000);
          }
          break;
        }
      }
      ++i;
    }
    if (begun_) hours_ += static_cast<double>(now_ms_ - *begun_) / 3.6e6;
    r.monitored_hours = hours_;
    r.soundings = std::move(soundings_);
    return r;
  }

 private:
  alerts::Now now() const {
    return alerts::Now{alerts::MonoTime{} + std::chrono::hours(1) + alerts::Duration(now_ms_),
                       feed_.start_wall_ms + now_ms_};
  }

  void tick(std::int64_t t) {
    now_ms_ = t;
    // A dashboard is watching (T2 is about the live link, not about what a profile does).
    take(engine_.on_dashboard_confirmed(now()));
    take(engine_.tick(now()));
    if (options_.ack_after_ms <= 0) return;
    std::vector<std::string> due;
    for (const auto& [id, at] : ack_due_)
      if (at <= t) due.push_back(id);
    for (const std::string& id : due) {
      ack_due_.erase(id);
      take(engine_.acknowledge(feed_.bed, id, "replay-nurse", now()));
    }
  }

  void ack_rule(alerts::RuleId rule, const std::string& user) {
    for (const alerts::Alert& a : engine_.active_alerts(feed_.bed)) {
      if (a.rule == rule && a.kind != alerts::AlertKind::Advisory &&
          a.state != alerts::AlertState::Acknowledged) {
        take(engine_.acknowledge(feed_.bed, a.id, user.empty() ? "replay-nurse" : user, now()));
        return;
      }
    }
  }

  // The prescriber reviews the gate and proceeds with the measured baseline (as
  // `session baseline --accept` does; sent as the numbers so the figures of an engine
  // without --accept can be compared).
  void accept_baseline(const alerts::SessionAction& start) {
    const auto measured = engine_.baseline(feed_.bed);
    if (!measured || !measured->sys_mmhg || !measured->dia_mmhg) return;
    alerts::SessionAction a = start;
    a.kind = alerts::SessionActionKind::OverrideBaseline;
    a.user = "replay-prescriber";
    a.override_sys = *measured->sys_mmhg;
    a.override_dia = *measured->dia_mmhg;
    take(engine_.session_action(a, now()));
  }

  void take(const alerts::EngineOutput& out) {
    for (const alerts::AlertTransition& t : out.transitions) note(t);
  }

  void note(const alerts::AlertTransition& t) {
    const bool advisory = t.alert_kind == alerts::AlertKind::Advisory;
    bool sounds = false;
    std::int64_t since = 0;
    switch (t.kind) {
      case TransitionKind::Raised:
        if (advisory) advisory_at_[t.alert_id] = now_ms_;
        sounds = true;
        break;
      case TransitionKind::Confirmed:
        sounds = true;
        if (auto it = advisory_at_.find(t.alert_id); it != advisory_at_.end()) since = now_ms_ - it->second;
        break;
      case TransitionKind::Reactivated: sounds = true; break;
      case TransitionKind::PriorityChanged: sounds = t.priority > priority_[t.alert_id]; break;
      case TransitionKind::Acknowledged:
      case TransitionKind::Resolved: ack_due_.erase(t.alert_id); break;
      default: break;
    }
    priority_[t.alert_id] = t.priority;
    if (t.kind == TransitionKind::Resolved) {
      priority_.erase(t.alert_id);
      advisory_at_.erase(t.alert_id);
    }
    if (!sounds) return;
    Sounding s;
    s.at_ms = now_ms_;
    s.rule = std::string(alerts::to_string(t.rule));
    s.priority = advisory ? "ADVISORY" : std::string(alerts::to_string(t.priority));
    s.physiological = t.alert_kind == alerts::AlertKind::Physiological;
    s.since_crossing_ms = since;
    s.message = t.message;
    soundings_.push_back(std::move(s));
    if (!advisory && options_.ack_after_ms > 0) ack_due_[t.alert_id] = now_ms_ + options_.ack_after_ms;
  }

  const Feed& feed_;
  alerts::AlertEngine engine_;
  RunOptions options_;
  std::string profile_;
  std::int64_t now_ms_ = 0;
  std::optional<std::int64_t> begun_;
  double hours_ = 0;
  int retries_ = 0;
  std::vector<Sounding> soundings_;
  std::map<std::string, std::int64_t> ack_due_;       // alert id -> when the nurse acknowledges
  std::map<std::string, std::int64_t> advisory_at_;   // alert id -> advisory raised
  std::map<std::string, alerts::Priority> priority_;  // alert id -> last priority
};

bool bp_rule(const std::string& rule) { return rule == "P1" || rule == "P2" || rule == "P3" || rule == "P5"; }

}  // namespace

SessionResult run_feed(const Feed& feed, const alerts::RuleProfile& profile, const RunOptions& options) {
  alerts::RuleProfile p = profile;
  SessionResult r = Player(feed, p, options).run();
  r.labelled = feed.labelled;
  r.artifacts = static_cast<int>(feed.artifact_ms.size());
  if (!feed.labelled) return r;
  r.episodes = static_cast<int>(feed.episodes.size());
  constexpr std::int64_t kBefore = 15 * 60'000;  // an alarm already sounding when it starts counts
  for (const Episode& e : feed.episodes) {
    std::optional<std::int64_t> first;
    for (const Sounding& s : r.soundings) {
      if (s.physiological && bp_rule(s.rule) && (s.priority == "HIGH" || s.priority == "MEDIUM") &&
          s.at_ms >= e.from_ms - kBefore && s.at_ms <= e.to_ms) {
        first = s.at_ms;
        break;
      }
    }
    r.episode_alarm_ms.push_back(first.value_or(-1));
    if (!first)
      ++r.missed;
    else if (*first > e.confirm_ms + kConfirmSlackMs)
      ++r.late;
  }
  for (Sounding& s : r.soundings) {
    if (!s.physiological || s.rule == "P9" || (s.priority != "HIGH" && s.priority != "MEDIUM")) continue;
    s.actionable = std::any_of(feed.episodes.begin(), feed.episodes.end(), [&](const Episode& e) {
      return s.at_ms >= e.from_ms - kBefore && s.at_ms <= e.to_ms + 10 * 60'000;
    });
    if (!s.actionable) ++r.non_actionable_medium_high;
  }
  return r;
}

}  // namespace vigil::replay
