#pragma once
// Opening the database for writing: the file is created owner-only (0600) by us before
// SQLite sees it, then configured for durability and given its schema.

#include <memory>
#include <string>

#include "store/sqlite_handle.hpp"

namespace vigil::store {

// Creates `path` with mode 0600 if it does not exist (an existing file keeps its mode),
// opens it read-write, applies WAL + synchronous=FULL and ensures the schema. SQLite gives
// the -wal and -shm files the main file's permissions, so they are owner-only too.
// Runs PRAGMA quick_check first: a damaged file throws DatabaseDamaged (database_check.hpp),
// anything else StoreError("cannot open database", path, reason).
std::unique_ptr<sqlite::Connection> open_for_writing(const std::string& path);

// Makes `path` a Vigil database of this build's schema, for retention to ATTACH and fill:
// its directory (0700) and the file (0600) are created if missing, an older archive is
// migrated like a live file. A rollback journal, not WAL: an archive is written in bursts by
// one connection and then read, and stays one self-contained file to copy or move.
// Throws StoreError("cannot open archive", path, reason).
void ensure_archive(const std::string& path);

}  // namespace vigil::store
