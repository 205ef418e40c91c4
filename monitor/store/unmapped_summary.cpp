#include "store/unmapped_summary.hpp"

#include "store/read_connection.hpp"
#include "store/records.hpp"

namespace vigil::store {

namespace {
constexpr int kFirstReasonVersion = 4;
}  // namespace

std::vector<UnmappedGroup> unmapped_summary(const std::string& path, std::optional<WallMillis> since,
                                            std::size_t limit) {
  ReadConnection c = open_for_reading(path);
  try {
    // A gateway sends every chair it feeds under one source, and each chair's monitor may be
    // set up differently: the chair is part of the group. So is the reason: one code can
    // fail for several (a number under it on one monitor, text on another), each with its
    // own fix, so each keeps its own count and sample.
    // SQLite takes the bare columns from the row holding MAX(id): the latest of the group.
    const bool has_reason = c.version >= kFirstReasonVersion;
    const std::string reason = has_reason ? "reason" : "NULL";
    const std::string by_reason = has_reason ? ", reason" : "";
    sqlite::Statement s(
        *c.db, "SELECT source, bed, code, COUNT(*), MIN(received_at_ms), MAX(id), value, unit, " + reason +
                   ", received_at_ms FROM unmapped_observations WHERE received_at_ms >= ? "
                   "GROUP BY source, bed, code" +
                   by_reason + " ORDER BY source, bed, COUNT(*) DESC, code" + by_reason + " LIMIT ?");
    s.bind(1, since.value_or(INT64_MIN));
    s.bind(2, static_cast<std::int64_t>(limit));
    std::vector<UnmappedGroup> out;
    while (s.step()) {
      UnmappedGroup& g = out.emplace_back();
      g.source = s.column_text(0);
      g.bed = s.column_text(1);
      g.code = s.column_text(2);
      g.count = static_cast<std::uint64_t>(s.column_int(3));
      g.first_received_ms = s.column_int(4);
      g.sample_value = s.column_text(6);
      g.unit = s.column_text(7);
      if (!s.column_is_null(8)) g.reason = s.column_text(8);
      g.last_received_ms = s.column_int(9);
    }
    return out;
  } catch (const sqlite::Error& e) {
    throw StoreError(kReadAction, path, e.what());
  }
}

}  // namespace vigil::store
