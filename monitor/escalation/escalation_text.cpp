#include "escalation/escalation_text.hpp"

#include <algorithm>
#include <vector>

namespace vigil::escalation {

namespace {

std::string join_unique(const EscalationStep& step, std::string OnCallTarget::*field) {
  std::vector<std::string> seen;
  std::string out;
  for (const OnCallTarget& t : step.targets) {
    const std::string& value = t.*field;
    if (value.empty() || std::find(seen.begin(), seen.end(), value) != seen.end()) continue;
    seen.push_back(value);
    if (!out.empty()) out += ", ";
    out += value;
  }
  return out;
}

std::string alarm_words(const EscalationStep& step) {
  return std::string(alerts::to_string(step.priority)) + " " + step.alarm_message + " (" + step.bed + ")";
}

}  // namespace

std::string target_labels(const EscalationStep& step) { return join_unique(step, &OnCallTarget::label); }

std::string target_users(const EscalationStep& step) { return join_unique(step, &OnCallTarget::user); }

std::string describe(const EscalationStep& step) {
  if (step.targets.empty())
    return "no one on call for tier " + std::to_string(step.tier) + ": " + alarm_words(step);
  return "escalated to " + target_labels(step) + ": " + alarm_words(step);
}

std::string mail_subject(const EscalationStep& step) {
  return "Vigil: " + step.bed + " " + std::string(alerts::to_string(step.priority)) +
         " alarm unacknowledged (tier " + std::to_string(step.tier) + ")";
}

std::string mail_body(const EscalationStep& step) {
  std::string body = step.bed + ": " + std::string(alerts::to_string(step.priority)) +
                     " alarm not acknowledged.\n" + step.alarm_message + "\n\nAlert " + step.alert_id +
                     ", escalation tier " + std::to_string(step.tier) + ".\n";
  const std::string labels = target_labels(step);
  if (!labels.empty()) body += "Sent to: " + labels + ".\n";
  body += "Acknowledge it at the chair or on a Vigil screen.\n";
  return body;
}

}  // namespace vigil::escalation
