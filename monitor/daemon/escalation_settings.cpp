#include "daemon/escalation_settings.hpp"

#include <cmath>
#include <fstream>

#include "config.pb.h"
#include "daemon/settings.hpp"

namespace vigil::daemon {

namespace {

// 0 = never; otherwise 1 s .. 24 h. Below a second would escalate before anyone could reach
// the chair; tests and demos use 1 s.
std::optional<escalation::Duration> escalation_after(double seconds, const std::string& field) {
  if (seconds == 0) return std::nullopt;
  if (!std::isfinite(seconds) || seconds < 1 || seconds > 86400)
    throw ConfigError(field + ": 0 (never) or 1..86400 seconds");
  return std::chrono::milliseconds(static_cast<std::int64_t>(seconds * 1000));
}

// One line, an '@', nothing an SMTP command could be smuggled in with.
const std::string& checked_mail_address(const std::string& address, const std::string& field) {
  const bool ok = !address.empty() && address.size() <= 254 && address.find('@') != std::string::npos &&
                  address.find_first_of("\r\n<> ,\t") == std::string::npos;
  if (!ok) throw ConfigError(field + ": '" + address + "' is not a mail address (name@host)");
  return address;
}

std::vector<std::string> escalation_recipients(const google::protobuf::RepeatedPtrField<std::string>& list,
                                               const std::string& field) {
  if (static_cast<std::size_t>(list.size()) > mail::kMaxRecipients)
    throw ConfigError(field + ": at most " + std::to_string(mail::kMaxRecipients) + " addresses");
  std::vector<std::string> out;
  for (const std::string& address : list) out.push_back(checked_mail_address(address, field));
  return out;
}

mail::SmtpOptions smtp_settings(const proto::EscalationSmtp& c, const std::string& where) {
  mail::SmtpOptions o;
  if (c.host().empty()) throw ConfigError(where + "host: required (the clinic's SMTP relay)");
  o.host = c.host();
  if (c.has_port()) {
    if (c.port() < 1 || c.port() > 65535) throw ConfigError(where + "port: 1..65535");
    o.port = static_cast<std::uint16_t>(c.port());
  }
  o.from = checked_mail_address(c.from(), where + "from");
  o.to = escalation_recipients(c.to(), where + "to");
  o.tier2_to = escalation_recipients(c.tier2_to(), where + "tier2_to");
  if (o.to.empty() && o.tier2_to.empty()) throw ConfigError(where + "to: at least one recipient");
  o.starttls = c.starttls();
  o.user = c.user();
  o.ca_file = c.ca_file();
  if (!o.user.empty()) {
    if (!o.starttls)
      throw ConfigError(where + "user: AUTH only over starttls (a password is never sent in clear)");
    if (c.password_file().empty()) throw ConfigError(where + "password_file: required with user");
    std::ifstream in(c.password_file());
    if (!in || !std::getline(in, o.password))
      throw ConfigError(where + "password_file: cannot read '" + c.password_file() + "'");
  }
  if (c.has_timeout_s()) {
    if (c.timeout_s() < 1 || c.timeout_s() > 600) throw ConfigError(where + "timeout_s: 1..600");
    o.timeout = std::chrono::seconds(c.timeout_s());
  }
  return o;
}

}  // namespace

void apply_escalation_config(const proto::Escalation& c, const std::string& origin, EscalationSettings& s) {
  const std::string where = "config " + origin + ": field escalation.";
  if (c.has_high_after_s()) s.times.high = escalation_after(c.high_after_s(), where + "high_after_s");
  if (c.has_medium_after_s()) s.times.medium = escalation_after(c.medium_after_s(), where + "medium_after_s");
  if (c.has_low_after_s()) s.times.low = escalation_after(c.low_after_s(), where + "low_after_s");
  if (c.has_tier2_after_s()) {
    auto after = escalation_after(c.tier2_after_s(), where + "tier2_after_s");
    if (!after) throw ConfigError(where + "tier2_after_s: 1..86400 seconds");
    s.times.tier2_after = *after;
  }
  if (c.has_smtp()) s.smtp = smtp_settings(c.smtp(), where + "smtp.");
}

}  // namespace vigil::daemon
