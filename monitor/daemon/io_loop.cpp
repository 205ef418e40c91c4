#include "daemon/io_loop.hpp"

namespace vigil::daemon {

void run_io(boost::asio::io_context& io, const Journal& journal) {
  while (!io.stopped()) {
    if (!journal.commit_due_soon()) {
      io.run_one();  // sleeps until there is work, as run() would
      continue;
    }
    if (io.poll_one() > 0) continue;  // everything ready runs before any spin
    // The sockets are looked at every 16th turn (a non-blocking epoll_wait), the commit's
    // flag on every one: a system call per turn would cost more CPU than it saves time.
    unsigned turn = 0;
    const bool woke = journal.commit_spin().spin(
        [&] { return journal.commit_posted() || (++turn % 16 == 0 && io.poll_one() > 0); });
    if (!woke) io.run_one();  // the commit is slower than lately: sleep for it
  }
}

}  // namespace vigil::daemon
