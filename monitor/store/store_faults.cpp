#include "store/store_faults.hpp"

namespace vigil::store {

void StoreFaults::pause_writer() { paused_.store(true); }

void StoreFaults::resume_writer() {
  paused_.store(false);
  std::lock_guard lock(mu_);
  if (wake_) wake_();
}

void StoreFaults::set_read_only(bool read_only) { read_only_.store(read_only); }

void StoreFaults::attach(std::function<void()> wake) {
  std::lock_guard lock(mu_);
  wake_ = std::move(wake);
}

}  // namespace vigil::store
