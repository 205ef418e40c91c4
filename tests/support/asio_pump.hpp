#pragma once
// In-process Asio tests run one io_context in the test thread: a wait pumps it until a
// condition holds or a deadline passes (the deadline only guards against a hang; no assertion
// depends on timing).

#include <chrono>
#include <functional>

#include "net/asio.hpp"

namespace vigil::test {

// Runs `io` until `done()` is true or `limit` passes; returns done().
inline bool pump_until(boost::asio::io_context& io, const std::function<bool()>& done,
                       std::chrono::milliseconds limit = std::chrono::seconds(10)) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= end) return false;
    io.restart();
    io.run_for(std::chrono::milliseconds(5));
  }
  return true;
}

// 127.0.0.1 on a port the kernel picks.
inline boost::asio::ip::tcp::endpoint loopback_any() {
  return {boost::asio::ip::make_address("127.0.0.1"), 0};
}

}  // namespace vigil::test
