#pragma once
// The text formats of `vigilctl alerts`, one logged transition at a time, kept apart from the
// command so they can be tested without running it.

#include <string>

#include "events.pb.h"

namespace vigil::store {

// The CSV header line (no newline): id,alert_id,bed,rule,priority,state,transition,kind,
// value,limit,baseline,message,at,user,acknowledged_by,phase,limits,profile
std::string alert_csv_header();

// One CSV record (no newline): `id` is the log row id, `at` RFC 3339 UTC, absent numbers
// empty, text quoted per RFC 4180 when it needs it.
std::string alert_csv_row(const proto::AlertEvent& alert);

// One JSON line (no newline), the shape `vigilctl watch` prints for a live alert:
// {"type":"alert","id":"...","bed":"CHAIR3","rule":"P2",...}.
std::string alert_jsonl_row(const proto::AlertEvent& alert);

}  // namespace vigil::store
