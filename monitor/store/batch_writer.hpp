#pragma once
// Writes the records of one WriteBatch with prepared statements. Knows the tables, not the
// transactions: the Store's writer thread wraps many batches in one BEGIN ... COMMIT.
//
// Threading: owned and used by the writer thread only.

#include <cstdint>
#include <vector>

#include "store/records.hpp"
#include "store/sqlite_handle.hpp"

namespace vigil::store {

class BatchWriter {
 public:
  // Prepares the INSERT statements on `db` (which must outlive this); throws sqlite::Error.
  explicit BatchWriter(sqlite::Connection& db);

  // Inserts every record of `batch` inside the caller's open transaction and returns the
  // reading row ids in batch order. Throws sqlite::Error; the caller rolls back.
  std::vector<std::uint64_t> write(const WriteBatch& batch);

 private:
  std::uint64_t insert(const Reading& r);
  void insert(const UnmappedObservation& u);

  sqlite::Connection& db_;
  sqlite::Statement insert_reading_;
  sqlite::Statement insert_unmapped_;
  // Next record kind: one more Statement here, prepared in the constructor.
};

}  // namespace vigil::store
