#pragma once
// Opening the database for reading (vigilctl, the daemon's restart queries): read-only,
// never creating the file, and telling which schema version it holds so queries can read
// an older file that no writer has migrated yet.

#include <cstdint>
#include <memory>
#include <string>

#include "store/sqlite_handle.hpp"

namespace vigil::store {

// The action word of every read-side StoreError: "cannot read database <path>: <reason>".
inline constexpr const char* kReadAction = "cannot read database";

struct ReadConnection {
  std::unique_ptr<sqlite::Connection> db;
  std::int64_t version = 0;  // PRAGMA user_version, 1..kSchemaVersion
};

// Opens `path` read-only after checking it exists and is a regular file. Throws
// StoreError(kReadAction, path, reason) when it is missing, not a database, not a Vigil
// database, or written by a newer build.
ReadConnection open_for_reading(const std::string& path);

}  // namespace vigil::store
