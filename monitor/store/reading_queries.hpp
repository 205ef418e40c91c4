#pragma once
// Read side: exporting readings (vigilctl readings) and the latest value per bed and kind
// (the daemon's snapshot after a restart). Every call opens its own read-only connection,
// so it is safe from any thread and never blocks the writer (WAL readers see the last
// committed state).

#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "store/records.hpp"

namespace vigil::store {

// Which readings for_each_reading visits. Unset fields do not filter.
struct ReadingFilter {
  std::optional<std::string> bed;
  std::optional<WallMillis> since_ms;  // received (Vigil's clock) at or after
};

// Calls `fn` for each stored reading matching `filter`, ordered by measured time then id,
// one row at a time (nothing is collected in memory). Opens `path` read-only and never
// creates it. Throws StoreError("cannot read database", path, reason) when the file is
// missing, unreadable, not a database or not a Vigil database, or a read fails midway.
// Exceptions thrown by `fn` pass through. Returns how many rows were skipped because their
// kind is unknown to this build (written by a newer one).
std::size_t for_each_reading(const std::string& path, const ReadingFilter& filter,
                             const std::function<void(const StoredReading&)>& fn);

// The latest reading (by measured time, then id) of each (bed, kind) in the database at
// `path`, ordered by bed then kind. Throws StoreError like for_each_reading.
std::vector<StoredReading> latest_readings_in(const std::string& path);

}  // namespace vigil::store
