// Acceptor: one accept loop for the HL7 listener and the stream server; LinkError's finality.
#include <fcntl.h>

#include <vector>

#include "net/link_error.hpp"
#include "net_harness.hpp"

namespace vigil::net::testing {
namespace {

bool cloexec(int fd) { return (::fcntl(fd, F_GETFD) & FD_CLOEXEC) != 0; }

TEST(Acceptor, AcceptsEveryConnectionCloseOnExec) {
  asio::io_context io;
  std::vector<tcp::socket> accepted;
  Acceptor acceptor(io, [&](tcp::socket s) { accepted.push_back(std::move(s)); });
  const tcp::endpoint at = acceptor.listen(loopback_any());
  EXPECT_NE(at.port(), 0);
  tcp::socket a(io), b(io);
  a.connect(at);
  b.connect(at);
  ASSERT_TRUE(pump_until(io, [&] { return accepted.size() == 2; }));
  // A process vigild spawns must not inherit monitors' links.
  for (auto& s : accepted) EXPECT_TRUE(cloexec(s.native_handle()));
  EXPECT_EQ(acceptor.accept_errors(), 0u);
}

TEST(Acceptor, StopClosesThePortAndNothingIsAcceptedAfter) {
  asio::io_context io;
  int accepted = 0;
  Acceptor acceptor(io, [&](tcp::socket) { ++accepted; });
  const tcp::endpoint at = acceptor.listen(loopback_any());
  acceptor.stop();
  EXPECT_FALSE(acceptor.is_open());
  tcp::socket late(io);
  boost::system::error_code ec;
  late.connect(at, ec);
  EXPECT_TRUE(ec) << "the port is closed";
  io.restart();
  io.run_for(std::chrono::milliseconds(20));
  EXPECT_EQ(accepted, 0);
}

TEST(Acceptor, DestroyedWithAnAcceptPendingIsSafe) {
  asio::io_context io;
  int accepted = 0;
  {
    Acceptor acceptor(io, [&](tcp::socket) { ++accepted; });
    acceptor.listen(loopback_any());
  }
  // The pending accept completes aborted and must not reach the destroyed owner.
  io.restart();
  io.run_for(std::chrono::milliseconds(20));
  EXPECT_EQ(accepted, 0);
}

TEST(LinkError, OnlyWhatRetryingCannotFixIsFinal) {
  for (LinkError e : {LinkError::Refused, LinkError::TlsSetup, LinkError::Insecure}) {
    EXPECT_TRUE(is_final(e)) << to_string(e);
  }
  for (LinkError e : {LinkError::None, LinkError::Unresolved, LinkError::Unreachable, LinkError::Closed,
                      LinkError::Io, LinkError::Silent, LinkError::Protocol, LinkError::TlsHandshake}) {
    EXPECT_FALSE(is_final(e)) << to_string(e);
  }
  EXPECT_EQ(to_string(LinkError::Refused), "refused");
}

}  // namespace
}  // namespace vigil::net::testing
