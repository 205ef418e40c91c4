// MllpPeer: the socket loop of vigild's HL7 receiver, the forwarder and the simulator.
#include "net/mllp_peer.hpp"

#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>

#include <string>
#include <vector>

#include "net_harness.hpp"

namespace vigil::net::testing {
namespace {

struct Recorder {
  std::vector<std::string> messages;
  std::optional<LinkError> closed;
  std::string detail;
  MllpPeer::Handlers handlers() {
    MllpPeer::Handlers h;
    h.on_message = [this](std::string_view m) { messages.emplace_back(m); };
    h.on_closed = [this](LinkError e, const std::string& d) {
      closed = e;
      detail = d;
    };
    return h;
  }
};

std::shared_ptr<MllpPeer> make_peer(SocketPair& pair, Recorder& r, MllpPeer::Options options = {}) {
  auto peer = std::make_shared<MllpPeer>(LinkSocket(std::move(*pair.server)), options, r.handlers());
  peer->start();
  return peer;
}

void send_raw(tcp::socket& s, const std::string& bytes) { asio::write(s, asio::buffer(bytes)); }

TEST(MllpPeer, DeliversEachMessageHoweverTheBytesAreSplit) {
  asio::io_context io;
  SocketPair pair(io);
  Recorder r;
  auto peer = make_peer(pair, r);
  const std::string wire = hl7::mllp_wrap("MSH|1") + "junk" + hl7::mllp_wrap("MSH|2");
  send_raw(pair.client, wire.substr(0, 4));
  ASSERT_TRUE(pump_until(io, [&] { return peer->deframer().in_frame(); }));
  send_raw(pair.client, wire.substr(4));
  ASSERT_TRUE(pump_until(io, [&] { return r.messages.size() == 2; }));
  EXPECT_EQ(r.messages[0], "MSH|1");
  EXPECT_EQ(r.messages[1], "MSH|2");
  EXPECT_EQ(peer->deframer().junk_bytes(), 4u);
  EXPECT_FALSE(r.closed);
}

TEST(MllpPeer, WritesInOrderAndSaysWhenWritten) {
  asio::io_context io;
  SocketPair pair(io);
  Recorder r;
  auto peer = make_peer(pair, r);
  std::vector<int> written;
  peer->send("ACK|1");
  peer->write(hl7::mllp_wrap("ACK|2"), [&] { written.push_back(2); });
  peer->write(hl7::mllp_wrap("ACK|3"), [&] { written.push_back(3); });
  ASSERT_TRUE(pump_until(io, [&] { return written.size() == 2 && peer->pending_writes() == 0; }));
  EXPECT_EQ(written, (std::vector<int>{2, 3}));
  const std::string expected = hl7::mllp_wrap("ACK|1") + hl7::mllp_wrap("ACK|2") + hl7::mllp_wrap("ACK|3");
  std::string got(expected.size(), '\0');
  asio::read(pair.client, asio::buffer(got));
  EXPECT_EQ(got, expected);
}

TEST(MllpPeer, PeerClosingIsClosedAndOversizeIsAProtocolError) {
  asio::io_context io;
  {
    SocketPair pair(io);
    Recorder r;
    auto peer = make_peer(pair, r);
    pair.client.close();
    ASSERT_TRUE(pump_until(io, [&] { return r.closed.has_value(); }));
    EXPECT_EQ(*r.closed, LinkError::Closed);
    EXPECT_FALSE(peer->open());
  }
  {
    SocketPair pair(io);
    Recorder r;
    auto peer = make_peer(pair, r, {16, {}});
    send_raw(pair.client, hl7::mllp_wrap(std::string(17, 'x')));
    ASSERT_TRUE(pump_until(io, [&] { return r.closed.has_value(); }));
    EXPECT_EQ(*r.closed, LinkError::Protocol);
    EXPECT_TRUE(r.messages.empty());
  }
}

// With on_oversize, a frame over the bound is reported (head and size) once it ends and the
// link carries on: the owner can answer it.
TEST(MllpPeer, OversizeIsReportedAndTheLinkStaysUpWithAHandler) {
  asio::io_context io;
  SocketPair pair(io);
  Recorder r;
  std::vector<std::string> oversize;
  MllpPeer::Handlers handlers = r.handlers();
  handlers.on_oversize = [&](std::string_view head, std::size_t bytes) {
    oversize.push_back(std::to_string(bytes) + ":" + std::string(head));
  };
  auto peer = std::make_shared<MllpPeer>(LinkSocket(std::move(*pair.server)), MllpPeer::Options{1024, {}},
                                         std::move(handlers));
  peer->start();
  send_raw(pair.client, hl7::mllp_wrap(std::string(1024, 'x') + std::string(8 * 1024, 'y')));
  send_raw(pair.client, hl7::mllp_wrap("MSH|after"));
  ASSERT_TRUE(pump_until(io, [&] { return r.messages.size() == 1; }));
  EXPECT_EQ(r.messages[0], "MSH|after");
  EXPECT_EQ(oversize, (std::vector<std::string>{std::to_string(9 * 1024) + ":" + std::string(1024, 'x')}));
  EXPECT_FALSE(r.closed);
  EXPECT_TRUE(peer->open());
}

TEST(MllpPeer, AnUnfinishedFrameEndsTheLinkAsSilent) {
  asio::io_context io;
  SocketPair pair(io);
  Recorder r;
  auto peer = make_peer(pair, r, {1024, std::chrono::milliseconds(30)});
  send_raw(pair.client, "\x0bMSH|half");
  ASSERT_TRUE(pump_until(io, [&] { return r.closed.has_value(); }));
  EXPECT_EQ(*r.closed, LinkError::Silent);
}

TEST(MllpPeer, PausedItDeliversNothingUntilResumed) {
  asio::io_context io;
  SocketPair pair(io);
  Recorder r;
  auto peer = make_peer(pair, r);
  send_raw(pair.client, hl7::mllp_wrap("MSH|1"));
  ASSERT_TRUE(pump_until(io, [&] { return r.messages.size() == 1; }));
  peer->pause_reading();
  send_raw(pair.client, hl7::mllp_wrap("MSH|2"));
  // The read armed before the pause may still deliver; after it nothing more is read.
  pump_until(
      io, [&] { return r.messages.size() == 2; }, std::chrono::milliseconds(50));
  const std::size_t before = r.messages.size();
  send_raw(pair.client, hl7::mllp_wrap("MSH|3"));
  pump_until(
      io, [] { return false; }, std::chrono::milliseconds(50));
  EXPECT_EQ(r.messages.size(), before);
  peer->resume_reading();
  ASSERT_TRUE(pump_until(io, [&] { return r.messages.size() == 3; }));
  EXPECT_EQ(r.messages.back(), "MSH|3");
}

TEST(MllpPeer, CloseCallsNothingMore) {
  asio::io_context io;
  SocketPair pair(io);
  Recorder r;
  auto peer = make_peer(pair, r);
  peer->close();
  send_raw(pair.client, hl7::mllp_wrap("MSH|1"));
  pump_until(
      io, [] { return false; }, std::chrono::milliseconds(30));
  EXPECT_TRUE(r.messages.empty());
  EXPECT_FALSE(r.closed);
}

}  // namespace
}  // namespace vigil::net::testing
