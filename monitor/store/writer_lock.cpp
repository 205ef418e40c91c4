#include "store/writer_lock.hpp"

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <string>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace vigil::store {

namespace {

constexpr const char* kLockAction = "cannot lock database";

// The holder's pid, as it wrote it ("" when unreadable: the holder may be writing it now).
std::string holder_pid(int fd) {
  char buf[32] = {};
  const ssize_t n = ::pread(fd, buf, sizeof buf - 1, 0);
  if (n <= 0) return {};
  std::string pid(buf, static_cast<std::size_t>(n));
  while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
  for (char c : pid) {
    if (c < '0' || c > '9') return {};
  }
  return pid;
}

// The file the database path names, whatever way it is named ("./vigil.db", a symlink): two
// names of one file must take one lock. A missing file (a new database) is its directory's
// real path and its own name. (A second hard link in another directory is not caught.)
std::string resolved(const std::string& db_path) {
  if (char* real = ::realpath(db_path.c_str(), nullptr)) {
    std::string out(real);
    std::free(real);
    return out;
  }
  const std::size_t slash = db_path.rfind('/');
  const std::string dir = slash == std::string::npos ? "." : (slash == 0 ? "/" : db_path.substr(0, slash));
  const std::string name = slash == std::string::npos ? db_path : db_path.substr(slash + 1);
  if (char* real = ::realpath(dir.c_str(), nullptr)) {
    std::string out(real);
    std::free(real);
    return (out == "/" ? out : out + "/") + name;
  }
  return db_path;  // the open below says what is wrong with it
}

}  // namespace

WriterLock::WriterLock(const std::string& db_path) {
  if (db_path.empty()) throw StoreError(kLockAction, "''", "no path given");
  const std::string path = lock_path(resolved(db_path));
  // Not O_TRUNC: the holder's pid must survive a second daemon opening the file.
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW, 0600);
  if (fd_ < 0) {
    const int err = errno;
    // A missing directory is the database's problem, said in the words the database's own
    // open uses (and `--check-config` repeats).
    if (err == ENOENT)
      throw StoreError("cannot open database", db_path,
                       std::string(std::strerror(err)) + " (does the directory exist?)");
    throw StoreError(kLockAction, db_path, std::string(std::strerror(err)) + " (lock file " + path + ")");
  }
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    const std::string pid = err == EWOULDBLOCK ? holder_pid(fd_) : std::string();
    ::close(fd_);
    fd_ = -1;
    if (err != EWOULDBLOCK) throw StoreError(kLockAction, db_path, std::strerror(err));
    throw DatabaseInUse(db_path, "is in use by another vigild" +
                                     (pid.empty() ? std::string() : " (pid " + pid + ")") +
                                     "; one daemon per database");
  }
  // Ours: say whose it is, for the next one refused. Failing to write only loses the pid.
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd_, 0) == 0) {
    [[maybe_unused]] const ssize_t n = ::pwrite(fd_, pid.data(), pid.size(), 0);
  }
}

WriterLock::~WriterLock() {
  if (fd_ >= 0) ::close(fd_);  // releases the lock; the file stays (removing it would race)
}

}  // namespace vigil::store
