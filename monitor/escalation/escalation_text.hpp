#pragma once
// How an escalation step is worded, once, for every surface that prints it: the stream
// event's message, the escalation log, the journal line and the mail.

#include <string>

#include "escalation/escalation_policy.hpp"

namespace vigil::escalation {

/// "nurse.lee's phone, dr.kim's tablet"; "" when nobody was on call.
std::string target_labels(const EscalationStep& step);
/// The signed-in users behind the targets, each once: "lee, kim".
std::string target_users(const EscalationStep& step);
/// "escalated to nurse.lee's phone: HIGH SBP 204 >= 200 (CHAIR3)" or
/// "no one on call for tier 1: HIGH SBP 204 >= 200 (CHAIR3)".
std::string describe(const EscalationStep& step);
/// The mail subject: "Vigil: CHAIR3 HIGH alarm unacknowledged (tier 1)".
std::string mail_subject(const EscalationStep& step);
/// The mail's short text body: chair, alarm, alert id, tier, who else was told. No patient
/// data: mail leaves the daemon's control.
std::string mail_body(const EscalationStep& step);

}  // namespace vigil::escalation
