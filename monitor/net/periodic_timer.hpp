#pragma once
// A callback on the io_context every `interval`, from start() until stop(): the services'
// engine ticks (alert rules, escalation). The next wait is armed after the callback returns,
// so a slow callback delays the next tick rather than piling ticks up.
//
// Threading: io thread only. Lifetime: the callback captures its owner; the owner calls
// stop() (or destroys the timer, which cancels it) before it goes. A wait cancelled by
// either ends with an error code and touches nothing.

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <functional>
#include <utility>

namespace vigil::net {

class PeriodicTimer {
 public:
  PeriodicTimer(boost::asio::io_context& io, std::chrono::steady_clock::duration interval,
                std::function<void()> tick)
      : timer_(io), interval_(interval), tick_(std::move(tick)) {}

  void start() {
    running_ = true;
    arm();
  }
  void stop() {
    running_ = false;
    timer_.cancel();
  }

 private:
  void arm() {
    if (!running_) return;
    timer_.expires_after(interval_);
    timer_.async_wait([this](const boost::system::error_code& ec) {
      if (ec || !running_) return;
      tick_();
      arm();
    });
  }

  boost::asio::steady_timer timer_;
  std::chrono::steady_clock::duration interval_;
  std::function<void()> tick_;
  bool running_ = false;
};

}  // namespace vigil::net
