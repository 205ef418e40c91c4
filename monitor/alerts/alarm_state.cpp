#include "alerts/alarm_state.hpp"

#include <algorithm>

namespace vigil::alerts {

namespace {

bool is_alarm_unacknowledged(const Alert& a) {
  return a.kind != AlertKind::Advisory &&
         (a.state == AlertState::Active || a.state == AlertState::AudioPaused ||
          a.state == AlertState::Latched);
}

}  // namespace

Alert* AlertBook::find(RuleId rule, std::string_view subject) {
  for (Alert& a : alerts_) {
    if (a.rule == rule && a.subject == subject && a.state != AlertState::Resolved) return &a;
  }
  return nullptr;
}

const Alert* AlertBook::find_id(std::string_view id) const {
  for (const Alert& a : alerts_) {
    if (a.id == id && a.state != AlertState::Resolved) return &a;
  }
  return nullptr;
}

void AlertBook::emit_transition(const Alert& a, TransitionKind kind, Emit& emit, const std::string& user) {
  AlertTransition t;
  t.seq = emit.counters->next_seq++;
  t.kind = kind;
  t.alert_id = a.id;
  t.bed = bed_;
  t.rule = a.rule;
  t.subject = a.subject;
  t.priority = a.priority;
  t.state = a.state;
  t.alert_kind = a.kind;
  t.value = a.value;
  t.limit = a.limit;
  t.baseline = a.baseline;
  t.metric = a.metric;
  t.direction = a.direction;
  t.message = a.message;
  t.limits = a.limits;
  t.profile = emit.profile;
  t.user = user;
  // Every transition names when the alert began: a face that first hears of an alert by its
  // rise to HIGH must order it by its onset, as one that saw it raised (and a snapshot) does.
  t.onset_wall_ms = a.onset_wall_ms;
  t.phase = emit.phase;
  t.mono = emit.now.mono;
  t.wall_ms = emit.now.wall_ms;
  emit.out->push_back(std::move(t));
}

Alert& AlertBook::raise(const AlertSpec& spec, bool advisory, Emit& emit) {
  Alert a;
  a.id = bed_ + "-" + std::string(to_string(spec.rule)) + "-" +
         std::to_string(emit.counters->next_alert_number++);
  a.bed = bed_;
  a.rule = spec.rule;
  a.subject = spec.subject;
  a.kind = advisory ? AlertKind::Advisory : spec.kind;
  // An advisory is shown at LOW: it asks for a repeat reading, it does not sound.
  a.priority = advisory ? Priority::Low : spec.priority;
  a.state = advisory ? AlertState::Advisory : AlertState::Active;
  a.latching = spec.latching;
  a.onset = emit.now.mono;
  a.onset_wall_ms = emit.now.wall_ms;
  a.alarm_since = emit.now.mono;
  a.confirm_count = 1;
  a.high_if_unacknowledged = spec.high_if_unacknowledged;
  refresh(a, spec);
  if (advisory) a.message += ": repeat NIBP now";
  alerts_.push_back(std::move(a));
  Alert& added = alerts_.back();
  if (advisory) {
    emit_transition(added, TransitionKind::Raised, emit);
  } else {
    start_sounding(added, emit);
    emit_transition(added, TransitionKind::Raised, emit);
  }
  return added;
}

void AlertBook::refresh(Alert& a, const AlertSpec& spec) {
  a.value = spec.value;
  a.limit = spec.limit;
  a.baseline = spec.baseline;
  a.metric = spec.metric;
  a.direction = spec.direction;
  a.message = spec.message;
  a.limits = spec.limits;
}

void AlertBook::confirm(Alert& a, const AlertSpec& spec, Emit& emit) {
  refresh(a, spec);
  a.kind = spec.kind;
  a.priority = spec.priority;
  a.latching = spec.latching;
  a.high_if_unacknowledged = spec.high_if_unacknowledged;
  a.state = AlertState::Active;
  a.alarm_since = emit.now.mono;
  a.clear_count = 0;
  start_sounding(a, emit);
  emit_transition(a, TransitionKind::Confirmed, emit);
}

void AlertBook::set_priority(Alert& a, Priority priority, std::string message, Emit& emit) {
  if (a.priority == priority) return;
  const bool raised = priority > a.priority;
  a.priority = priority;
  if (!message.empty()) a.message = std::move(message);
  if (raised && a.state == AlertState::Acknowledged) {
    // A worse condition must be acknowledged again: it was not what the nurse saw. It is
    // news, so it may escalate again.
    a.state = AlertState::Active;
    a.acknowledged_by.clear();
    a.escalated = false;
  }
  // The escalation timer runs from when this priority started to sound, not from the first
  // onset: a nurse gets the full 2 minutes for what she has just heard. An alarm already
  // escalated and never acknowledged stays escalated (once).
  if (raised) a.alarm_since = emit.now.mono;
  if (raised && a.state == AlertState::Active) start_sounding(a, emit);
  emit_transition(a, TransitionKind::PriorityChanged, emit);
}

void AlertBook::reactivate(Alert& a, const AlertSpec& spec, Emit& emit) {
  refresh(a, spec);
  a.state = AlertState::Active;
  a.acknowledged_by.clear();
  a.alarm_since = emit.now.mono;  // sounding anew: the escalation timer starts again
  a.escalated = false;
  a.clear_count = 0;
  start_sounding(a, emit);
  emit_transition(a, TransitionKind::Reactivated, emit);
}

void AlertBook::condition_gone(Alert& a, std::string message, Emit& emit) {
  if (!message.empty()) a.message = std::move(message);
  if (a.state == AlertState::Latched) return;
  if (a.state == AlertState::Acknowledged || !a.latching || a.kind == AlertKind::Advisory) {
    a.state = AlertState::Resolved;
    emit_transition(a, TransitionKind::Resolved, emit);
  } else {
    a.state = AlertState::Latched;
    emit_transition(a, TransitionKind::Cleared, emit);
  }
}

void AlertBook::resolve(Alert& a, std::string message, Emit& emit, const std::string& user) {
  if (!message.empty()) a.message = std::move(message);
  a.state = AlertState::Resolved;
  emit_transition(a, TransitionKind::Resolved, emit, user);
}

std::string AlertBook::acknowledge(std::string_view alert_id, const std::string& user, Emit& emit) {
  Alert* a = nullptr;
  for (Alert& x : alerts_) {
    if (x.id == alert_id && x.state != AlertState::Resolved) a = &x;
  }
  if (a == nullptr) return "no active alert " + std::string(alert_id) + " on " + bed_;
  if (a->kind == AlertKind::Advisory) return "an advisory clears with the repeat NIBP reading";
  if (a->state == AlertState::Acknowledged) return "already acknowledged by " + a->acknowledged_by;
  a->acknowledged_by = user;
  const bool was_latched = a->state == AlertState::Latched;
  a->state = AlertState::Acknowledged;
  emit_transition(*a, TransitionKind::Acknowledged, emit, user);
  if (was_latched) {
    a->state = AlertState::Resolved;
    emit_transition(*a, TransitionKind::Resolved, emit, user);
  }
  return {};
}

void AlertBook::pause_audio(const std::string& user, Duration length, Emit& emit) {
  pause_until_ = emit.now.mono + length;
  for (Alert& a : alerts_) {
    if (a.state == AlertState::AudioPaused) {
      pause_reference_ = std::max(pause_reference_.value_or(a.priority), a.priority);
    } else if (a.state == AlertState::Active) {
      a.state = AlertState::AudioPaused;
      pause_reference_ = std::max(pause_reference_.value_or(a.priority), a.priority);
      emit_transition(a, TransitionKind::AudioPaused, emit, user);
    }
  }
}

void AlertBook::start_sounding(Alert& a, Emit& emit) {
  if (!pause_until_) return;
  if (!pause_reference_ || a.priority >= *pause_reference_) {
    end_pause("audio pause overridden by " + std::string(to_string(a.rule)), emit);
    a.state = AlertState::Active;
  } else {
    a.state = AlertState::AudioPaused;
  }
}

void AlertBook::end_pause(const std::string& why, Emit& emit) {
  pause_until_.reset();
  pause_reference_.reset();
  for (Alert& a : alerts_) {
    if (a.state != AlertState::AudioPaused) continue;
    a.state = AlertState::Active;
    // The reason goes to the log with the transition; the alert's message stays its own.
    std::string keep = std::move(a.message);
    a.message = keep + " (" + why + ")";
    emit_transition(a, TransitionKind::AudioResumed, emit);
    a.message = std::move(keep);
  }
}

void AlertBook::tick(const AlarmSystemRules& rules, Emit& emit) {
  if (pause_until_ && emit.now.mono >= *pause_until_) end_pause("audio pause expired", emit);
  for (Alert& a : alerts_) {
    if (!is_alarm_unacknowledged(a)) continue;
    const Duration unacked = std::chrono::duration_cast<Duration>(emit.now.mono - a.alarm_since);
    if (a.high_if_unacknowledged.count() > 0 && a.priority < Priority::High &&
        a.state != AlertState::Latched && unacked >= a.high_if_unacknowledged) {
      set_priority(a, Priority::High,
                   a.message + " (unacknowledged " + std::to_string(unacked.count() / 60000) + " min)", emit);
    }
    if (!a.escalated && a.priority >= Priority::Medium && unacked >= rules.escalate_unacknowledged) {
      a.escalated = true;
      emit_transition(a, TransitionKind::Escalated, emit);
    }
  }
}

void AlertBook::purge() {
  std::erase_if(alerts_, [](const Alert& a) { return a.state == AlertState::Resolved; });
}

std::vector<Alert> AlertBook::active() const {
  // Sort pointers, copy once: alerts carry several strings.
  std::vector<const Alert*> live;
  live.reserve(alerts_.size());
  for (const Alert& a : alerts_) {
    if (a.state != AlertState::Resolved) live.push_back(&a);
  }
  std::stable_sort(live.begin(), live.end(), [](const Alert* x, const Alert* y) {
    if (x->priority != y->priority) return x->priority > y->priority;
    return x->onset < y->onset;
  });
  std::vector<Alert> out;
  out.reserve(live.size());
  for (const Alert* a : live) out.push_back(*a);
  return out;
}

std::vector<std::string> AlertBook::subjects(RuleId rule) const {
  std::vector<std::string> out;
  for (const Alert& a : alerts_) {
    if (a.rule == rule && a.state != AlertState::Resolved) out.push_back(a.subject);
  }
  return out;
}

bool AlertBook::any_unacknowledged() const {
  return std::any_of(alerts_.begin(), alerts_.end(), is_alarm_unacknowledged);
}

}  // namespace vigil::alerts
