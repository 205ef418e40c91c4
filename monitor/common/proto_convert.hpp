#pragma once
// Domain <-> protobuf at the edge, in one place.

#include "reading/reading.hpp"
#include "readings.pb.h"

namespace vigil {

proto::VitalKind to_proto(VitalKind kind);
std::optional<VitalKind> from_proto(proto::VitalKind kind);

// `id` is the database row id (0 if not stored).
proto::Reading to_proto(const Reading& reading, std::uint64_t id = 0);
// The same into `out`, overwriting every field to_proto sets and leaving the others: a
// message reused from reading to reading keeps its strings' storage (no allocation each).
void fill_proto(const Reading& reading, std::uint64_t id, proto::Reading& out);
Reading from_proto(const proto::Reading& reading);

}  // namespace vigil
