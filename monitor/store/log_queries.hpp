#pragma once
// Read side of the alert, session and configuration logs: exports (vigilctl alerts,
// timeline) and what the daemon needs after a restart (open sessions, unresolved alerts,
// the alert log's length). Like reading_queries.hpp, every call opens its own read-only
// connection: safe from any thread, never blocking the writer.
//
// A schema-1 file (written before the logs existed and not yet migrated by a writer) reads
// as empty logs, not as an error.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "events.pb.h"
#include "store/records.hpp"

namespace vigil::store {

// Which alert transitions for_each_alert visits. Unset fields do not filter.
struct AlertFilter {
  std::optional<std::string> bed;
  std::optional<WallMillis> since_ms;  // transitions at or after
};

// Calls `fn` for each logged alert transition matching `filter`, in log order (row id),
// one row at a time; each event has log_id set. Throws StoreError("cannot read database",
// path, reason) like for_each_reading; exceptions from `fn` pass through.
void for_each_alert(const std::string& path, const AlertFilter& filter,
                    const std::function<void(const proto::AlertEvent&)>& fn);

// Which session events for_each_session_event visits. Unset fields do not filter.
struct SessionFilter {
  std::optional<std::string> bed;
  std::optional<std::string> session_id;
};

// Calls `fn` for each logged session event matching `filter`, in log order, with log_id
// set and `session` decoded (the state after the event). Throws like for_each_alert.
void for_each_session_event(const std::string& path, const SessionFilter& filter,
                            const std::function<void(const proto::SessionEvent&)>& fn);

// Calls `fn(row_id, record)` for each configuration record, in log order. Throws like
// for_each_alert.
void for_each_config_record(const std::string& path,
                            const std::function<void(std::uint64_t, const ConfigRecord&)>& fn);

// Calls `fn` for each logged escalation step (schema 9), in log order; a file from before
// version 9 has none. Throws like for_each_alert.
void for_each_escalation(const std::string& path,
                         const std::function<void(const proto::EscalationEvent&)>& fn);

// Per bed, the state of its last session_log row when that state's phase is not "closed",
// ordered by bed. Throws StoreError.
std::vector<proto::SessionInfo> open_sessions_in(const std::string& path);

// The alert log's highest row id, which is its row count (rows are never deleted); 0 when
// empty. Throws StoreError.
std::uint64_t alert_log_rows_in(const std::string& path);

// Per alert id, its last logged transition when that is not RESOLVED, in log order.
// Throws StoreError.
std::vector<proto::AlertEvent> unresolved_alerts_in(const std::string& path);

}  // namespace vigil::store
