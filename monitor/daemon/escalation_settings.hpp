#pragma once
// The `escalation { }` block of vigild's config (proto/config.proto Escalation): when an
// unacknowledged alarm escalates and the optional SMTP relay. Defaults: docs/alarms.md.

#include <optional>
#include <string>

#include "escalation/escalation_policy.hpp"
#include "mail/smtp_options.hpp"

namespace vigil::proto {
class Escalation;
}

namespace vigil::daemon {

struct EscalationSettings {
  escalation::EscalationTimes times;
  std::optional<mail::SmtpOptions> smtp;  // unset: no mail
};

// Applies a config block; throws ConfigError naming `origin` and the field. Reads the SMTP
// password file (relative paths from the working directory, like every config path).
void apply_escalation_config(const proto::Escalation& config, const std::string& origin,
                             EscalationSettings& settings);

}  // namespace vigil::daemon
