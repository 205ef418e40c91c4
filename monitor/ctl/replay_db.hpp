#pragma once
// Stored sessions (vigild's database, read-only) as replay feeds: the readings of the
// session's chair as the daemon received them, its nurse actions (begin, baseline override,
// start, pause, resume, stop, end) and its acknowledgments, with their recorded times.

#include <optional>
#include <string>
#include <vector>

#include "reading/reading.hpp"
#include "replay/replay_feed.hpp"

namespace vigil::ctl {

/// One feed per session begun at or after `since_ms` (on `bed` if given). Throws
/// store::StoreError when the database cannot be read.
std::vector<replay::Feed> feeds_from_db(const std::string& path, const std::optional<std::string>& bed,
                                        std::optional<WallMillis> since_ms);

}  // namespace vigil::ctl
