#include "forward/link_watch.hpp"

namespace vigil::forward {

void LinkWatch::failed(Clock::time_point now, const std::string& why) {
  if (!failing_since_) failing_since_ = now;
  why_ = why;
}

void LinkWatch::delivered() {
  failing_since_.reset();
  why_.clear();
}

void LinkWatch::warn(Clock::time_point now, const std::string& why) {
  warned_at_ = now;
  warning_ = why;
}

LinkWatch::View LinkWatch::view(Clock::time_point now) const {
  View v;
  if (failing_since_ && now - *failing_since_ >= link_alert_) {
    // The limit, not the running time: the detail changes only when the cause does.
    v.down = true;
    v.down_detail = "nothing delivered for over " + std::to_string(link_alert_.count()) + " s: " + why_;
  }
  if (warned_at_ && now - *warned_at_ < warning_hold_) {
    v.warning = true;
    v.warning_detail = warning_;
  }
  return v;
}

}  // namespace vigil::forward
