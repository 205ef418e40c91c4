#pragma once
// Domain <-> protobuf at the edge, in one place.

#include "reading/reading.hpp"
#include "readings.pb.h"

namespace vigil {

proto::VitalKind to_proto(VitalKind kind);
std::optional<VitalKind> from_proto(proto::VitalKind kind);

// `id` is the database row id (0 if not stored).
proto::Reading to_proto(const Reading& reading, std::uint64_t id = 0);
Reading from_proto(const proto::Reading& reading);

}  // namespace vigil
