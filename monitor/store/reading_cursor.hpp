#pragma once
// Readings in arrival order from either layout: the per-vital `readings` table of a file no
// writer has migrated yet (schema 1..6, read-only tools), or observation sets (schema 7),
// each set row expanded into its readings. The queries say only which rows they want.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "store/records.hpp"
#include "store/sqlite_handle.hpp"

namespace vigil::store {

class ReadingCursor {
 public:
  // `where` is appended to the SELECT (e.g. "bed = ?1 AND received_at_ms >= ?2") and may
  // use the columns bed, received_at_ms, id; "" selects every reading. `order` is the
  // ORDER BY clause without the words (e.g. "received_at_ms, id"); `limit` 0: none.
  ReadingCursor(sqlite::Connection& db, std::int64_t version, const std::string& where,
                const std::string& order, int limit = 0);

  sqlite::Statement& statement() { return stmt_; }  // to bind the parameters of `where`
  // Resets the statement (and its bindings) to run it again.
  void restart() {
    stmt_.reset();
    buffer_.clear();
    at_ = 0;
  }
  // The next reading, or nullptr at the end; valid until the next call.
  const StoredReading* next();
  // Rows whose kind this build does not know (older layout only), skipped.
  std::size_t skipped() const { return skipped_; }

 private:
  bool sets_;
  sqlite::Statement stmt_;
  std::vector<StoredReading> buffer_;
  std::size_t at_ = 0;
  std::size_t skipped_ = 0;
};

}  // namespace vigil::store
