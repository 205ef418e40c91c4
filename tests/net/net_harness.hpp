#pragma once
// Loopback helpers for the net tests: one io_context in the test thread; waits pump it until a
// condition holds or a deadline passes (the deadline only guards against a hang).

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>

#include "net/acceptor.hpp"
#include "net/asio.hpp"

namespace vigil::net::testing {

namespace asio = boost::asio;
using asio::ip::tcp;

inline bool pump_until(asio::io_context& io, const std::function<bool()>& done,
                       std::chrono::milliseconds deadline = std::chrono::seconds(10)) {
  const auto end = std::chrono::steady_clock::now() + deadline;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= end) return false;
    io.restart();
    io.run_for(std::chrono::milliseconds(5));
  }
  return true;
}

inline tcp::endpoint loopback_any() { return {asio::ip::make_address("127.0.0.1"), 0}; }

// A connected pair of sockets on loopback: `client` dialled, `server` accepted.
struct SocketPair {
  explicit SocketPair(asio::io_context& io) : client(io) {
    Acceptor acceptor(io, [this](tcp::socket s) { server.emplace(std::move(s)); });
    const tcp::endpoint at = acceptor.listen(loopback_any());
    client.connect(at);
    EXPECT_TRUE(pump_until(io, [this] { return server.has_value(); }));
  }
  tcp::socket client;
  std::optional<tcp::socket> server;
};

}  // namespace vigil::net::testing
