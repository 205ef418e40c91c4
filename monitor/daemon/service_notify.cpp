#include "daemon/service_notify.hpp"

#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

namespace vigil::daemon {

std::optional<std::chrono::microseconds> watchdog_period_from_env() {
  const char* usec = std::getenv("WATCHDOG_USEC");
  if (!usec) return std::nullopt;
  if (const char* pid = std::getenv("WATCHDOG_PID"); pid && std::strtol(pid, nullptr, 10) != ::getpid())
    return std::nullopt;  // meant for another process of the unit
  const long long value = std::strtoll(usec, nullptr, 10);
  if (value <= 0) return std::nullopt;
  return std::chrono::microseconds(value);
}

ServiceNotify::ServiceNotify(boost::asio::io_context& io) : timer_(io) {
  if (const char* path = std::getenv("NOTIFY_SOCKET"); path && (path[0] == '/' || path[0] == '@'))
    socket_path_ = path;
  watchdog_ = watchdog_period_from_env();
}

bool ServiceNotify::send(std::string_view state) {
  if (socket_path_.empty()) return false;
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (socket_path_.size() >= sizeof(addr.sun_path)) return false;
  std::memcpy(addr.sun_path, socket_path_.data(), socket_path_.size());
  if (addr.sun_path[0] == '@') addr.sun_path[0] = '\0';
  const socklen_t length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + socket_path_.size());
  const int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  // A datagram to a local socket: never blocks for long, even if systemd is slow to read.
  const ssize_t sent = ::sendto(fd, state.data(), state.size(), MSG_NOSIGNAL | MSG_DONTWAIT,
                                reinterpret_cast<const sockaddr*>(&addr), length);
  ::close(fd);
  return sent == static_cast<ssize_t>(state.size());
}

void ServiceNotify::ready() {
  if (!enabled()) return;
  if (!send("READY=1\nSTATUS=monitoring")) spdlog::warn("systemd: READY=1 could not be sent");
  if (watchdog_) arm();
}

void ServiceNotify::stopping() {
  timer_.cancel();
  if (enabled()) send("STOPPING=1");
}

void ServiceNotify::arm() {
  timer_.expires_after(*watchdog_ / 2);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    send("WATCHDOG=1");
    arm();
  });
}

}  // namespace vigil::daemon
