#pragma once
// A logged alert transition (proto::AlertEvent) in the ORU^R40 builder's terms (PCD-04's
// event phase, alarm and inactivation state, priority and type), with the vital it is about
// and the direction it crossed as the engine recorded them (AlertEvent.metric, .direction).

#include <string>

#include "events.pb.h"
#include "hl7/oru_r40_builder.hpp"

namespace vigil::forward {

/// `session_id` is the chair's session when the transition was logged ("" for none);
/// `first_control_id` the control id of the alert's start message ("" on the start itself).
hl7::AlertReport to_alert_report(const proto::AlertEvent& event, const std::string& session_id,
                                 const std::string& first_control_id);

}  // namespace vigil::forward
