#pragma once
// CPU time and resident memory of another process, from /proc (Linux).

#include <sys/types.h>

#include <cstdint>
#include <optional>

namespace vigil::bench {

/// utime + stime of `pid` in seconds (/proc/PID/stat fields 14 and 15); nullopt if gone.
std::optional<double> cpu_seconds(pid_t pid);

/// VmRSS of `pid` in KiB (/proc/PID/status); nullopt if gone.
std::optional<std::uint64_t> rss_kib(pid_t pid);

}  // namespace vigil::bench
