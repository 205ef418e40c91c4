#include "store/reading_queries.hpp"

#include "store/read_connection.hpp"
#include "store/row_readers.hpp"
#include "store/sqlite_handle.hpp"

namespace vigil::store {

std::size_t for_each_reading(const std::string& path, const ReadingFilter& filter,
                             const std::function<void(const StoredReading&)>& fn) {
  ReadConnection c = open_for_reading(path);
  std::size_t skipped = 0;
  try {
    std::string sql = "SELECT " + reading_columns(c.version) + " FROM readings WHERE 1";
    if (filter.bed) sql += " AND bed = ?1";
    // Vigil's clock (arrival), not the device's: a monitor clock off by hours must not hide
    // a reading from --since or move it out of order.
    if (filter.since_ms) sql += " AND received_at_ms >= ?2";
    sql += " ORDER BY received_at_ms, id";
    sqlite::Statement s(*c.db, sql);
    if (filter.bed) s.bind(1, *filter.bed);
    if (filter.since_ms) s.bind(2, std::int64_t{*filter.since_ms});
    StoredReading row;
    while (s.step()) {
      if (read_reading_row(s, row)) {
        fn(row);
      } else {
        ++skipped;
      }
    }
  } catch (const sqlite::Error& e) {
    throw StoreError(kReadAction, path, e.what());
  }
  return skipped;
}

std::vector<StoredReading> latest_readings_in(const std::string& path) {
  ReadConnection c = open_for_reading(path);
  std::vector<StoredReading> out;
  try {
    // Walk the distinct (bed, kind) pairs with the index, one seek each, then take the
    // newest row of each: no full scan however long the history grows.
    sqlite::Statement next_pair(*c.db,
                                "SELECT bed, kind FROM readings WHERE (bed, kind) > (?1, ?2) "
                                "ORDER BY bed, kind LIMIT 1");
    sqlite::Statement newest(*c.db, "SELECT " + reading_columns(c.version) +
                                        " FROM readings WHERE bed = ?1 AND kind = ?2 "
                                        "ORDER BY received_at_ms DESC, id DESC LIMIT 1");
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
      sqlite::ResetGuard g2(newest);
      newest.bind(1, bed);
      newest.bind(2, kind);
      StoredReading row;
      if (newest.step() && read_reading_row(newest, row)) out.push_back(std::move(row));
    }
  } catch (const sqlite::Error& e) {
    throw StoreError(kReadAction, path, e.what());
  }
  return out;
}

}  // namespace vigil::store
