#include "http/loop_lag.hpp"

#include <algorithm>

namespace vigil::http {

namespace {
std::int64_t steady_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}
}  // namespace

LoopLagProbe::LoopLagProbe(boost::asio::io_context& io, std::chrono::milliseconds period)
    : timer_(io), period_(period) {}

void LoopLagProbe::start() {
  running_ = true;
  arm();
}

void LoopLagProbe::stop() {
  running_ = false;
  due_ns_ = 0;
  timer_.cancel();
}

void LoopLagProbe::arm() {
  timer_.expires_after(period_);
  due_ns_ = std::chrono::duration_cast<std::chrono::nanoseconds>(timer_.expiry().time_since_epoch()).count();
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || !running_) return;
    const std::int64_t late_ms = std::max<std::int64_t>(0, (steady_ns() - due_ns_.load()) / 1'000'000);
    last_lag_ms_ = late_ms;
    if (late_ms > max_lag_ms_) max_lag_ms_ = late_ms;
    arm();
  });
}

std::int64_t LoopLagProbe::lag_ms() const {
  const std::int64_t due = due_ns_.load();
  const std::int64_t overdue_ms = due == 0 ? 0 : std::max<std::int64_t>(0, (steady_ns() - due) / 1'000'000);
  return std::max(last_lag_ms_.load(), overdue_ms);
}

}  // namespace vigil::http
