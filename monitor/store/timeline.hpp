#pragma once
// Read side of `vigilctl timeline`: one session of one chair, and everything logged for that
// chair while it ran (session events, readings, alert transitions) merged in time order.
// Streams from three cursors: nothing is collected in memory however long the session.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "events.pb.h"
#include "store/records.hpp"

namespace vigil::store {

// The session a timeline shows and the window its readings and alerts are taken from.
struct TimelineSession {
  proto::SessionInfo info;             // the state logged with the session's last event
  WallMillis from_ms = 0;              // its first logged event (or begun_at, if earlier)
  std::optional<WallMillis> until_ms;  // when it closed; unset while it is still open
  // The latest time anything was logged for the bed since from_ms (readings by arrival),
  // on the daemon's clock: where an open session's report ends when the reader's own clock
  // is behind it (a --time-scale demo runs the daemon's clock faster).
  WallMillis last_record_ms = 0;
};

// Finds session `session_id` of `bed`, or the bed's latest session (by log order) when
// unset. nullopt when there is none. Throws StoreError("cannot read database", ...).
std::optional<TimelineSession> find_session(const std::string& path, const std::string& bed,
                                            const std::optional<std::string>& session_id);

// One entry of a timeline. Exactly one pointer is set, matching `kind`; it is valid only
// during the callback.
struct TimelineItem {
  enum class Kind : std::uint8_t { Session, Reading, Alert };
  Kind kind = Kind::Session;
  WallMillis at_ms = 0;  // event time; for readings their arrival (Vigil's clock, received_at)
  const proto::SessionEvent* session_event = nullptr;
  const StoredReading* reading = nullptr;
  const proto::AlertEvent* alert = nullptr;
};

// Calls `fn` for every event of `session` (all of them), and for the readings and alert
// transitions of `bed` inside [from_ms, until_ms] (no upper bound while open), readings by
// their arrival (a reading belongs to the session open when it arrived), ordered by
// time; at equal times session events come first, then readings, then alerts (an alert
// follows the reading that raised it), then by row id. Returns how many readings were
// skipped because their kind is unknown to this build. Throws StoreError; exceptions from
// `fn` pass through.
std::size_t for_each_timeline_item(const std::string& path, const std::string& bed,
                                   const TimelineSession& session,
                                   const std::function<void(const TimelineItem&)>& fn);

}  // namespace vigil::store
