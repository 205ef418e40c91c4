#include "support/continuous_monitor.hpp"

namespace vigil::test {

ContinuousMonitor::ContinuousMonitor(const Vigild& vigild, const std::string& bed,
                                     std::chrono::milliseconds period)
    : driver_(vigild, bed), period_(period) {
  thread_ = std::thread([this] { run(); });
}

ContinuousMonitor::~ContinuousMonitor() { stop(); }

std::string ContinuousMonitor::stop() {
  {
    std::lock_guard lock(mu_);
    quit_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  return error_;
}

void ContinuousMonitor::run() {
  std::unique_lock lock(mu_);
  while (!quit_) {
    lock.unlock();
    std::string e = driver_.vitals(78, 97);  // waits for the ACK
    lock.lock();
    if (!e.empty() && error_.empty()) error_ = e;
    ++sent_;
    // The monitor's send period (pacing, not waiting for a result).
    cv_.wait_for(lock, period_, [this] { return quit_; });
  }
}

}  // namespace vigil::test
