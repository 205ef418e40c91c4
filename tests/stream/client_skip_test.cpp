// StreamClient keeps its link when one server message does not decode: a server (an older
// vigild, say) that puts a Latin-1 bed name into a protobuf string sends a frame every
// protobuf parser refuses. Before, the client dropped the link on it and, with the bad name
// in the snapshot, every reconnect again: a screen blind to every later alarm.
#include "loopback_harness.hpp"

namespace vigil::stream::testing {
namespace {

std::vector<proto::BedState> no_beds() { return {}; }

// A reading frame the server sends as is; its bed is not UTF-8, so parsing it fails.
proto::ServerMessage latin1_reading() { return reading_message("FAUTEUIL-\xE9", 70); }

TEST(ClientSkip, OneUndecodableMessageIsSkippedCountedAndReportedOnce) {
  asio::io_context io;
  StreamServer server{io, StreamServer::Options{}, no_beds};
  const tcp::endpoint at = server.listen(loopback_any());

  std::vector<double> values;
  std::vector<std::string> lost, skipped;
  std::uint64_t skipped_total = 0;
  int snapshot_ends = 0;
  client::StreamClient::Handlers h;
  h.on_message = [&](const proto::ServerMessage& m) {
    if (m.has_reading()) values.push_back(m.reading().value());
    if (m.has_snapshot_end()) ++snapshot_ends;
  };
  h.on_link = [&](client::LinkState state, net::LinkError, const std::string& detail) {
    if (state == client::LinkState::Lost) lost.push_back(detail);
  };
  h.on_skipped = [&](const std::string& detail, std::uint64_t total) {
    skipped.push_back(detail);
    skipped_total = total;
  };
  client::StreamClient c(io, client_options(at), h);
  c.start();
  ASSERT_TRUE(pump_until(io, [&] { return snapshot_ends == 1; }));

  server.publish(reading_message("CHAIR1", 61));
  server.publish(latin1_reading());
  server.publish(reading_message("CHAIR1", 62));
  server.publish(latin1_reading());
  server.publish(reading_message("CHAIR1", 63));
  ASSERT_TRUE(pump_until(io, [&] { return values.size() == 3 || !lost.empty(); }));

  EXPECT_TRUE(lost.empty()) << lost.front();
  EXPECT_EQ(values, (std::vector<double>{61, 62, 63}));
  EXPECT_EQ(c.skipped_messages(), 2u);
  ASSERT_EQ(skipped.size(), 1u);  // said once per connection, not per message
  EXPECT_EQ(skipped_total, 1u);
  EXPECT_NE(skipped[0].find("could not be decoded"), std::string::npos) << skipped[0];
  c.stop();
  server.stop();
}

}  // namespace
}  // namespace vigil::stream::testing
