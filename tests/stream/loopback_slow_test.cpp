// The server protects itself and its other clients: a client that stops reading is dropped
// at its queue bound, a client that stops talking is dropped at its link timeout.
#include "loopback_harness.hpp"

namespace vigil::stream::testing {
namespace {

TEST(LoopbackSlow, NonReadingClientIsDroppedWhileANormalClientGetsEverything) {
  asio::io_context io;
  StreamServer::Options options;
  options.max_queue_bytes = 256 * 1024;
  StreamServer server(io, options, [] { return std::vector<proto::BedState>{}; });
  const tcp::endpoint at = server.listen(loopback_any());

  RecordingClient normal(io, client_options(at));
  normal.client.start();
  // Connects, says hello, never reads: the kernel buffers fill, then the server's queue.
  RawPeer stuck(io, at, 4096);
  stuck.send_hello();
  ASSERT_TRUE(pump_until(io, [&] { return normal.snapshot_ends == 1 && server.stats().clients == 2; }));
  // Let the server process the stuck peer's hello (it is live once it got its snapshot).
  proto::ServerMessage probe = reading_message("PROBE", 0);
  server.publish(probe);
  ASSERT_TRUE(pump_until(io, [&] { return normal.readings == 1; }));

  int published = 1;
  ASSERT_TRUE(publish_until_slow_drop(io, server, normal, published));
  EXPECT_EQ(server.stats().dropped_slow, 1u);
  EXPECT_EQ(server.stats().clients, 1u);
  EXPECT_EQ(normal.lost, 0);
  // More after the drop still reach the normal client.
  server.publish(reading_message("AFTER", 1));
  ASSERT_TRUE(pump_until(io, [&] { return normal.readings == published + 1; }));
  EXPECT_EQ(normal.messages.back().reading().bed(), "AFTER");
}

TEST(LoopbackSlow, SilentClientIsClosedAtTheLinkTimeoutButAHeartbeatingOneStays) {
  asio::io_context io;
  StreamServer::Options options;
  options.heartbeat_interval = std::chrono::milliseconds(50);
  options.link_timeout = std::chrono::milliseconds(300);
  StreamServer server(io, options, [] { return std::vector<proto::BedState>{}; });
  const tcp::endpoint at = server.listen(loopback_any());

  auto client_opts = client_options(at);
  client_opts.heartbeat_interval = std::chrono::milliseconds(30);
  RecordingClient talker(io, client_opts);
  talker.client.start();
  RawPeer silent(io, at);
  silent.start_reading();
  silent.send_hello();
  ASSERT_TRUE(pump_until(io, [&] { return silent.closed; }));
  EXPECT_EQ(server.stats().dropped_timeout, 1u);
  // The silent peer got its hello and snapshot first; server heartbeats do not count as its own.
  ASSERT_EQ(silent.messages.size(), 3u);
  EXPECT_TRUE(silent.messages[0].has_hello());
  EXPECT_EQ(talker.connected, 1);
  EXPECT_EQ(talker.lost, 0);
  EXPECT_EQ(server.stats().clients, 1u);
}

TEST(LoopbackSlow, ServerSendsHeartbeatsToLiveClients) {
  asio::io_context io;
  StreamServer::Options options;
  options.heartbeat_interval = std::chrono::milliseconds(20);
  StreamServer server(io, options, [] { return std::vector<proto::BedState>{}; });
  const tcp::endpoint at = server.listen(loopback_any());
  RawPeer peer(io, at);
  peer.start_reading();
  peer.send_hello();
  ASSERT_TRUE(pump_until(io, [&] { return peer.heartbeats >= 3; }));
  EXPECT_FALSE(peer.closed);
}

TEST(LoopbackSlow, ClientThatNeverSaysHelloIsClosedAtTheLinkTimeout) {
  asio::io_context io;
  StreamServer::Options options;
  options.link_timeout = std::chrono::milliseconds(100);
  StreamServer server(io, options, [] { return std::vector<proto::BedState>{}; });
  const tcp::endpoint at = server.listen(loopback_any());
  RawPeer mute(io, at);
  mute.start_reading();
  ASSERT_TRUE(pump_until(io, [&] { return mute.closed; }));
  EXPECT_TRUE(mute.messages.empty());
  EXPECT_EQ(server.stats().dropped_timeout, 1u);
}

}  // namespace
}  // namespace vigil::stream::testing
