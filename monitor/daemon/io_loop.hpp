#pragma once
// vigild's io thread: io_context::run(), except that where it would sleep while a commit it
// expects soon is with the writer, it spins for the result (common/brief_spin.hpp), polling
// its sockets and timers all the while, so no other monitor's message waits for the spin.

#include <boost/asio/io_context.hpp>

#include "daemon/journal.hpp"

namespace vigil::daemon {

// Returns when `io` is stopped or has run out of work, as run() does.
void run_io(boost::asio::io_context& io, const Journal& journal);

}  // namespace vigil::daemon
