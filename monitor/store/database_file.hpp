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
// migrated like a live file. WAL like the live file: a retention step's copy then costs one
// fsync, not a rollback journal's three; when the writer detaches it at the end of a run,
// SQLite checkpoints and removes the -wal file, so a closed archive is one file to copy.
// Throws StoreError("cannot open archive", path, reason).
void ensure_archive(const std::string& path);

}  // namespace vigil::store
