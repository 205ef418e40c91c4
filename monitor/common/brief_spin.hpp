#pragma once
// Waiting for another thread by spinning instead of sleeping, when the wait is short.
//
// vigild's acknowledged write crosses two threads: the io thread hands a batch to the
// writer, the writer commits and hands the result back. Each hand-off to a sleeping thread
// is a futex or eventfd wake and a trip through the scheduler; on a virtual machine that is
// 15-30 us, and a lone monitor's round trip pays two of them besides the fsync. A thread
// that expects the other's answer within a few hundred microseconds spins for it instead.
//
// BriefSpin learns how long the waits really are (a moving average of the last ones) and
// spins only while they are shorter than its limit: a busy daemon (long group commits) or a
// quiet one (a message a second) sleeps as before, so the spin costs CPU only where it buys
// a shorter round trip. With one CPU the spinner would keep the CPU from the very thread it
// waits for, so the default limit is 0 (never spin) there.

#include <algorithm>
#include <chrono>
#include <thread>

namespace vigil {

class BriefSpin {
 public:
  using Clock = std::chrono::steady_clock;

  explicit BriefSpin(std::chrono::microseconds limit)
      : limit_(std::max(limit, std::chrono::microseconds(0))) {}

  // `on_multicore` where this machine has two CPUs or more, otherwise 0 (off).
  static std::chrono::microseconds default_limit(std::chrono::microseconds on_multicore) {
    return std::thread::hardware_concurrency() >= 2 ? on_multicore : std::chrono::microseconds(0);
  }

  std::chrono::microseconds limit() const { return limit_; }

  // Whether the waits seen lately were short enough to spin through.
  bool worth_it() const { return limit_.count() > 0 && typical_ < limit_; }

  // One wait's length, spun or slept: an average over about the last eight.
  void observed(Clock::duration waited) {
    typical_ += (std::max(waited, Clock::duration::zero()) - typical_) / 8;
  }

  // Spins until ready() or the limit; true if ready() held. `ready` may also do work (the io
  // thread polls its other sockets meanwhile), so nothing else waits for the spin.
  template <class Ready>
  bool spin(Ready&& ready) const {
    const auto until = Clock::now() + limit_;
    do {
      if (ready()) return true;
      pause();
    } while (Clock::now() < until);
    return ready();
  }

 private:
  static void pause() {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    asm volatile("yield");
#endif
  }

  std::chrono::microseconds limit_;
  Clock::duration typical_{};
};

}  // namespace vigil
