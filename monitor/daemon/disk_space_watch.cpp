#include "daemon/disk_space_watch.hpp"

#include <sys/statvfs.h>

namespace vigil::daemon {

std::optional<std::uint64_t> free_bytes_at(const std::string& path) {
  struct statvfs fs {};
  if (::statvfs(path.c_str(), &fs) != 0) return std::nullopt;
  // f_bavail, not f_bfree: what an unprivileged writer may still use (the reserved blocks
  // of ext4 are not ours to count on, even when vigild runs as root).
  return static_cast<std::uint64_t>(fs.f_bavail) * static_cast<std::uint64_t>(fs.f_frsize);
}

DiskSpaceWatch::DiskSpaceWatch(boost::asio::io_context& io, std::string path, std::uint64_t min_free_bytes,
                               std::chrono::milliseconds period, Report report)
    : timer_(io),
      path_(std::move(path)),
      min_free_bytes_(min_free_bytes),
      period_(period),
      report_(std::move(report)) {}

void DiskSpaceWatch::start() {
  if (min_free_bytes_ == 0) return;
  check();
  arm();
}

void DiskSpaceWatch::arm() {
  timer_.expires_after(period_);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;  // cancelled: we are being destroyed
    check();
    arm();
  });
}

void DiskSpaceWatch::check() {
  const auto free = free_bytes_at(path_);
  if (!free) return;
  const bool low = *free < min_free_bytes_;
  if (low_ == low) return;
  const bool first = !low_.has_value();
  low_ = low;
  if (first && !low) return;  // enough space at start: nothing to announce
  constexpr std::uint64_t kMiB = 1024 * 1024;
  report_(low, "free space for the database " + std::to_string(*free / kMiB) + " MiB, below the minimum of " +
                   std::to_string(min_free_bytes_ / kMiB) + " MiB (config db_min_free_mb)");
}

}  // namespace vigil::daemon
