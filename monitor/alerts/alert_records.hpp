#pragma once
// Alert engine types <-> protobuf records (proto/alerts.proto), for the daemon's log,
// session store and stream. Protobuf stays at this edge; the engine never sees it.

#include <optional>
#include <string>

#include "alerts.pb.h"
#include "alerts/alert_types.hpp"
#include "alerts/session.hpp"

namespace vigil::alerts {

proto::AlertTransitionRecord to_proto(const AlertTransition& transition);
proto::ActiveAlertRecord to_proto(const Alert& alert);
proto::SessionRecord to_proto(const SessionState& state);

/// A stored session back to its state; nullopt (and `error`) if a field is not understood.
std::optional<SessionState> from_proto(const proto::SessionRecord& record, std::string* error = nullptr);

/// Rule ids by name ("P1".."T8").
std::optional<RuleId> rule_from_string(std::string_view name);

}  // namespace vigil::alerts
