#pragma once
// Thin RAII wrappers over the SQLite C API: a connection, a prepared statement, and one
// exception type carrying SQLite's own message. Nothing here knows about readings.
//
// Threading: a Connection and its Statements are used by one thread at a time (SQLite is
// built serialized on Debian, but we never rely on that: each connection has one owner).

#include <sqlite3.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace vigil::store::sqlite {

// A failed SQLite call: what() is "<context>: <sqlite message>", `code()` the result code.
class Error : public std::runtime_error {
 public:
  Error(int code, const std::string& message) : std::runtime_error(message), code_(code) {}
  int code() const { return code_; }

 private:
  int code_;
};

// Owns one sqlite3*. Closed with sqlite3_close_v2 so late statements cannot leak it.
class Connection {
 public:
  // Opens `path` with sqlite3_open_v2 `flags`; throws Error with SQLite's reason.
  Connection(const std::string& path, int flags);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  sqlite3* get() const { return db_; }
  // Runs one or more statements that return no rows we care about; throws Error.
  void exec(const std::string& sql);
  // Runs a statement returning one integer (PRAGMA user_version, ...); throws Error.
  std::int64_t query_int(const std::string& sql);
  // Runs a statement returning one text value (PRAGMA journal_mode=WAL, ...); throws Error.
  std::string query_text(const std::string& sql);
  // True while a transaction is open (after a failed COMMIT SQLite may or may not have
  // rolled back by itself, so the writer asks).
  bool in_transaction() const;

 private:
  sqlite3* db_ = nullptr;
};

// Builds an Error from the connection's current error, prefixed by `context`.
Error error_from(sqlite3* db, int code, std::string_view context);

// Owns one prepared statement. Bind indexes are 1-based, as in SQLite.
class Statement {
 public:
  Statement(Connection& db, const std::string& sql);
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  void bind(int index, std::string_view text);
  void bind(int index, double value);
  void bind(int index, std::int64_t value);
  void bind_null(int index);
  // A measured number: NaN (no value) binds as NULL, which SQLite would do anyway;
  // saying so keeps the read side symmetric.
  void bind_number(int index, double value);
  // Binds bytes as a BLOB (serialized protobuf), not as text.
  void bind_blob(int index, std::string_view bytes);
  // Steps once: true when a row is available, false when done; throws Error otherwise.
  bool step();
  // Makes the statement reusable and drops its bindings (safe to call any time).
  void reset();

  std::int64_t column_int(int column) const;
  bool column_is_null(int column) const;
  double column_double(int column) const;
  std::string column_text(int column) const;
  std::string column_blob(int column) const;

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
};

// Resets a statement when leaving a scope, so an exception never leaves it mid-step
// (a statement left mid-step keeps a read transaction open and blocks ROLLBACK).
class ResetGuard {
 public:
  explicit ResetGuard(Statement& s) : s_(s) {}
  ~ResetGuard() { s_.reset(); }
  ResetGuard(const ResetGuard&) = delete;
  ResetGuard& operator=(const ResetGuard&) = delete;

 private:
  Statement& s_;
};

}  // namespace vigil::store::sqlite
