#pragma once
// A logged alert transition (proto::AlertEvent) in the ORU^R40 builder's terms: which vital
// it is about and whether the value crossed upwards or downwards, read from the rule and
// the alert text the engine wrote ("SBP 188 >= 180", "SpO2 84 < 85").

#include <string>

#include "events.pb.h"
#include "hl7/oru_r40_builder.hpp"

namespace vigil::forward {

/// `session_id` is the chair's session when the transition was logged ("" for none);
/// `first_control_id` the control id of the alert's start message ("" on the start itself).
hl7::AlertReport to_alert_report(const proto::AlertEvent& event, const std::string& session_id,
                                 const std::string& first_control_id);

}  // namespace vigil::forward
