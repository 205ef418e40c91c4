#pragma once
// What monitors sent that did not become readings, per source, chair, code and reason
// (vigilctl unmapped): how often and one sample value (the reason column is schema 4; older
// rows have none). Read-only, safe while vigild runs.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "reading/reading.hpp"

namespace vigil::store {

struct UnmappedGroup {
  std::string source;
  std::string bed;   // the chair the rows were stored under
  std::string code;  // OBX-3 as received
  std::uint64_t count = 0;
  std::string sample_value;  // of the latest row, verbatim
  std::string unit;          // of the latest row, verbatim
  std::string reason;        // why none of the rows became a reading; empty before schema 4
  WallMillis first_received_ms = 0;
  WallMillis last_received_ms = 0;
};

/// Groups received at or after `since` (all when unset), by source, then chair, then most
/// frequent first. At most `limit` groups (the table is outside input). Throws StoreError.
std::vector<UnmappedGroup> unmapped_summary(const std::string& path, std::optional<WallMillis> since,
                                            std::size_t limit = 10000);

}  // namespace vigil::store
