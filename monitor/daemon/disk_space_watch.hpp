#pragma once
// Watches the free space of the database's filesystem and says so before it runs out: below
// the configured minimum (config db_min_free_mb) every chair gets T8 "Low disk space", while
// commits still work, so someone can make room before readings are refused (AR) for a full
// disk.
//
// Threading: io thread. statvfs on the database's local filesystem is one cheap system call
// (no I/O to the disk itself), so it runs on the io thread every `period`.

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace vigil::daemon {

// Bytes available to the daemon on the filesystem holding `path`; nullopt if statvfs fails
// (the file is gone: the store reports that itself).
std::optional<std::uint64_t> free_bytes_at(const std::string& path);

class DiskSpaceWatch {
 public:
  // Told on every change: low (true, with a one-line detail) or enough again (false).
  using Report = std::function<void(bool low, const std::string& detail)>;

  // min_free_bytes 0: never reports (the watch is off).
  DiskSpaceWatch(boost::asio::io_context& io, std::string path, std::uint64_t min_free_bytes,
                 std::chrono::milliseconds period, Report report);
  // Checks now, then every period until destroyed.
  void start();

 private:
  void check();
  void arm();

  boost::asio::steady_timer timer_;
  std::string path_;
  std::uint64_t min_free_bytes_;
  std::chrono::milliseconds period_;
  Report report_;
  std::optional<bool> low_;  // unknown until the first successful check
};

}  // namespace vigil::daemon
