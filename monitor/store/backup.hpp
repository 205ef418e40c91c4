#pragma once
// An online copy of vigild's database while it runs (vigilctl backup). The copy is one
// consistent snapshot: SQLite's backup API copies pages inside one read transaction on the
// source, which in WAL mode never blocks vigild's writer (it only keeps checkpoints from
// passing the snapshot until the copy is done, so the -wal file grows meanwhile). The copy
// is written beside FILE, checked (PRAGMA integrity_check), made durable, and only then
// appears under its name, which it never takes from an existing file.

#include <cstdint>
#include <string>
#include <vector>

#include "store/records.hpp"

namespace vigil::store {

// FILE exists already: a backup never replaces one (it may be the only good copy).
struct BackupTargetExists : StoreError {
  explicit BackupTargetExists(const std::string& path)
      : StoreError("cannot write backup", path, "file exists (choose a new name or remove it first)") {}
};

// The copy was made but SQLite's check found problems in it; it was removed.
struct BackupDamaged : StoreError {
  BackupDamaged(const std::string& path, const std::vector<std::string>& problems)
      : StoreError("backup", path,
                   "failed integrity_check: " + (problems.empty() ? std::string() : problems.front())) {}
};

struct BackupSummary {
  std::int64_t bytes = 0;     // size of the finished copy
  std::int64_t pages = 0;     // database pages copied
  std::int64_t readings = 0;  // rows in the copy's readings table
  int schema_version = 0;     // PRAGMA user_version of the copy
};

// Pages copied per sqlite3_backup_step: bounds how long one step holds the destination's
// lock and lets a caller report progress; the read snapshot spans all steps.
inline constexpr int kBackupPagesPerStep = 1024;

// Copies `db` to `out` (which must not exist). Throws BackupTargetExists, BackupDamaged, or
// StoreError (cannot read the source, cannot write the copy). Leaves no partial file.
BackupSummary backup_database(const std::string& db, const std::string& out);

}  // namespace vigil::store
