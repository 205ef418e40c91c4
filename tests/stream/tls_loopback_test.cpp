// The stream over TLS, in process: the same framing, snapshot and queue rules as plain TCP
// (one code path, net/link_socket.hpp), plus logins through StreamServer::Handlers::admit and
// server certificate checks in the client. Certificates come from the openssl CLI.
#include <boost/asio/ssl.hpp>

#include <optional>

#include "loopback_harness.hpp"
#include "net/tls_context.hpp"
#include "stream/protocol_version.hpp"
#include "support/test_pki.hpp"

namespace vigil::stream::testing {
namespace {

using test::TempDir;
using test::TestPki;

struct TlsFixture : ::testing::Test {
  TempDir dir;
  TestPki pki{dir};
  asio::io_context io;

  StreamServer::Options server_options() {
    StreamServer::Options o;
    o.tls = net::server_tls_context({pki.server().cert, pki.server().key, ""});
    return o;
  }
  client::StreamClient::Options tls_client(const tcp::endpoint& at) {
    auto o = client_options(at);
    o.security.tls = true;
    o.security.ca_file = pki.ca_cert();
    return o;
  }
};

// Completes a TLS handshake, says hello, then never reads: the kernel buffers fill, then the
// server's queue for it.
class StuckTlsPeer {
 public:
  StuckTlsPeer(asio::io_context& io, const tcp::endpoint& at) : stream_(io, context_) {
    context_.set_verify_mode(asio::ssl::verify_none);
    stream_.next_layer().open(tcp::v4());
    stream_.next_layer().set_option(asio::socket_base::receive_buffer_size(4096));
    stream_.next_layer().connect(at);
    stream_.async_handshake(asio::ssl::stream_base::client, [this](const boost::system::error_code& ec) {
      if (ec) return;
      proto::ClientMessage hello;
      hello.mutable_hello()->set_protocol_version(stream::kProtocolVersion);
      frame_ = net::encode_frame(hello);
      asio::async_write(stream_, asio::buffer(frame_),
                        [this](const boost::system::error_code& e, std::size_t) { said_hello = !e; });
    });
  }
  bool said_hello = false;

 private:
  asio::ssl::context context_{asio::ssl::context::tls_client};
  asio::ssl::stream<tcp::socket> stream_;
  std::string frame_;
};

TEST_F(TlsFixture, ClientGetsHelloSnapshotAndEventsWithItsAuthenticatedIdentity) {
  StreamServer::Handlers handlers;
  // Who a client is travels with each of its requests (what the daemon's router reads).
  std::optional<StreamServer::ClientIdentity> asked_by;
  handlers.request = [&](std::uint64_t, const StreamServer::ClientIdentity& who,
                         const proto::ClientMessage&) { asked_by = who; };
  handlers.admit = [](const StreamServer::HelloFacts& facts) {
    StreamServer::Admission a;
    a.accepted = facts.hello.token() == "sesame";
    a.authenticated = true;
    a.user = "nina";
    a.role = "nurse";
    return a;
  };
  StreamServer server(
      io, server_options(),
      [] {
        proto::BedState bed;
        bed.set_bed("CHAIR1");
        return std::vector<proto::BedState>{bed};
      },
      handlers);
  const auto at = server.listen(loopback_any());
  auto options = tls_client(at);
  options.security.token = "sesame";
  RecordingClient client(io, options);
  client.client.start();
  ASSERT_TRUE(pump_until(io, [&] { return client.snapshot_ends == 1; }));
  ASSERT_EQ(client.hellos.size(), 1u);
  EXPECT_TRUE(client.hellos[0].accepted());
  EXPECT_EQ(client.hellos[0].user(), "nina");
  EXPECT_EQ(client.hellos[0].role(), "nurse");
  server.publish(reading_message("CHAIR1", 72));
  ASSERT_TRUE(pump_until(io, [&] { return client.readings == 1; }));
  ASSERT_TRUE(pump_until(io, [&] { return server.stats().clients == 1; }));
  proto::ClientMessage request;
  request.mutable_request()->set_request_id(1);
  request.mutable_request()->set_bed("CHAIR1");
  request.mutable_request()->mutable_start_infusion();
  ASSERT_TRUE(client.client.send(request));
  ASSERT_TRUE(pump_until(io, [&] { return asked_by.has_value(); }));
  EXPECT_EQ(asked_by->user, "nina");
  EXPECT_TRUE(asked_by->authenticated);

  // A wrong token: refused with the reason, final, counted.
  options.security.token = "open up";
  RecordingClient refused(io, options);
  refused.client.start();
  ASSERT_TRUE(pump_until(io, [&] { return refused.lost == 1; }));
  EXPECT_EQ(refused.links.back().second, "refused: authentication failed");
  EXPECT_EQ(server.stats().auth_refused, 1u);
  EXPECT_EQ(client.lost, 0);
}

TEST_F(TlsFixture, NonReadingTlsClientIsDroppedWhileANormalOneGetsEverything) {
  StreamServer::Options options = server_options();
  options.max_queue_bytes = 256 * 1024;
  // The stuck peer sends no heartbeats: on a loaded machine filling its queue can take longer
  // than the default silence timeout, which would close it for the wrong reason.
  options.link_timeout = std::chrono::seconds(120);
  StreamServer server(io, options, [] { return std::vector<proto::BedState>{}; });
  const auto at = server.listen(loopback_any());
  RecordingClient normal(io, tls_client(at));
  normal.client.start();
  StuckTlsPeer stuck(io, at);
  ASSERT_TRUE(pump_until(io, [&] { return normal.snapshot_ends == 1 && stuck.said_hello; }));
  server.publish(reading_message("PROBE", 0));
  ASSERT_TRUE(pump_until(io, [&] { return normal.readings == 1; }));
  int published = 1;
  ASSERT_TRUE(publish_until_slow_drop(io, server, normal, published));
  EXPECT_EQ(server.stats().dropped_slow, 1u);
  EXPECT_EQ(server.stats().clients, 1u);
  EXPECT_EQ(normal.lost, 0);
}

TEST_F(TlsFixture, ClientRefusesAServerWhoseCertificateDoesNotMatch) {
  StreamServer server(io, server_options(), [] { return std::vector<proto::BedState>{}; });
  const auto at = server.listen(loopback_any());
  auto options = tls_client(at);
  options.security.server_name = "some-other-host";  // the certificate says 127.0.0.1 / localhost
  options.security.token = "sesame";
  RecordingClient client(io, options);
  client.client.start();
  ASSERT_TRUE(pump_until(io, [&] { return client.lost >= 1; }));
  EXPECT_EQ(client.links.back().second.rfind("TLS handshake failed", 0), 0u) << client.links.back().second;
  EXPECT_TRUE(client.hellos.empty());
  ASSERT_TRUE(pump_until(io, [&] { return server.stats().tls_handshake_failures == 1; }));
  // By name instead of address: localhost is in the certificate.
  options.host = "localhost";
  options.security.server_name.clear();
  RecordingClient by_name(io, options);
  by_name.client.start();
  ASSERT_TRUE(pump_until(io, [&] { return by_name.snapshot_ends == 1; }));
}

TEST_F(TlsFixture, PlainClientAtATlsPortIsDroppedAsAHandshakeFailure) {
  StreamServer server(io, server_options(), [] { return std::vector<proto::BedState>{}; });
  const auto at = server.listen(loopback_any());
  RawPeer plain(io, at);
  plain.start_reading();
  plain.send_hello();
  ASSERT_TRUE(pump_until(io, [&] { return plain.closed; }));
  ASSERT_TRUE(pump_until(io, [&] { return server.stats().tls_handshake_failures == 1; }));
  EXPECT_TRUE(plain.messages.empty());
}

}  // namespace
}  // namespace vigil::stream::testing
