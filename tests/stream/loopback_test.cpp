// StreamServer + StreamClient over loopback: handshake, snapshot, fan-out, refusals,
// protocol errors, link loss and reconnect.
#include "loopback_harness.hpp"
#include "stream/protocol_version.hpp"

namespace vigil::stream::testing {
namespace {

constexpr std::int64_t kNow = 1'795'256'160'000;  // 2026-11-21T10:16:00Z

StreamServer::Options pinned_options() {
  StreamServer::Options o;
  o.wall_now_ms = [] { return kNow; };
  o.daemon_version = "9.9.9-test";
  return o;
}

std::vector<proto::BedState> two_beds() {
  std::vector<proto::BedState> beds(2);
  beds[0].set_bed("CHAIR1");
  auto* r = beds[0].add_latest();
  r->set_bed("CHAIR1");
  r->set_kind(proto::NIBP_SYS);
  r->set_value(142);
  r->set_measured_at_ms(kNow - 60'000);
  r->set_received_at_ms(kNow - 60'000);
  beds[1].set_bed("CHAIR2");
  r = beds[1].add_latest();
  r->set_bed("CHAIR2");
  r->set_kind(proto::SPO2);
  r->set_value(97);
  r->set_measured_at_ms(kNow - 2'500);
  r->set_received_at_ms(kNow - 2'500);
  r->set_age_ms(1234);  // the daemon's own age is kept
  return beds;
}

class Loopback : public ::testing::Test {
 protected:
  asio::io_context io;
  // Where requests go; the server's handler is fixed at construction, so it forwards here.
  std::function<void(std::uint64_t, const StreamServer::ClientIdentity&)> requests;
  StreamServer::Handlers handlers() {
    StreamServer::Handlers h;
    h.request = [this](std::uint64_t id, const StreamServer::ClientIdentity& who,
                       const proto::ClientMessage&) {
      if (requests) requests(id, who);
    };
    return h;
  }
  StreamServer server{io, pinned_options(), two_beds, handlers()};
  tcp::endpoint at = server.listen(loopback_any());
};

TEST_F(Loopback, HandshakeThenSnapshotWithAges) {
  RecordingClient c(io, client_options(at));
  c.client.start();
  ASSERT_TRUE(pump_until(io, [&] { return c.snapshot_ends == 1; }));
  ASSERT_EQ(c.hellos.size(), 1u);
  EXPECT_TRUE(c.hellos[0].accepted());
  EXPECT_EQ(c.hellos[0].protocol_version(), stream::kProtocolVersion);
  EXPECT_EQ(c.hellos[0].daemon_version(), "9.9.9-test");
  EXPECT_EQ(c.hellos[0].server_time_ms(), kNow);
  ASSERT_EQ(c.connected, 1);
  ASSERT_EQ(c.messages.size(), 4u);  // begin, two beds, end
  ASSERT_TRUE(c.messages[0].has_snapshot_begin());
  EXPECT_EQ(c.messages[0].snapshot_begin().bed_count(), 2u);
  ASSERT_TRUE(c.messages[1].has_bed_state());
  EXPECT_EQ(c.messages[1].bed_state().bed(), "CHAIR1");
  EXPECT_EQ(c.messages[1].bed_state().latest(0).age_ms(), 60'000);
  ASSERT_TRUE(c.messages[2].has_bed_state());
  EXPECT_EQ(c.messages[2].bed_state().latest(0).age_ms(), 1234);
  EXPECT_TRUE(c.messages[3].has_snapshot_end());
  EXPECT_EQ(server.stats().accepted, 1u);
  EXPECT_EQ(server.stats().clients, 1u);
}

TEST_F(Loopback, PublishedReadingReachesTwoClients) {
  RecordingClient a(io, client_options(at));
  RecordingClient b(io, client_options(at));
  a.client.start();
  b.client.start();
  ASSERT_TRUE(pump_until(io, [&] { return a.snapshot_ends == 1 && b.snapshot_ends == 1; }));
  server.publish(reading_message("CHAIR3", 71));
  server.publish(reading_message("CHAIR4", 72));
  ASSERT_TRUE(pump_until(io, [&] { return a.readings == 2 && b.readings == 2; }));
  EXPECT_EQ(a.messages.back().reading().bed(), "CHAIR4");
  EXPECT_EQ(b.messages[b.messages.size() - 2].reading().value(), 71);
}

TEST_F(Loopback, RequestsReachTheHandlerAndRepliesGoToOneClient) {
  std::vector<std::uint64_t> from;
  requests = [&](std::uint64_t id, const StreamServer::ClientIdentity&) { from.push_back(id); };
  RawPeer raw(io, at);
  raw.send_hello();
  raw.start_reading();
  RecordingClient c(io, client_options(at));
  c.client.start();
  ASSERT_TRUE(pump_until(io, [&] { return c.snapshot_ends == 1 && raw.messages.size() == 5; }));
  // An empty ClientMessage stands in for a later nurse action: not a heartbeat, not a hello.
  proto::ClientMessage action;
  EXPECT_TRUE(c.client.send(action));
  ASSERT_TRUE(pump_until(io, [&] { return from.size() == 1; }));
  EXPECT_TRUE(server.send_to(from[0], reading_message("REPLY", 1)));
  ASSERT_TRUE(pump_until(io, [&] { return c.readings == 1; }));
  EXPECT_FALSE(server.send_to(999, reading_message("NOBODY", 1)));
  server.publish(reading_message("ALL", 2));
  ASSERT_TRUE(pump_until(io, [&] { return c.readings == 2 && raw.messages.size() == 6; }));
  EXPECT_EQ(raw.messages.back().reading().bed(), "ALL");  // the reply went to c only
}

TEST_F(Loopback, WrongProtocolVersionIsRefusedWithReason) {
  RawPeer raw(io, at);
  raw.start_reading();
  raw.send_hello(99);
  ASSERT_TRUE(pump_until(io, [&] { return raw.closed; }));
  ASSERT_EQ(raw.messages.size(), 1u);
  ASSERT_TRUE(raw.messages[0].has_hello());
  EXPECT_FALSE(raw.messages[0].hello().accepted());
  EXPECT_NE(raw.messages[0].hello().reason().find("99"), std::string::npos);
  EXPECT_EQ(server.stats().refused, 1u);

  auto options = client_options(at);
  options.protocol_version = 7;
  options.reconnect = true;  // a refusal is final even so
  RecordingClient c(io, options);
  c.client.start();
  ASSERT_TRUE(pump_until(io, [&] { return c.lost == 1; }));
  EXPECT_EQ(c.links.back().second.rfind("refused: ", 0), 0u) << c.links.back().second;
  EXPECT_EQ(c.connected, 0);
}

TEST_F(Loopback, GarbageClosesOnlyThatClient) {
  RecordingClient good(io, client_options(at));
  good.client.start();
  ASSERT_TRUE(pump_until(io, [&] { return good.snapshot_ends == 1; }));

  RawPeer garbage(io, at);
  garbage.start_reading();
  garbage.send_bytes(std::string(16, '\xff'));  // a varint that never ends
  RawPeer before_hello(io, at);
  before_hello.start_reading();
  proto::ClientMessage beat;
  beat.mutable_heartbeat()->set_seq(1);
  before_hello.send(beat);
  RawPeer unparsable(io, at);
  unparsable.start_reading();
  unparsable.send_bytes(std::string("\x03\xff\xff\xff", 4));
  RawPeer oversize(io, at);
  oversize.start_reading();
  oversize.send_bytes(std::string("\x81\x80\x40", 3));  // 1 MiB + 1
  ASSERT_TRUE(pump_until(
      io, [&] { return garbage.closed && before_hello.closed && unparsable.closed && oversize.closed; }));
  EXPECT_EQ(server.stats().protocol_errors, 4u);
  EXPECT_EQ(server.stats().clients, 1u);

  server.publish(reading_message("CHAIR1", 80));
  ASSERT_TRUE(pump_until(io, [&] { return good.readings == 1; }));
  EXPECT_EQ(good.lost, 0);
}

TEST_F(Loopback, StopClosesEveryClient) {
  RecordingClient a(io, client_options(at));
  RawPeer raw(io, at);
  raw.start_reading();
  raw.send_hello();
  a.client.start();
  ASSERT_TRUE(pump_until(io, [&] { return a.snapshot_ends == 1 && raw.messages.size() == 5; }));
  server.stop();
  ASSERT_TRUE(pump_until(io, [&] { return a.lost == 1 && raw.closed; }));
  EXPECT_EQ(server.stats().clients, 0u);
  boost::system::error_code ec;
  tcp::socket probe(io);
  probe.connect(at, ec);
  EXPECT_TRUE(ec) << "acceptor still open";
}

TEST(LoopbackClient, ReportsLinkLostWhenTheServerGoesSilent) {
  asio::io_context io;
  // A fake daemon: accepts, answers the hello, then says nothing more.
  tcp::acceptor acceptor(io, loopback_any());
  tcp::socket accepted(io);
  bool got_connection = false;
  acceptor.async_accept(accepted, [&](const boost::system::error_code& ec) {
    if (ec) return;
    got_connection = true;
    proto::ServerMessage hello;
    hello.mutable_hello()->set_accepted(true);
    hello.mutable_hello()->set_protocol_version(stream::kProtocolVersion);
    asio::write(accepted, asio::buffer(net::encode_frame(hello)));
  });
  auto options = client_options(acceptor.local_endpoint());
  options.heartbeat_interval = std::chrono::milliseconds(50);
  options.link_timeout = std::chrono::milliseconds(150);
  RecordingClient c(io, options);
  c.client.start();
  ASSERT_TRUE(pump_until(io, [&] { return c.lost == 1; }));
  EXPECT_TRUE(got_connection);
  EXPECT_EQ(c.connected, 1);
  EXPECT_NE(c.links.back().second.find("no data"), std::string::npos) << c.links.back().second;
}

TEST(LoopbackClient, UnreachableDaemonIsLostWithTheReason) {
  asio::io_context io;
  tcp::endpoint closed_port;
  {
    tcp::acceptor probe(io, loopback_any());  // grab a free port, then free it
    closed_port = probe.local_endpoint();
  }
  RecordingClient c(io, client_options(closed_port));
  c.client.start();
  ASSERT_TRUE(pump_until(io, [&] { return c.lost == 1; }));
  EXPECT_EQ(c.connected, 0);
  EXPECT_FALSE(c.links.back().second.empty());
}

TEST(LoopbackClient, ReconnectsAfterTheDaemonRestarts) {
  asio::io_context io;
  auto server = std::make_unique<StreamServer>(io, pinned_options(), two_beds);
  const tcp::endpoint at = server->listen(loopback_any());
  auto options = client_options(at);
  options.reconnect = true;
  options.reconnect_delay = std::chrono::milliseconds(20);
  RecordingClient c(io, options);
  c.client.start();
  ASSERT_TRUE(pump_until(io, [&] { return c.snapshot_ends == 1; }));
  server->stop();
  server.reset();
  ASSERT_TRUE(pump_until(io, [&] { return c.lost >= 2; }));  // lost, then failed retries
  EXPECT_EQ(c.connected, 1);
  server = std::make_unique<StreamServer>(io, pinned_options(), two_beds);
  server->listen(at);
  ASSERT_TRUE(pump_until(io, [&] { return c.connected == 2 && c.snapshot_ends == 2; }));
  server->publish(reading_message("CHAIR9", 60));
  ASSERT_TRUE(pump_until(io, [&] { return c.readings == 1; }));
  c.client.stop();
}

}  // namespace
}  // namespace vigil::stream::testing
