#pragma once
// Alert engine types <-> the protobuf records of proto/events.proto, which the daemon logs,
// stores and streams. Protobuf stays at this edge; the engine never sees it. The engine's
// enums map one to one onto the vocabulary of proto/vocabulary.proto (whose value names are
// the words on every line), value for value, here and nowhere else.

#include <optional>
#include <string>

#include "alerts/alert_types.hpp"
#include "alerts/rule_profile.hpp"
#include "alerts/session.hpp"
#include "events.pb.h"

namespace vigil::alerts {

proto::AlertEvent to_proto(const AlertTransition& transition);
/// An active alert as the connect-time snapshot shows it (transition left unset).
proto::AlertEvent to_proto(const Alert& alert, Phase phase);
/// A restored alert as the connect-time snapshot shows it: its stored record, unchanged.
proto::AlertEvent to_proto(const RestoredAlert& alert);
/// A stored alert record back to a restored alert; nullopt (and `error`) if a field is not
/// understood.
std::optional<RestoredAlert> restored_from_proto(const proto::AlertEvent& record,
                                                 std::string* error = nullptr);
proto::SessionInfo to_proto(const SessionState& state);
proto::SessionEvent to_proto(const SessionEvent& event);
/// The NIBP cadence a profile's T3 expects, for screens that grey an NIBP value older than
/// the cycle of the chair's phase, and its HR switch (alarm.continuous_stale), for screens
/// that show the pulse rate where the engine judges it as HR (they need not know the profile
/// themselves).
proto::NibpSchedule nibp_schedule(const RuleProfile& profile);

/// A stored session back to its state; nullopt (and `error`) if a field is not understood.
std::optional<SessionState> from_proto(const proto::SessionInfo& record, std::string* error = nullptr);

// The vocabulary, value for value. from_proto: nullopt for "not set" and for numbers this
// build does not know.
proto::AlertRule to_proto(RuleId rule);
proto::Priority to_proto(Priority priority);
proto::AlertState to_proto(AlertState state);
proto::Transition to_proto(TransitionKind kind);
proto::AlertKind to_proto(AlertKind kind);
proto::Phase to_proto(Phase phase);
proto::Direction to_proto(Direction direction);
proto::SessionEventKind to_proto(SessionEventKind kind);
proto::SessionActionKind to_proto(SessionActionKind kind);
proto::BaselineSource to_proto(BaselineSource source);
std::optional<RuleId> from_proto(proto::AlertRule rule);
std::optional<Phase> from_proto(proto::Phase phase);

}  // namespace vigil::alerts
