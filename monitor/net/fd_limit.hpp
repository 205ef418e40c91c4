#pragma once
// Every link is a descriptor: a daemon with thousands of monitors (or a simulator with
// thousands of senders) needs more than the usual soft limit of 1024.

#include <cstdint>

namespace vigil::net {

// Raises this process's RLIMIT_NOFILE soft limit to its hard limit (children inherit it).
// Returns the soft limit now in force, 0 if it cannot be read.
std::uint64_t raise_fd_limit();

}  // namespace vigil::net
