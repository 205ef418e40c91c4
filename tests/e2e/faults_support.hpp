#pragma once
// Shared by the fault-injection tests (faults_*_test.cpp): process memory, socket state and
// the "[fault] ..." report line docs/reliability.md quotes.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <random>
#include <set>
#include <thread>

#include "stream.pb.h"
#include "support/alert_lines.hpp"
#include "support/child_process.hpp"
#include "support/continuous_monitor.hpp"
#include "support/mllp_client.hpp"
#include "support/session_driver.hpp"
#include "support/vigild_fixture.hpp"

namespace vigil::test::faults {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// Far above a Debug vigild's working set (~10-30 MB) and far below what any of the abuses
// below would cost if a buffer grew with outside input.
constexpr long kRssBoundKb = 200 * 1024;

// VmRSS of a process in kB from /proc/PID/status; -1 if unreadable.
inline long vm_rss_kb(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

inline std::size_t count_of(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + what.size())) ++n;
  return n;
}

// Polls vigild's stderr (a file) until `what` occurs `times` times or the deadline passes.
inline bool wait_for_stderr(Vigild& vigild, const std::string& what, std::size_t times = 1,
                            std::chrono::milliseconds timeout = 30s) {
  const auto deadline = Clock::now() + timeout;
  while (count_of(vigild.process().stderr_text(), what) < times) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(20ms);  // polling a file; the deadline bounds it
  }
  return true;
}

// Waits until the good monitor has had `more` further messages answered.
inline bool wait_progress(const ContinuousMonitor& good, int more, std::chrono::milliseconds timeout = 30s) {
  const int target = good.sent() + more;
  const auto deadline = Clock::now() + timeout;
  while (good.sent() < target) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

// Bytes the kernel holds unread by vigild on its side of the connection from our local port
// `client_port` to `server_port` (rx_queue in /proc/net/tcp); -1 while the socket is not listed.
inline long server_unread_bytes(std::uint16_t server_port, std::uint16_t client_port) {
  std::ifstream in("/proc/net/tcp");
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    unsigned local = 0, remote = 0;
    unsigned long tx = 0, rx = 0;
    if (std::sscanf(line.c_str(), " %*d: %*x:%x %*x:%x %*x %lx:%lx", &local, &remote, &tx, &rx) == 4 &&
        local == server_port && remote == client_port)
      return static_cast<long>(rx);
  }
  return -1;
}

inline std::uint16_t local_port(int fd) {
  sockaddr_in addr{};
  socklen_t len = sizeof addr;
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  return ntohs(addr.sin_port);
}

// True while the peer has neither closed nor reset the connection (checked without waiting).
inline bool still_open(int fd) {
  pollfd p{fd, POLLIN, 0};
  if (::poll(&p, 1, 0) == 0) return true;
  char c;
  return ::recv(fd, &c, 1, MSG_PEEK | MSG_DONTWAIT) > 0;
}

inline void report(const std::string& scenario, long rss_before, long rss_after, const std::string& detail) {
  std::cout << "[fault] " << scenario << ": vigild VmRSS " << rss_before << " kB before, " << rss_after
            << " kB after; " << detail << std::endl;
}

// One vigild with a good monitor (chair GOOD) sending HR/SpO2 every 50 ms on its own link.
struct Scene {
  TempDir dir;
  Vigild vigild{dir.file("vigil.db")};
  ContinuousMonitor good{vigild, "GOOD"};
  long rss_before = vm_rss_kb(vigild.process().pid());

  // The good monitor is still served, memory is bounded, and the daemon is alive.
  void check_after(const std::string& scenario, const std::string& detail) {
    EXPECT_TRUE(wait_progress(good, 5)) << "good monitor stalled; vigild stderr tail:\n" << tail();
    const long rss_after = vm_rss_kb(vigild.process().pid());
    EXPECT_GT(rss_after, 0);
    EXPECT_LT(rss_after, kRssBoundKb) << scenario;
    EXPECT_EQ(good.stop(), "") << "the good monitor missed an AA during " << scenario;
    ASSERT_TRUE(vigild.process().running()) << tail();
    report(scenario, rss_before, rss_after, detail);
    EXPECT_EQ(vigild.stop(), 0);
  }
  std::string tail() {
    std::string err = vigild.process().stderr_text();
    return err.size() > 4000 ? err.substr(err.size() - 4000) : err;
  }
};

inline std::string hello_frame(const std::string& name) {
  proto::ClientMessage m;
  m.mutable_hello()->set_protocol_version(1);
  m.mutable_hello()->set_client_name(name);
  std::string body = m.SerializeAsString();
  return std::string(1, static_cast<char>(body.size())) + body;  // < 128 bytes: one varint byte
}

}  // namespace vigil::test::faults
