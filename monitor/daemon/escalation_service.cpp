#include "daemon/escalation_service.hpp"

#include <spdlog/spdlog.h>

#include "alerts/alert_records.hpp"
#include "escalation/escalation_text.hpp"

namespace vigil::daemon {

namespace {

using alerts::AlertState;
using alerts::TransitionKind;

// The stream's vocabulary back to the engine's, for the policy. Unset or unknown values
// (a newer daemon's) fall back to what keeps an alarm escalating rather than forgotten.
alerts::Priority escalation_priority(proto::Priority p) {
  switch (p) {
    case proto::HIGH: return alerts::Priority::High;
    case proto::MEDIUM: return alerts::Priority::Medium;
    default: return alerts::Priority::Low;
  }
}

AlertState escalation_state(proto::AlertState s) {
  switch (s) {
    case proto::ADVISORY: return AlertState::Advisory;
    case proto::AUDIO_PAUSED: return AlertState::AudioPaused;
    case proto::ACKNOWLEDGED: return AlertState::Acknowledged;
    case proto::LATCHED: return AlertState::Latched;
    case proto::RESOLVED: return AlertState::Resolved;
    default: return AlertState::Active;
  }
}

TransitionKind escalation_transition(proto::Transition t) {
  switch (t) {
    case proto::raised: return TransitionKind::Raised;
    case proto::confirmed: return TransitionKind::Confirmed;
    case proto::priority_changed: return TransitionKind::PriorityChanged;
    case proto::escalated: return TransitionKind::Escalated;
    case proto::acknowledged: return TransitionKind::Acknowledged;
    case proto::audio_paused: return TransitionKind::AudioPaused;
    case proto::audio_resumed: return TransitionKind::AudioResumed;
    case proto::reactivated: return TransitionKind::Reactivated;
    case proto::cleared: return TransitionKind::Cleared;
    case proto::resolved: return TransitionKind::Resolved;
    default: return TransitionKind::Raised;
  }
}

// "lee (vigil-web)" when the hello names no label: who signed in, on what. A client's text
// goes into logs, events and mail: one line, printable, at most 128 bytes.
std::string on_call_label(const std::string& user, const proto::ClientHello& hello) {
  std::string label = hello.on_call_label();
  if (label.empty()) {
    label = user.empty() ? std::string("someone") : user;
    if (!hello.client_name().empty()) label += " (" + hello.client_name() + ")";
  }
  if (label.size() > 128) {
    std::size_t cut = 128;  // not inside a UTF-8 sequence: protobuf strings must stay valid
    while (cut > 0 && (static_cast<unsigned char>(label[cut]) & 0xC0) == 0x80) --cut;
    label.resize(cut);
  }
  for (char& c : label)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  return label;
}

}  // namespace

proto::EscalationEvent escalation_event(const escalation::EscalationStep& step) {
  proto::EscalationEvent e;
  e.set_alert_id(step.alert_id);
  e.set_bed(step.bed);
  e.set_tier(step.tier);
  e.set_target(escalation::target_labels(step));
  e.set_priority(alerts::to_proto(step.priority));
  e.set_message(escalation::describe(step));
  e.set_at_ms(step.at_ms);
  e.set_user(escalation::target_users(step));
  e.set_no_one_on_call(step.targets.empty());
  return e;
}

EscalationService::EscalationService(boost::asio::io_context& io, const DaemonClock& clock, Journal& journal,
                                     Options options, MailFn mail)
    : clock_(clock),
      journal_(journal),
      mail_(std::move(mail)),
      policy_(options.times, kMaxAlarms,
              options.max_clients + options.mail_tier1.size() + options.mail_tier2.size()),
      ticker_(io, kTickInterval, [this] { tick(); }) {
  std::uint64_t id = kMailTargetBase;
  for (const auto* list : {&options.mail_tier1, &options.mail_tier2}) {
    const unsigned tier = list == &options.mail_tier1 ? 1 : 2;
    for (const std::string& address : *list) policy_.add_target({id++, tier, address, "", true});
  }
}

void EscalationService::start() { ticker_.start(); }

void EscalationService::stop() { ticker_.stop(); }

void EscalationService::on_alert(const proto::AlertEvent& event) {
  escalation::AlarmChange change;
  change.alert_id = event.id();
  change.bed = event.bed();
  change.kind = escalation_transition(event.transition());
  change.priority = escalation_priority(event.priority());
  change.state = escalation_state(event.state());
  change.alert_kind = event.kind() == proto::advisory    ? alerts::AlertKind::Advisory
                      : event.kind() == proto::technical ? alerts::AlertKind::Technical
                                                         : alerts::AlertKind::Physiological;
  change.message = event.message();
  policy_.on_alarm(change, clock_.now());
  if (change.state == AlertState::Acknowledged || change.state == AlertState::Resolved)
    last_.erase(event.id());
}

void EscalationService::on_client_live(std::uint64_t client_id, const std::string& user,
                                       const proto::ClientHello& hello) {
  if (hello.on_call_tier() == 0) return;
  const std::string label = on_call_label(user, hello);
  if (hello.on_call_tier() > escalation::EscalationPolicy::kTiers) {
    spdlog::warn("escalation: '{}' asked for on-call tier {}; there are tiers 1 and 2 only, not on call",
                 label, hello.on_call_tier());
    return;
  }
  if (!policy_.add_target({client_id, hello.on_call_tier(), label, user, false})) {
    spdlog::warn("escalation: '{}' not on call: too many on-call targets", label);
    return;
  }
  ++on_call_;
  spdlog::info("escalation: {} on call for tier {}", label, hello.on_call_tier());
}

void EscalationService::on_client_gone(std::uint64_t client_id) {
  const std::size_t before = policy_.targets();
  policy_.remove_target(client_id);
  if (policy_.targets() < before) {
    --on_call_;
    spdlog::info("escalation: an on-call client left ({} on call)", on_call_);
  }
}

void EscalationService::tick() {
  const auto steps = policy_.due(clock_.now());
  if (steps.empty()) return;
  store::WriteBatch batch;
  for (const escalation::EscalationStep& step : steps) {
    proto::EscalationEvent event = escalation_event(step);
    // The journal line: which alarm, which tier, who; no patient data (the bed and the rule's text).
    spdlog::warn("escalation: {} tier {}: {}", step.alert_id, step.tier, event.message());
    if (!step.targets.empty()) last_[step.alert_id] = {event.target(), event.at_ms()};
    batch.escalations.push_back(std::move(event));
    ++steps_;
    if (mail_) {
      for (const auto& t : step.targets) {
        if (!t.mail) continue;
        mail_(step);
        break;
      }
    }
  }
  journal_.write(std::move(batch), nullptr);
}

void EscalationService::fill_snapshot(std::vector<proto::BedState>& beds) const {
  if (last_.empty()) return;
  for (proto::BedState& bed : beds) {
    for (proto::AlertEvent& alert : *bed.mutable_active_alerts()) {
      auto it = last_.find(alert.id());
      if (it == last_.end()) continue;
      alert.set_escalated_to(it->second.target);
      alert.set_escalated_at_ms(it->second.at_ms);
    }
  }
}

}  // namespace vigil::daemon
