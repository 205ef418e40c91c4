#pragma once
// A chair's stored history for a screen that connected late (NurseRequest.history,
// vigilctl history): the readings, alert transitions and session events of one session, in
// the stream's own messages. Built on the timeline's cursors (timeline.hpp), so it reads
// what `vigilctl timeline` and the reports read, one row at a time.
//
// Bounded to fit one stream frame (1 MiB): NIBP readings are all kept (a cuff cycle is
// minutes apart); every other kind (HR, SpO2, ...) at most one per `other_every_ms` of
// arrival (1 Hz HR for 3 h would be 10,800 rows); then at most `max_readings`, `max_alerts`,
// `max_events` and `max_bytes` of encoded messages. Oldest first: a cut answer ends early,
// `truncated` is set, and the asker continues with since_ms after its last reading.
//
// Pure query: opens its own read-only connection, safe on any thread (vigild calls it on a
// worker thread, never on its io_context).

#include <cstddef>
#include <cstdint>
#include <string>

#include "events.pb.h"
#include "store/records.hpp"

namespace vigil::store {

struct HistoryLimits {
  std::int64_t other_every_ms = 10'000;  // non-NIBP readings: one per 10 s per kind
  std::size_t max_readings = 12'000;     // a 3 h session: ~110 NIBP x 3 + 2 x 1,080
  std::size_t max_alerts = 2'000;
  std::size_t max_events = 500;
  std::size_t max_bytes = 768 * 1024;  // encoded; the frame limit is 1 MiB
  // A chair that never had a session: its readings of this long before `now_ms`.
  std::int64_t no_session_window_ms = 3 * 3600 * 1000;
};

struct HistoryQuery {
  std::string bed;
  std::string session_id;   // "": the chair's open session, else its latest
  WallMillis since_ms = 0;  // 0: from the session's start
  WallMillis now_ms = 0;    // the daemon's clock (only for a chair without a session)
};

// Why a history cannot be given (an unknown chair or session); what() is the reason.
struct HistoryRefused : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Reads the history `query` names. Throws HistoryRefused for an unknown chair (no session
// and no reading ever stored) or a session that is not this chair's, StoreError when the
// database cannot be read.
proto::ChairHistory read_chair_history(const std::string& path, const HistoryQuery& query,
                                       const HistoryLimits& limits = {});

}  // namespace vigil::store
