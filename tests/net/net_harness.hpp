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
#include "support/asio_pump.hpp"

namespace vigil::net::testing {

namespace asio = boost::asio;
using asio::ip::tcp;

using test::loopback_any;
using test::pump_until;

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
