#include "store/shm_fault_guard.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/mman.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstddef>
#include <cstring>

namespace vigil::store {

namespace {

// Everything below runs inside a signal handler: only async-signal-safe calls (open, read,
// close, mmap, write, sigaction), no allocation, no locks.
std::atomic<std::uint64_t> g_faults{0};
static_assert(std::atomic<std::uint64_t>::is_always_lock_free);
std::atomic<bool> g_installed{false};
long g_page_size = 4096;

// Parses a hex number at `p`; advances p past it.
std::uintptr_t parse_hex(const char*& p, const char* end) {
  std::uintptr_t v = 0;
  for (; p < end; ++p) {
    const char c = *p;
    int d;
    if (c >= '0' && c <= '9')
      d = c - '0';
    else if (c >= 'a' && c <= 'f')
      d = c - 'a' + 10;
    else
      break;
    v = (v << 4) | static_cast<std::uintptr_t>(d);
  }
  return v;
}

bool ends_with(const char* begin, const char* end, const char* suffix) {
  const std::size_t n = std::strlen(suffix);
  return static_cast<std::size_t>(end - begin) >= n && std::memcmp(end - n, suffix, n) == 0;
}

// One line of /proc/self/maps: "start-end perms offset dev inode   path". True when it
// covers `addr` and maps a "-shm" file.
bool line_is_shm_at(const char* line, const char* end, std::uintptr_t addr, bool& covers) {
  const char* p = line;
  const std::uintptr_t start = parse_hex(p, end);
  if (p >= end || *p != '-') return false;
  ++p;
  const std::uintptr_t stop = parse_hex(p, end);
  covers = addr >= start && addr < stop;
  if (!covers) return false;
  return ends_with(line, end, "-shm") || ends_with(line, end, "-shm (deleted)");
}

// Whether `addr` lies in a mapping of a file named *-shm (read from /proc/self/maps with a
// fixed buffer; a line longer than it is treated as "not ours").
bool in_shm_mapping(std::uintptr_t addr) {
  const int fd = ::open("/proc/self/maps", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  char chunk[2048];
  char line[4352];  // PATH_MAX plus the fixed columns
  std::size_t used = 0;
  bool overflow = false, found = false, done = false;
  for (ssize_t n; !done && (n = ::read(fd, chunk, sizeof chunk)) > 0;) {
    for (ssize_t i = 0; i < n && !done; ++i) {
      if (chunk[i] != '\n') {
        if (used < sizeof line)
          line[used++] = chunk[i];
        else
          overflow = true;
        continue;
      }
      bool covers = false;
      const bool shm = !overflow && line_is_shm_at(line, line + used, addr, covers);
      if (covers) {
        found = shm;
        done = true;
      }
      used = 0;
      overflow = false;
    }
  }
  ::close(fd);
  return found;
}

void on_sigbus(int, siginfo_t* info, void*) {
  const int saved_errno = errno;
  const auto addr = reinterpret_cast<std::uintptr_t>(info->si_addr);
  if (info->si_code == BUS_ADRERR && addr != 0 && in_shm_mapping(addr)) {
    void* page = reinterpret_cast<void*>(addr & ~static_cast<std::uintptr_t>(g_page_size - 1));
    if (::mmap(page, static_cast<std::size_t>(g_page_size), PROT_READ | PROT_WRITE,
               MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0) != MAP_FAILED) {
      // Said once: every later refused write touches the faulted mapping again, and the
      // store logs each refusal itself; the count goes on (shm_faults()).
      if (g_faults.fetch_add(1, std::memory_order_relaxed) == 0) {
        static const char kMessage[] =
            "vigild: SIGBUS in the database's -shm mapping (truncated, immutable or unbacked file); "
            "database writes are refused from now on\n";
        [[maybe_unused]] ssize_t ignored = ::write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
      }
      errno = saved_errno;
      return;
    }
  }
  // Not a -shm fault: restore the default action; returning re-runs the faulting
  // instruction, which then ends the process with SIGBUS as it would have without us.
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  ::sigaction(SIGBUS, &dfl, nullptr);
  errno = saved_errno;
}

}  // namespace

bool install_shm_fault_guard() {
  if (g_installed.exchange(true)) return true;
  const long page = ::sysconf(_SC_PAGESIZE);
  if (page > 0) g_page_size = page;
  struct sigaction action {};
  action.sa_sigaction = on_sigbus;
  action.sa_flags = SA_SIGINFO;
  sigemptyset(&action.sa_mask);
  if (::sigaction(SIGBUS, &action, nullptr) != 0) {
    g_installed = false;
    return false;
  }
  return true;
}

std::uint64_t shm_faults() { return g_faults.load(std::memory_order_relaxed); }

}  // namespace vigil::store
