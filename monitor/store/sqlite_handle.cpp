#include "store/sqlite_handle.hpp"

#include <climits>
#include <cmath>

#include "text/utf8.hpp"

namespace vigil::store::sqlite {

Error error_from(sqlite3* db, int code, std::string_view context) {
  std::string message(context);
  message += ": ";
  // sqlite3_errmsg describes the most recent failure on this connection; without a
  // connection (open ran out of memory) fall back to the generic text for the code.
  message += db ? sqlite3_errmsg(db) : sqlite3_errstr(code);
  return Error(code, message);
}

Connection::Connection(const std::string& path, int flags) {
  int rc = sqlite3_open_v2(path.c_str(), &db_, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Error e = error_from(db_, rc, "open");
    sqlite3_close_v2(db_);  // a handle is returned even on failure, and must be closed
    db_ = nullptr;
    throw e;
  }
  sqlite3_extended_result_codes(db_, 1);
}

Connection::~Connection() {
  if (db_) sqlite3_close_v2(db_);
}

void Connection::exec(const std::string& sql) {
  char* err = nullptr;
  int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string message = "\"" + sql + "\": " + (err ? err : sqlite3_errstr(rc));
    sqlite3_free(err);
    throw Error(rc, message);
  }
}

std::int64_t Connection::query_int(const std::string& sql) {
  Statement s(*this, sql);
  if (!s.step()) throw Error(SQLITE_ERROR, "\"" + sql + "\": returned no row");
  return s.column_int(0);
}

std::string Connection::query_text(const std::string& sql) {
  Statement s(*this, sql);
  if (!s.step()) throw Error(SQLITE_ERROR, "\"" + sql + "\": returned no row");
  return s.column_text(0);
}

bool Connection::in_transaction() const { return sqlite3_get_autocommit(db_) == 0; }

Statement::Statement(Connection& db, const std::string& sql) : db_(db.get()) {
  int rc = sqlite3_prepare_v3(db_, sql.c_str(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                              &stmt_, nullptr);
  if (rc != SQLITE_OK) throw error_from(db_, rc, "prepare \"" + sql + "\"");
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

void Statement::bind(int index, std::string_view text) {
  // Outside strings are bounded long before this; the check keeps the int cast honest.
  if (text.size() > static_cast<std::size_t>(INT_MAX)) throw Error(SQLITE_TOOBIG, "text too long");
  // Defence in depth: TEXT is read back into protobuf strings, which must be UTF-8. The
  // codecs already transcode; anything that slipped past is stored with U+FFFD.
  if (!is_valid_utf8(text)) {
    const std::string fixed = to_valid_utf8(text);
    int rc = sqlite3_bind_text(stmt_, index, fixed.data(), static_cast<int>(fixed.size()), SQLITE_TRANSIENT);
    if (rc != SQLITE_OK) throw error_from(db_, rc, "bind");
    return;
  }
  int rc = sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) throw error_from(db_, rc, "bind");
}

void Statement::bind(int index, double value) {
  int rc = sqlite3_bind_double(stmt_, index, value);
  if (rc != SQLITE_OK) throw error_from(db_, rc, "bind");
}

void Statement::bind(int index, std::int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) throw error_from(db_, rc, "bind");
}

void Statement::bind_blob(int index, std::string_view bytes) {
  if (bytes.size() > static_cast<std::size_t>(INT_MAX)) throw Error(SQLITE_TOOBIG, "blob too long");
  int rc = sqlite3_bind_blob(stmt_, index, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) throw error_from(db_, rc, "bind");
}

void Statement::bind_null(int index) {
  int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) throw error_from(db_, rc, "bind");
}

void Statement::bind_number(int index, double value) {
  if (std::isnan(value)) {
    bind_null(index);
  } else {
    bind(index, value);
  }
}

bool Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  throw error_from(db_, rc, "step");
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

std::int64_t Statement::column_int(int column) const { return sqlite3_column_int64(stmt_, column); }

bool Statement::column_is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

double Statement::column_double(int column) const { return sqlite3_column_double(stmt_, column); }

std::string Statement::column_text(int column) const {
  const unsigned char* text = sqlite3_column_text(stmt_, column);
  int size = sqlite3_column_bytes(stmt_, column);
  if (!text || size <= 0) return {};
  return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size));
}

std::string Statement::column_blob(int column) const {
  const void* bytes = sqlite3_column_blob(stmt_, column);
  int size = sqlite3_column_bytes(stmt_, column);  // after column_blob, as SQLite requires
  if (!bytes || size <= 0) return {};
  return std::string(static_cast<const char*>(bytes), static_cast<std::size_t>(size));
}

}  // namespace vigil::store::sqlite
