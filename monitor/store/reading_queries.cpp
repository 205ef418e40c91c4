#include "store/reading_queries.hpp"

#include <algorithm>
#include <utility>

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

// How far back the restart looks for a kind's current value past withdrawals, late readings
// and the values withdrawn: a monitor that took back more of its newest results in a row
// leaves the kind blank until its next one (never a disowned or late number as current).
constexpr int kLatestLookBack = 32;

// The kind's current value among rows newest first: the newest value that is not late, unless
// a newer withdrawal took it back (of the same device and time; a NIBP part's withdrawal takes
// back the whole measurement, as the engine judges it). Then the kind has none, as on every
// live face, until the device sends again: an older value is not current because a newer
// one was disowned. A correction sent after the withdrawal (newer, same stamp) is a value.
class CurrentValue {
 public:
  enum class Verdict { Skip, Current, None };
  explicit CurrentValue(VitalKind kind) : kind_(kind) {}
  Verdict take(const StoredReading& row) {
    const Reading& r = row.reading;
    if (!withdrawal_takes(r.kind, kind_)) return Verdict::Skip;
    if (is_withdrawal(r)) {
      withdrawn_.emplace_back(r.source, r.measured_at_ms);
      return Verdict::Skip;
    }
    if (r.kind != kind_ || (row.context && row.context->late)) return Verdict::Skip;
    const bool taken_back = std::find(withdrawn_.begin(), withdrawn_.end(),
                                      std::pair(r.source, r.measured_at_ms)) != withdrawn_.end();
    return taken_back ? Verdict::None : Verdict::Current;
  }

 private:
  VitalKind kind_;
  std::vector<std::pair<std::string, WallMillis>> withdrawn_;
};

// Schema 7: bed_kinds names each (bed, kind) ever stored; the newest sets holding the kind
// (or, for NIBP, any part) are one backward walk of the bed's (bed, received_at_ms) index.
void latest_from_sets(ReadConnection& c, std::vector<StoredReading>& out) {
  sqlite::Statement pairs(*c.db, "SELECT bed, kind FROM bed_kinds ORDER BY bed, kind");
  ReadingCursor newest(*c.db, c.version, "bed = ?1 AND (kinds & ?2) != 0", "received_at_ms DESC, id DESC",
                       kLatestLookBack);
  std::int64_t nibp_bits = 0;
  for (VitalKind k : kAllVitalKinds) {
    if (is_nibp(k)) nibp_bits |= std::int64_t{1} << static_cast<int>(k);
  }
  while (pairs.step()) {
    const auto kind = vital_kind_from_string(pairs.column_text(1));
    if (!kind) continue;
    newest.restart();
    newest.statement().bind(1, pairs.column_text(0));
    newest.statement().bind(2, is_nibp(*kind) ? nibp_bits : std::int64_t{1} << static_cast<int>(*kind));
    CurrentValue current(*kind);
    while (const StoredReading* row = newest.next()) {
      const CurrentValue::Verdict v = current.take(*row);
      if (v == CurrentValue::Verdict::Current) out.push_back(*row);
      if (v != CurrentValue::Verdict::Skip) break;
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
