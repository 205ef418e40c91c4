// Dialer: the client side of making a link (the forwarder's and the simulator's).
#include "net/dialer.hpp"

#include "net_harness.hpp"

namespace vigil::net::testing {
namespace {

struct Outcome {
  std::optional<LinkError> error;
  std::string detail;
  std::unique_ptr<LinkSocket> socket;
  Dialer::OnDone callback() {
    return [this](LinkError e, const std::string& d, std::unique_ptr<LinkSocket> s) {
      error = e;
      detail = d;
      socket = std::move(s);
    };
  }
};

TEST(Dialer, ConnectsByNameAndByEndpoint) {
  asio::io_context io;
  int accepted = 0;
  Acceptor acceptor(io, [&](tcp::socket) { ++accepted; });
  const tcp::endpoint at = acceptor.listen(loopback_any());
  auto dialer = std::make_shared<Dialer>(io, nullptr, std::chrono::seconds(5));
  Outcome by_name;
  dialer->dial("127.0.0.1", at.port(), by_name.callback());
  ASSERT_TRUE(pump_until(io, [&] { return by_name.error.has_value(); }));
  EXPECT_EQ(*by_name.error, LinkError::None) << by_name.detail;
  ASSERT_TRUE(by_name.socket);
  EXPECT_TRUE(by_name.socket->tcp().is_open());
  Outcome by_endpoint;
  dialer->dial(at, by_endpoint.callback());
  ASSERT_TRUE(pump_until(io, [&] { return by_endpoint.error.has_value() && accepted == 2; }));
  EXPECT_EQ(*by_endpoint.error, LinkError::None) << by_endpoint.detail;
}

TEST(Dialer, NobodyListeningIsUnreachable) {
  asio::io_context io;
  tcp::endpoint closed_port;
  {
    Acceptor acceptor(io, [](tcp::socket) {});
    closed_port = acceptor.listen(loopback_any());
  }
  auto dialer = std::make_shared<Dialer>(io, nullptr);
  Outcome o;
  dialer->dial(closed_port, o.callback());
  ASSERT_TRUE(pump_until(io, [&] { return o.error.has_value(); }));
  EXPECT_EQ(*o.error, LinkError::Unreachable);
  EXPECT_EQ(o.detail.rfind("cannot connect: ", 0), 0u) << o.detail;
  EXPECT_FALSE(o.socket);
}

TEST(Dialer, CancelledAttemptNeverCallsBack) {
  asio::io_context io;
  Acceptor acceptor(io, [](tcp::socket) {});
  const tcp::endpoint at = acceptor.listen(loopback_any());
  auto dialer = std::make_shared<Dialer>(io, nullptr);
  Outcome o;
  dialer->dial(at, o.callback());
  dialer->cancel();
  pump_until(
      io, [] { return false; }, std::chrono::milliseconds(30));
  EXPECT_FALSE(o.error);
}

}  // namespace
}  // namespace vigil::net::testing
