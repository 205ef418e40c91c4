#include "support/s5_pty_monitor.hpp"

#include "devices/datex/s5_test_support.hpp"

#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <stdexcept>

#include "datex/s5_encoder.hpp"

namespace vigil::test {

namespace {

std::runtime_error sys_error(const std::string& what) {
  return std::runtime_error(what + ": " + std::strerror(errno));
}

void set_flags(int fd, int fd_flags, int status_flags) {
  if (fd_flags) ::fcntl(fd, F_SETFD, ::fcntl(fd, F_GETFD) | fd_flags);
  if (status_flags) ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | status_flags);
}

}  // namespace

datex::BasicPhysdata S5PtyMonitor::typical_physdata() {
  // The same patient the codec's own tests use, so both layers agree on what "typical" is.
  return datex::test::typical_physdata();
}

S5PtyMonitor::S5PtyMonitor(const std::string& link_dir, std::chrono::milliseconds period)
    : link_path_(link_dir + "/s5-monitor"), period_(period), physdata_(typical_physdata()) {
  if (::pipe2(wake_fd_, O_CLOEXEC | O_NONBLOCK) != 0) throw sys_error("pipe2");
  {
    std::lock_guard lock(mu_);
    open_pty();
  }
  point_link(slave_path_);
  thread_ = std::thread([this] { run(); });
}

S5PtyMonitor::~S5PtyMonitor() {
  {
    std::lock_guard lock(mu_);
    quit_ = true;
  }
  wake();
  thread_.join();
  close_pty();
  ::close(wake_fd_[0]);
  ::close(wake_fd_[1]);
  ::unlink(link_path_.c_str());
}

void S5PtyMonitor::open_pty() {
  // Raw from the start: a cooked slave would echo our own records back to us and turn
  // CR/LF bytes inside a record into something else before the reader sets raw mode.
  termios raw{};
  ::cfmakeraw(&raw);
  raw.c_cflag |= CREAD | CLOCAL;
  int master = -1, slave = -1;
  if (::openpty(&master, &slave, nullptr, &raw, nullptr) != 0) throw sys_error("openpty");
  // Children (vigild) must not inherit our ends, or unplug() could not hang the line up.
  set_flags(master, FD_CLOEXEC, O_NONBLOCK);
  set_flags(slave, FD_CLOEXEC, 0);
  char name[128] = {};
  if (::ptsname_r(master, name, sizeof name) != 0) {
    ::close(master);
    ::close(slave);
    throw sys_error("ptsname_r");
  }
  master_fd_ = master;
  slave_fd_ = slave;
  slave_path_ = name;
  deframer_.reset();
}

void S5PtyMonitor::close_pty() {
  if (master_fd_ >= 0) ::close(master_fd_);
  if (slave_fd_ >= 0) ::close(slave_fd_);
  master_fd_ = slave_fd_ = -1;
  streaming_ = false;
}

void S5PtyMonitor::point_link(const std::string& target) {
  // symlink + rename: the path always exists and names either the old or the new pty.
  const std::string tmp = link_path_ + ".new";
  ::unlink(tmp.c_str());
  if (::symlink(target.c_str(), tmp.c_str()) != 0) throw sys_error("symlink " + tmp);
  if (::rename(tmp.c_str(), link_path_.c_str()) != 0) throw sys_error("rename " + tmp);
}

std::string S5PtyMonitor::slave_path() const {
  std::lock_guard lock(mu_);
  return slave_path_;
}

void S5PtyMonitor::set_physdata(const datex::BasicPhysdata& physdata) {
  std::lock_guard lock(mu_);
  physdata_ = physdata;
}

void S5PtyMonitor::set_nibp_time(std::optional<std::uint32_t> nibp_time) {
  std::lock_guard lock(mu_);
  nibp_time_ = nibp_time;
}

void S5PtyMonitor::set_period(std::chrono::milliseconds period) {
  {
    std::lock_guard lock(mu_);
    period_ = period;
  }
  wake();
}

void S5PtyMonitor::set_sending(bool sending) {
  {
    std::lock_guard lock(mu_);
    sending_ = sending;
    next_send_ = std::chrono::steady_clock::now();
  }
  wake();
}

void S5PtyMonitor::send_raw(const std::string& bytes) {
  std::lock_guard lock(mu_);
  if (master_fd_ >= 0) (void)!::write(master_fd_, bytes.data(), bytes.size());
}

void S5PtyMonitor::unplug() {
  {
    std::lock_guard lock(mu_);
    close_pty();
  }
  wake();
}

void S5PtyMonitor::replug() {
  std::string target;
  {
    std::lock_guard lock(mu_);
    close_pty();
    open_pty();
    target = slave_path_;
  }
  point_link(target);
  wake();
}

std::vector<datex::PhdbRequest> S5PtyMonitor::requests() const {
  std::lock_guard lock(mu_);
  return requests_;
}

std::size_t S5PtyMonitor::records_sent() const {
  std::lock_guard lock(mu_);
  return records_sent_;
}

bool S5PtyMonitor::wait_for_requests(std::size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  return changed_.wait_for(lock, timeout, [&] { return requests_.size() >= n; });
}

bool S5PtyMonitor::wait_for_records_sent(std::size_t n, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mu_);
  return changed_.wait_for(lock, timeout, [&] { return records_sent_ >= n; });
}

void S5PtyMonitor::wake() {
  const char byte = 1;
  (void)!::write(wake_fd_[1], &byte, 1);
}

void S5PtyMonitor::run() {
  using clock = std::chrono::steady_clock;
  while (true) {
    pollfd fds[2] = {{wake_fd_[0], POLLIN, 0}, {-1, POLLIN, 0}};
    int timeout_ms = -1;
    {
      std::lock_guard lock(mu_);
      if (quit_) return;
      fds[1].fd = master_fd_;  // poll ignores a negative fd
      if (streaming_ && sending_ && master_fd_ >= 0) {
        auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next_send_ - clock::now());
        timeout_ms = static_cast<int>(std::max<std::int64_t>(0, wait.count()));
      }
    }
    const int ready = ::poll(fds, 2, timeout_ms);
    if (ready < 0 && errno != EINTR) return;
    if (fds[0].revents & POLLIN) {
      char drain[64];
      while (::read(wake_fd_[0], drain, sizeof drain) > 0) {
      }
    }
    std::lock_guard lock(mu_);
    if (quit_) return;
    // The fd may have been closed (unplug) or replaced (replug) while we polled; reading
    // the current master is right in both cases, and a non-blocking read just finds nothing.
    if (master_fd_ >= 0 && (fds[1].revents & POLLIN)) on_readable();
    if (streaming_ && sending_ && master_fd_ >= 0 && clock::now() >= next_send_) {
      send_record_locked();
      next_send_ = clock::now() + period_;
    }
  }
}

void S5PtyMonitor::on_readable() {
  char buffer[4096];
  const ssize_t n = ::read(master_fd_, buffer, sizeof buffer);
  if (n <= 0) return;
  std::vector<std::string> records;
  deframer_.feed(std::string_view(buffer, static_cast<std::size_t>(n)), records);
  for (const auto& record : records) {
    auto decoded = datex::decode_record(record);
    if (!decoded.ok() || !decoded.record.request) continue;
    const datex::PhdbRequest& request = *decoded.record.request;
    requests_.push_back(request);
    if (request.record_type == static_cast<std::uint8_t>(datex::PhdbRecordType::Displayed)) {
      streaming_ = request.interval_s != 0;
      next_send_ = std::chrono::steady_clock::now();  // a monitor answers at once
    }
    changed_.notify_all();
  }
}

void S5PtyMonitor::send_record_locked() {
  datex::DisplayedValuesReply reply;
  reply.header.r_time = static_cast<std::uint32_t>(std::time(nullptr));
  reply.basic = physdata_;
  reply.nibp_time = nibp_time_;
  const std::string frame = datex::encode_displayed_values(reply);
  // Non-blocking: if the reader does not drain the line the record is lost, as it would
  // be on a real line with CTS held off.
  const ssize_t n = ::write(master_fd_, frame.data(), frame.size());
  if (n == static_cast<ssize_t>(frame.size())) {
    ++records_sent_;
    changed_.notify_all();
  }
}

}  // namespace vigil::test
