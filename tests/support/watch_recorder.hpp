#pragma once
// A `vigilctl watch` read on its own thread, keeping its alert and session lines. A watcher
// must be read all along: one that stops reading (its stdout pipe full) stops answering
// heartbeats too, and vigild rightly drops it. Header-only like alert_lines.hpp (tests that
// use it link vigil_common for the JSON line protos).

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "support/alert_lines.hpp"
#include "support/child_process.hpp"

namespace vigil::test {

class WatchRecorder {
 public:
  // `watch` is a running `vigilctl watch` that has printed its hello; it must outlive this.
  explicit WatchRecorder(ChildProcess& watch) : watch_(watch), thread_([this] { run(); }) {}
  ~WatchRecorder() {
    stop_ = true;
    thread_.join();
  }
  WatchRecorder(const WatchRecorder&) = delete;
  WatchRecorder& operator=(const WatchRecorder&) = delete;

  // Until an alert with log_id >= `log_id` arrived, the stream ended, or `timeout` passed.
  void wait_alert_log_id(std::uint64_t log_id, std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    changed_.wait_for(lock, timeout,
                      [&] { return ended_ || (!alerts_.empty() && alerts_.back().log_id() >= log_id); });
  }
  // The last session line that `match` accepts, waiting up to `timeout` for one.
  std::optional<proto::SessionLine> wait_session(const std::function<bool(const proto::SessionLine&)>& match,
                                                 std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    std::optional<proto::SessionLine> found;
    changed_.wait_for(lock, timeout, [&] {
      for (const auto& s : sessions_) {
        if (match(s)) found = s;
      }
      return found.has_value() || ended_;
    });
    return found;
  }
  // Until the watcher exited (its daemon died) with everything it printed read.
  bool wait_ended(std::chrono::milliseconds timeout) {
    std::unique_lock lock(mu_);
    return changed_.wait_for(lock, timeout, [&] { return ended_; });
  }
  std::vector<proto::AlertLine> alerts() const {
    std::lock_guard lock(mu_);
    return alerts_;
  }
  // Why the stream ended early: the last line that was neither an alert nor a session
  // (vigilctl's "link" line).
  std::string why() const {
    std::lock_guard lock(mu_);
    return "last other line: " + last_other_ + (ended_ ? " (watch ended)" : "");
  }

 private:
  void run() {
    using namespace std::chrono_literals;
    while (!stop_) {
      auto line = watch_.read_line(100ms);
      std::lock_guard lock(mu_);
      if (!line) {
        if (!watch_.running()) {
          ended_ = true;
          changed_.notify_all();
          return;
        }
        continue;
      }
      if (auto a = parse_alert_line(*line)) {
        alerts_.push_back(std::move(*a));
      } else if (auto s = parse_session_line(*line)) {
        sessions_.push_back(std::move(*s));
      } else {
        last_other_ = *line;
      }
      changed_.notify_all();
    }
  }

  ChildProcess& watch_;
  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::vector<proto::AlertLine> alerts_;
  std::vector<proto::SessionLine> sessions_;
  std::string last_other_;
  bool ended_ = false;
  std::atomic<bool> stop_{false};
  std::thread thread_;  // last: starts reading once everything above exists
};

}  // namespace vigil::test
