#include "store/batch_writer.hpp"

#include <cmath>

namespace vigil::store {

BatchWriter::BatchWriter(sqlite::Connection& db)
    : db_(db),
      insert_reading_(db,
                      "INSERT INTO readings (bed, kind, value, unit, measured_at_ms, "
                      "received_at_ms, source, valid, status) VALUES (?,?,?,?,?,?,?,?,?)"),
      insert_unmapped_(db,
                       "INSERT INTO unmapped_observations (bed, source, code, value, unit, "
                       "measured_at_ms, received_at_ms) VALUES (?,?,?,?,?,?,?)") {}

std::vector<std::uint64_t> BatchWriter::write(const WriteBatch& batch) {
  std::vector<std::uint64_t> ids;
  ids.reserve(batch.readings.size());
  for (const Reading& r : batch.readings) ids.push_back(insert(r));
  for (const UnmappedObservation& u : batch.unmapped) insert(u);
  return ids;
}

std::uint64_t BatchWriter::insert(const Reading& r) {
  sqlite::Statement& s = insert_reading_;
  sqlite::ResetGuard guard(s);
  s.bind(1, r.bed);
  s.bind(2, to_string(r.kind));
  // SQLite would turn NaN into NULL anyway; saying so keeps the read side symmetric.
  if (std::isnan(r.value)) {
    s.bind_null(3);
  } else {
    s.bind(3, r.value);
  }
  s.bind(4, canonical_unit(r.kind));
  s.bind(5, std::int64_t{r.measured_at_ms});
  s.bind(6, std::int64_t{r.received_at_ms});
  s.bind(7, r.source);
  s.bind(8, std::int64_t{r.valid ? 1 : 0});
  s.bind(9, r.status);
  s.step();
  // The row id is exact here: this connection is the only writer and nothing else runs
  // between the step and this call on the writer thread.
  return static_cast<std::uint64_t>(sqlite3_last_insert_rowid(db_.get()));
}

void BatchWriter::insert(const UnmappedObservation& u) {
  sqlite::Statement& s = insert_unmapped_;
  sqlite::ResetGuard guard(s);
  s.bind(1, u.bed);
  s.bind(2, u.source);
  s.bind(3, u.code);
  s.bind(4, u.value);
  s.bind(5, u.unit);
  s.bind(6, std::int64_t{u.measured_at_ms});
  s.bind(7, std::int64_t{u.received_at_ms});
  s.step();
}

}  // namespace vigil::store
