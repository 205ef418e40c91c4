#include "store/reading_cursor.hpp"

#include "store/observation_sets.hpp"
#include "store/row_readers.hpp"

namespace vigil::store {

namespace {

std::string select_sql(std::int64_t version, const std::string& where, const std::string& order, int limit) {
  const bool sets = version >= kFirstObservationSetVersion;
  std::string sql = "SELECT " + (sets ? set_columns() : reading_columns(version)) + " FROM " +
                    (sets ? "observation_sets" : "readings");
  if (!where.empty()) sql += " WHERE " + where;
  if (!order.empty()) sql += " ORDER BY " + order;
  if (limit > 0) sql += " LIMIT " + std::to_string(limit);
  return sql;
}

}  // namespace

ReadingCursor::ReadingCursor(sqlite::Connection& db, std::int64_t version, const std::string& where,
                             const std::string& order, int limit)
    : sets_(version >= kFirstObservationSetVersion), stmt_(db, select_sql(version, where, order, limit)) {}

const StoredReading* ReadingCursor::next() {
  while (at_ >= buffer_.size()) {
    buffer_.clear();
    at_ = 0;
    if (!stmt_.step()) return nullptr;
    if (sets_) {
      skipped_ += expand_set_row(stmt_, buffer_);
    } else if (!read_reading_row(stmt_, buffer_.emplace_back())) {
      buffer_.clear();
      ++skipped_;
    }
  }
  return &buffer_[at_++];
}

}  // namespace vigil::store
