#pragma once
// One writer per database file. Two daemons on one file would each restore the open
// sessions, raise T1 for the chairs whose monitors send to the other, number alerts from
// the same maximum and write all of it into one append-only log: a patient's record with
// alarms no monitor caused. SQLite allows it (its locks are per transaction), so the store
// holds an exclusive lock of its own for its whole life, taken before the file is opened or
// migrated, on a file beside it (PATH.lock). The kernel drops the lock when the process
// ends, however it ends; the lock file is left behind and means nothing on its own.

#include <string>

#include "store/records.hpp"

namespace vigil::store {

// Another process holds the database's writer lock. what(): "database PATH is in use by
// another vigild (pid N)" (the pid when the holder wrote one).
struct DatabaseInUse : StoreError {
  DatabaseInUse(const std::string& path, const std::string& reason) : StoreError("database", path, reason) {}
};

class WriterLock {
 public:
  // Takes the lock or throws DatabaseInUse (held elsewhere) or StoreError (cannot create it).
  explicit WriterLock(const std::string& db_path);
  ~WriterLock();
  WriterLock(const WriterLock&) = delete;
  WriterLock& operator=(const WriterLock&) = delete;

  // Beside the file the database path resolves to (symlinks and "./" followed).
  static std::string lock_path(const std::string& resolved_db_path) { return resolved_db_path + ".lock"; }

 private:
  int fd_ = -1;
};

}  // namespace vigil::store
