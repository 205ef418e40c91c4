#pragma once
// A simulated GE S/5 monitor on a pseudo-terminal, standing in for the RS-232 cable in
// tests. The code under test opens path(), a symlink to the pty slave: unplug() closes the
// master (the reader sees a hangup: EOF or EIO) and leaves the symlink dangling; replug()
// makes a new pty and re-points the same symlink, so a daemon retrying that path finds
// the "same" port again.
//
// Like a real monitor it stays quiet until it receives a start request (a PHDB request for
// displayed values with a non-zero interval), then sends a displayed-values record every
// period() (test-controlled, whatever interval was requested) until a stop request,
// set_sending(false) or unplug(). Records carry r_time = now and the settable physdata and
// nibp_time.
//
// Threading: one internal thread runs a poll() loop on the master; every public member may
// be called from any thread. The wait_* members block on a condition with a deadline.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "datex/s5_decoder.hpp"
#include "datex/s5_deframer.hpp"
#include "datex/s5_record.hpp"

namespace vigil::test {

class S5PtyMonitor {
 public:
  /// Opens a pty pair and creates `link_dir`/s5-monitor pointing at its slave.
  /// Throws std::runtime_error if the pty or the symlink cannot be made.
  explicit S5PtyMonitor(const std::string& link_dir,
                        std::chrono::milliseconds period = std::chrono::milliseconds(100));
  ~S5PtyMonitor();
  S5PtyMonitor(const S5PtyMonitor&) = delete;
  S5PtyMonitor& operator=(const S5PtyMonitor&) = delete;

  /// The symlink to give the code under test (stable across replug()).
  const std::string& path() const { return link_path_; }
  /// The current pty slave, e.g. /dev/pts/7 (changes on replug()).
  std::string slave_path() const;

  /// Values sent from the next record on.
  void set_physdata(const datex::BasicPhysdata& physdata);
  void set_nibp_time(std::optional<std::uint32_t> nibp_time);
  void set_period(std::chrono::milliseconds period);
  /// false: stop sending records (the port stays open; requests are still read).
  void set_sending(bool sending);
  /// Writes raw bytes to the line now (e.g. junk to test resynchronisation).
  void send_raw(const std::string& bytes);

  /// Closes the master: the far end sees a hangup. Streaming stops until a new request.
  void unplug();
  /// A new pty; the symlink is re-pointed atomically. Throws std::runtime_error on failure.
  void replug();

  /// Every request decoded so far, in arrival order.
  std::vector<datex::PhdbRequest> requests() const;
  /// Displayed-values records written so far.
  std::size_t records_sent() const;
  /// Waits until at least `n` requests have arrived; false at the deadline.
  bool wait_for_requests(std::size_t n, std::chrono::milliseconds timeout) const;
  /// Waits until at least `n` records have been written in total; false at the deadline.
  bool wait_for_records_sent(std::size_t n, std::chrono::milliseconds timeout) const;

  /// The usual patient of the codec tests: HR 72, BP 128/84 (99), SpO2 97.5 %, pulse 73,
  /// T1 36.6 degC, RR 14.
  static datex::BasicPhysdata typical_physdata();

 private:
  void open_pty();   // needs mu_ held
  void close_pty();  // needs mu_ held
  void point_link(const std::string& target);
  void run();
  void on_readable();
  void send_record_locked();
  void wake();

  std::string link_path_;
  mutable std::mutex mu_;
  mutable std::condition_variable changed_;
  int master_fd_ = -1;
  int slave_fd_ = -1;  // kept open so the master never sees "no reader" (EIO/POLLHUP)
  std::string slave_path_;
  int wake_fd_[2] = {-1, -1};
  bool quit_ = false;
  bool streaming_ = false;  // a start request arrived and no stop since
  bool sending_ = true;
  std::chrono::milliseconds period_;
  std::chrono::steady_clock::time_point next_send_{};
  datex::BasicPhysdata physdata_;
  std::optional<std::uint32_t> nibp_time_;
  std::vector<datex::PhdbRequest> requests_;
  std::size_t records_sent_ = 0;
  datex::S5Deframer deframer_;  // requests from the code under test
  std::thread thread_;
};

}  // namespace vigil::test
