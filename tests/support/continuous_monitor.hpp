#pragma once
// A monitor that keeps sending HR and SpO2 for one chair (every `period`, real time) on its
// own MLLP connection until stopped: the steady data flow that keeps T1 quiet, so a test
// can make the device fall silent at a moment it chooses.
//
// Threading: one internal sending thread; stop() and sent() may be called from any thread.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "support/session_driver.hpp"

namespace vigil::test {

class ContinuousMonitor {
 public:
  /// Connects to `vigild` and starts sending for `bed` at once.
  ContinuousMonitor(const Vigild& vigild, const std::string& bed,
                    std::chrono::milliseconds period = std::chrono::milliseconds(50));
  ~ContinuousMonitor();  // stop()
  ContinuousMonitor(const ContinuousMonitor&) = delete;
  ContinuousMonitor& operator=(const ContinuousMonitor&) = delete;

  /// Stops sending (waits for the thread); returns the first send error, "" if none.
  std::string stop();
  /// Messages sent so far.
  int sent() const { return sent_; }

 private:
  void run();

  ChairDriver driver_;
  std::chrono::milliseconds period_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool quit_ = false;
  std::string error_;
  std::atomic<int> sent_{0};
  std::thread thread_;
};

}  // namespace vigil::test
