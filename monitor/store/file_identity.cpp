#include "store/file_identity.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "store/records.hpp"

namespace vigil::store {

FileIdentity::FileIdentity(const std::string& path) : path_(path) {
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY);
  struct stat st {};
  if (fd_ < 0 || ::fstat(fd_, &st) != 0) {
    const int err = errno;
    if (fd_ >= 0) ::close(fd_);
    throw StoreError("cannot open database", path, std::strerror(err));
  }
  dev_ = st.st_dev;
  ino_ = st.st_ino;
}

FileIdentity::~FileIdentity() {
  if (fd_ >= 0) ::close(fd_);
}

std::string FileIdentity::problem() const {
  struct stat open_file {};
  if (::fstat(fd_, &open_file) != 0)
    return "cannot stat the open database file: " + std::string(std::strerror(errno));
  if (open_file.st_nlink == 0) return "database file " + path_ + " was deleted while open";
  struct stat named {};
  if (::stat(path_.c_str(), &named) != 0) {
    const int err = errno;
    return "database file " + path_ + " is gone (" + std::strerror(err) +
           "; moved, or its directory removed?)";
  }
  if (named.st_dev != dev_ || named.st_ino != ino_) {
    return "database file " + path_ + " was replaced by another file while open";
  }
  return {};
}

}  // namespace vigil::store
