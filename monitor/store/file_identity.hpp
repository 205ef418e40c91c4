#pragma once
// Notices when the database file the writer holds open is no longer the file at its path:
// deleted (or its directory removed), replaced by another file, or moved away. SQLite keeps
// writing happily into an open file that no longer has a name, so every commit would
// "succeed" and be acknowledged (AA) into a file nobody will ever open again.
//
// Threading: owned and used by the store's writer thread.

#include <sys/types.h>

#include <string>

namespace vigil::store {

class FileIdentity {
 public:
  // Opens `path` read-only (an own descriptor: it keeps the inode from being reused while we
  // compare against it) and remembers which file it is. Throws StoreError.
  // Destroy it only after every SQLite connection to the file is closed: closing a
  // descriptor drops all of the process's POSIX locks on that file, SQLite's included.
  explicit FileIdentity(const std::string& path);
  ~FileIdentity();
  FileIdentity(const FileIdentity&) = delete;
  FileIdentity& operator=(const FileIdentity&) = delete;

  // "" while `path` still names the opened file and that file still has a link; otherwise
  // one line saying what happened. Two system calls (fstat, stat): cheap enough to run
  // before and after every commit.
  std::string problem() const;

 private:
  std::string path_;
  int fd_ = -1;
  dev_t dev_ = 0;
  ino_t ino_ = 0;
};

}  // namespace vigil::store
