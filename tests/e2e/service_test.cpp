// vigild as a systemd service, without systemd: the test plays the service manager.
// - Type=notify: a datagram socket stands in for NOTIFY_SOCKET; vigild sends READY=1 once it
//   listens, then WATCHDOG=1 every half WATCHDOG_USEC from its io thread, STOPPING=1 at stop.
// - The journal: with JOURNAL_STREAM naming its stderr, every log line starts with its
//   syslog priority ("<2>critical ...") and carries no timestamp of its own.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <thread>

#include "support/child_process.hpp"
#include "support/session_driver.hpp"
#include "support/vigild_fixture.hpp"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

std::string scratch_dir(const std::string& what) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("vigil-" + what + "-" + std::to_string(::getpid()) + "-" +
                    std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
  std::filesystem::create_directories(dir);
  return dir.string();
}

// The service manager's end of NOTIFY_SOCKET.
class NotifySocket {
 public:
  explicit NotifySocket(std::string path) : path_(std::move(path)) {
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strncpy(addr.sun_path, path_.c_str(), sizeof(addr.sun_path) - 1);
    bound_ = fd_ >= 0 && ::bind(fd_, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~NotifySocket() {
    if (fd_ >= 0) ::close(fd_);
    ::unlink(path_.c_str());
  }
  bool bound() const { return bound_; }
  // The next datagram, or nullopt when none comes before the deadline.
  std::optional<std::string> next(std::chrono::milliseconds timeout) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(timeout.count())) != 1) return std::nullopt;
    char buffer[4096];
    const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
    if (n < 0) return std::nullopt;
    return std::string(buffer, static_cast<std::size_t>(n));
  }
  // Datagrams until one contains `text` (returned true) or the deadline passes.
  bool wait_for(const std::string& text, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
      auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      auto d = next(left);
      if (d && d->find(text) != std::string::npos) return true;
    }
    return false;
  }

 private:
  std::string path_;
  int fd_ = -1;
  bool bound_ = false;
};

TEST(ServiceE2E, NotifiesReadyThenFeedsTheWatchdogThenSaysStopping) {
  const std::string dir = scratch_dir("notify");
  NotifySocket manager(dir + "/notify.sock");
  ASSERT_TRUE(manager.bound());
  VigildOptions options = VigildOptions::on(dir + "/vigil.db");
  options.run_under = {"/usr/bin/env", "NOTIFY_SOCKET=" + dir + "/notify.sock", "WATCHDOG_USEC=200000"};
  Vigild vigild(options);  // returns once the listening line is read
  EXPECT_TRUE(manager.wait_for("READY=1", 10s));
  // Half the period: 100 ms. Three in a row show a timer, not a one-off.
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(manager.wait_for("WATCHDOG=1", 10s)) << i;
  EXPECT_EQ(vigild.stop(), 0);
  EXPECT_TRUE(manager.wait_for("STOPPING=1", 1s));
  std::filesystem::remove_all(dir);
}

TEST(ServiceE2E, WithoutNotifySocketNothingIsSentAndVigildRunsAsBefore) {
  const std::string dir = scratch_dir("plain");
  Vigild vigild(dir + "/vigil.db");
  EXPECT_EQ(vigild.stop(), 0);
  EXPECT_THAT(vigild.process().stderr_text(), ::testing::Not(HasSubstr("systemd")));
  std::filesystem::remove_all(dir);
}

TEST(ServiceE2E, InTheJournalEveryLineCarriesItsPriorityAndNoTimestamp) {
  const std::string dir = scratch_dir("journal");
  const std::string config = dir + "/vigild.conf";
  // A minimum above any disk: "LOW DISK SPACE" is logged at critical level at start.
  std::ofstream(config) << "db_min_free_mb: 1099511627776\n";
  VigildOptions options = VigildOptions::on(dir + "/vigil.db", {"--config", config});
  // What systemd does: JOURNAL_STREAM is stderr's "device:inode".
  options.run_under = {"/bin/sh", "-c",
                       "JOURNAL_STREAM=$(stat -L -c %d:%i /proc/self/fd/2) exec \"$0\" \"$@\""};
  Vigild vigild(options);
  EXPECT_EQ(vigild.stop(), 0);
  const std::string log = vigild.process().stderr_text();
  EXPECT_THAT(log, HasSubstr("<2>critical LOW DISK SPACE"));
  EXPECT_THAT(log, HasSubstr("<6>info vigild: stopped"));
  std::istringstream lines(log);
  for (std::string line; std::getline(lines, line);) {
    EXPECT_EQ(line.rfind('<', 0), 0u) << line;
    EXPECT_THAT(line, ::testing::Not(::testing::ContainsRegex("^<[0-7]>[0-9]{4}-"))) << line;
  }
  std::filesystem::remove_all(dir);
}

// The unit's ExecStopPost writes systemd's $SERVICE_RESULT where VIGIL_LAST_STOP_FILE says;
// after a watchdog kill the restarted vigild raises T8 "restart" on the chair whose session
// it restored, logs it at critical level, and removes the file so the next start is quiet.
TEST(ServiceE2E, AfterAWatchdogRestartEveryOpenSessionsChairGetsT8Restart) {
  const std::string dir = scratch_dir("restart");
  const std::string db = dir + "/vigil.db";
  const std::string stop_file = dir + "/last-stop";
  {
    Vigild first(db);
    ChairDriver chair(first, "CHAIR3");
    auto begin = chair.nurse({"session", "begin", "--patient", "PT-0046", "--planned-minutes", "40"});
    ASSERT_EQ(begin.exit_code, 0) << begin.err;
    ASSERT_TRUE(first.kill_hard().has_value());  // what the watchdog does
  }
  std::ofstream(stop_file) << "watchdog\n";
  VigildOptions options = VigildOptions::on(db);
  options.run_under = {"/usr/bin/env", "VIGIL_LAST_STOP_FILE=" + stop_file};
  {
    Vigild second(options);
    EXPECT_FALSE(std::filesystem::exists(stop_file));  // read once
    EXPECT_EQ(second.stop(), 0);
    EXPECT_THAT(second.process().stderr_text(), HasSubstr("critical vigild restarted by the watchdog"));
  }
  auto alerts = run_command({bin("vigilctl"), "alerts", "--db", db, "--format", "jsonl"}, 30s);
  ASSERT_EQ(alerts.exit_code, 0) << alerts.err;
  EXPECT_THAT(alerts.out, ::testing::ContainsRegex(
                              "\"bed\":\"CHAIR3\".*\"rule\":\"T8\".*vigild restarted by the watchdog"));
  // A clean stop written by the unit, or no file at all: no notice.
  std::ofstream(stop_file) << "success\n";
  {
    Vigild third(options);
    EXPECT_EQ(third.stop(), 0);
    EXPECT_THAT(third.process().stderr_text(), ::testing::Not(HasSubstr("vigild restarted")));
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace vigil::test
