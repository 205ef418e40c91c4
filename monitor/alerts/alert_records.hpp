#pragma once
// Alert engine types <-> the protobuf records of proto/events.proto, which the daemon logs,
// stores and streams. Protobuf stays at this edge; the engine never sees it. Enum values
// travel as their external names (to_string in alert_types.hpp), so the log, JSON and CSV
// all read the same.

#include <optional>
#include <string>

#include "alerts/alert_types.hpp"
#include "alerts/session.hpp"
#include "events.pb.h"

namespace vigil::alerts {

proto::AlertEvent to_proto(const AlertTransition& transition);
/// An active alert as the connect-time snapshot shows it (transition left empty).
proto::AlertEvent to_proto(const Alert& alert, Phase phase);
proto::SessionInfo to_proto(const SessionState& state);
proto::SessionEvent to_proto(const SessionEvent& event);

/// A stored session back to its state; nullopt (and `error`) if a field is not understood.
std::optional<SessionState> from_proto(const proto::SessionInfo& record, std::string* error = nullptr);

/// Rule ids by name ("P1".."T8").
std::optional<RuleId> rule_from_string(std::string_view name);
std::optional<Phase> phase_from_string(std::string_view name);

}  // namespace vigil::alerts
