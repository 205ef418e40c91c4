#include "store/reading_queries.hpp"

#include "store/observation_sets.hpp"
#include "store/read_connection.hpp"
#include "store/reading_cursor.hpp"
#include "store/sqlite_handle.hpp"

namespace vigil::store {

std::size_t for_each_reading(const std::string& path, const ReadingFilter& filter,
                             const std::function<void(const StoredReading&)>& fn) {
  ReadConnection c = open_for_reading(path);
  try {
    std::string where;
    if (filter.bed) where = "bed = ?1";
    // Vigil's clock (arrival), not the device's: a monitor clock off by hours must not hide
    // a reading from --since or move it out of order.
    if (filter.since_ms) where += std::string(where.empty() ? "" : " AND ") + "received_at_ms >= ?2";
    ReadingCursor readings(*c.db, c.version, where, "received_at_ms, id");
    if (filter.bed) readings.statement().bind(1, *filter.bed);
    if (filter.since_ms) readings.statement().bind(2, std::int64_t{*filter.since_ms});
    while (const StoredReading* row = readings.next()) fn(*row);
    return readings.skipped();
  } catch (const sqlite::Error& e) {
    throw StoreError(kReadAction, path, e.what());
  }
}

namespace {

// Schema 7: bed_kinds names each (bed, kind) ever stored; the newest set holding the kind
// is one backward walk of the bed's (bed, received_at_ms) index, stopping at the first hit.
void latest_from_sets(ReadConnection& c, std::vector<StoredReading>& out) {
  sqlite::Statement pairs(*c.db, "SELECT bed, kind FROM bed_kinds ORDER BY bed, kind");
  ReadingCursor newest(*c.db, c.version, "bed = ?1 AND (kinds & ?2) != 0", "received_at_ms DESC, id DESC", 1);
  while (pairs.step()) {
    const auto kind = vital_kind_from_string(pairs.column_text(1));
    if (!kind) continue;
    newest.restart();
    newest.statement().bind(1, pairs.column_text(0));
    newest.statement().bind(2, std::int64_t{1} << static_cast<int>(*kind));
    while (const StoredReading* row = newest.next()) {
      if (row->reading.kind == *kind) out.push_back(*row);
    }
  }
}

// Older layouts: walk the distinct (bed, kind) pairs with the index, one seek each, then
// take the newest row of each: no full scan however long the history grows.
void latest_from_rows(ReadConnection& c, std::vector<StoredReading>& out) {
  sqlite::Statement next_pair(*c.db,
                              "SELECT bed, kind FROM readings WHERE (bed, kind) > (?1, ?2) "
                              "ORDER BY bed, kind LIMIT 1");
  ReadingCursor newest(*c.db, c.version, "bed = ?1 AND kind = ?2", "received_at_ms DESC, id DESC", 1);
  // Start at ('', ''): every stored kind is a non-empty name, so even readings with an
  // empty (unresolved) bed sort after it.
  std::string bed, kind;
  for (;;) {
    sqlite::ResetGuard g1(next_pair);
    next_pair.bind(1, bed);
    next_pair.bind(2, kind);
    if (!next_pair.step()) break;
    bed = next_pair.column_text(0);
    kind = next_pair.column_text(1);
    newest.restart();
    newest.statement().bind(1, bed);
    newest.statement().bind(2, kind);
    if (const StoredReading* row = newest.next()) out.push_back(*row);
  }
}

}  // namespace

std::vector<StoredReading> latest_readings_in(const std::string& path) {
  ReadConnection c = open_for_reading(path);
  std::vector<StoredReading> out;
  try {
    if (c.version >= kFirstObservationSetVersion) {
      latest_from_sets(c, out);
    } else {
      latest_from_rows(c, out);
    }
  } catch (const sqlite::Error& e) {
    throw StoreError(kReadAction, path, e.what());
  }
  return out;
}

}  // namespace vigil::store
