#pragma once
// Helpers for in-process server+client tests over loopback. Everything runs on one
// io_context in the test thread; waits pump it until a condition holds or a deadline passes
// (the deadline only guards against a hang; no assertion depends on timing).

#include "net/asio.hpp"
#include "stream/protocol_version.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "client/stream_client.hpp"
#include "net/frame_codec.hpp"
#include "stream.pb.h"
#include "stream/stream_server.hpp"
#include "support/asio_pump.hpp"

namespace vigil::stream::testing {

namespace asio = boost::asio;
using asio::ip::tcp;

inline constexpr std::chrono::seconds kDeadline{10};

using test::loopback_any;
using test::pump_until;

inline proto::ServerMessage reading_message(const std::string& bed, double value,
                                            std::size_t source_bytes = 8) {
  proto::ServerMessage m;
  auto* r = m.mutable_reading();
  r->set_bed(bed);
  r->set_kind(proto::HR);
  r->set_value(value);
  r->set_unit("/min");
  r->set_measured_at_ms(1'795'256'100'000);
  r->set_source(std::string(source_bytes, 's'));
  return m;
}

// A hand-driven client socket: writes are synchronous (small, into kernel buffers), reads
// are asynchronous on the shared io_context so the server keeps running.
class RawPeer {
 public:
  RawPeer(asio::io_context& io, const tcp::endpoint& server, int rcvbuf = 0) : socket_(io) {
    socket_.open(tcp::v4());
    if (rcvbuf > 0) socket_.set_option(asio::socket_base::receive_buffer_size(rcvbuf));
    socket_.connect(server);
  }

  void send_bytes(const std::string& bytes) {
    boost::system::error_code ec;
    asio::write(socket_, asio::buffer(bytes), ec);
  }
  void send(const proto::ClientMessage& m) { send_bytes(net::encode_frame(m)); }
  void send_hello(std::uint32_t version = stream::kProtocolVersion) {
    proto::ClientMessage m;
    m.mutable_hello()->set_protocol_version(version);
    m.mutable_hello()->set_client_name("raw-test");
    send(m);
  }

  // Starts collecting messages until EOF/error.
  void start_reading() {
    socket_.async_read_some(asio::buffer(buf_), [this](const boost::system::error_code& ec, std::size_t n) {
      if (ec) {
        closed = true;
        return;
      }
      std::vector<std::string> frames;
      if (!decoder_.feed(std::string_view(buf_.data(), n), frames)) bad_frames = true;
      for (const auto& f : frames) {
        proto::ServerMessage m;
        if (!m.ParseFromString(f)) continue;
        if (m.has_heartbeat()) {
          ++heartbeats;  // kept out of `messages` so counts do not depend on timing
        } else {
          messages.push_back(m);
        }
      }
      start_reading();
    });
  }

  ~RawPeer() {
    boost::system::error_code ignored;
    socket_.close(ignored);
  }

  std::vector<proto::ServerMessage> messages;
  int heartbeats = 0;
  bool closed = false;
  bool bad_frames = false;

 private:
  tcp::socket socket_;
  net::FrameDecoder decoder_;
  std::array<char, 4096> buf_{};
};

// A StreamClient with its events recorded.
struct RecordingClient {
  RecordingClient(asio::io_context& io, client::StreamClient::Options options)
      : client(io, std::move(options), handlers()) {}

  client::StreamClient::Handlers handlers() {
    client::StreamClient::Handlers h;
    h.on_hello = [this](const proto::ServerHello& hello) { hellos.push_back(hello); };
    h.on_message = [this](const proto::ServerMessage& m) {
      messages.push_back(m);
      if (m.has_reading()) ++readings;
      if (m.has_snapshot_end()) ++snapshot_ends;
    };
    h.on_link = [this](client::LinkState state, net::LinkError, const std::string& detail) {
      links.emplace_back(state, detail);
      if (state == client::LinkState::Connected) ++connected;
      if (state == client::LinkState::Lost) ++lost;
    };
    return h;
  }

  std::vector<proto::ServerHello> hellos;
  std::vector<proto::ServerMessage> messages;
  std::vector<std::pair<client::LinkState, std::string>> links;
  int readings = 0, snapshot_ends = 0, connected = 0, lost = 0;
  client::StreamClient client;  // last: destroyed first, while the counters still exist
};

// Publishes 8 KiB readings, waiting for `normal` to receive each, until the server drops a
// slow client (or 4,000 frames: loopback kernel buffers hold a few MiB at most, so this
// bound is ample). `published` counts what `normal` has received so far and is updated.
inline ::testing::AssertionResult publish_until_slow_drop(asio::io_context& io, StreamServer& server,
                                                          RecordingClient& normal, int& published) {
  constexpr int kMaxMessages = 4000;
  while (server.stats().dropped_slow == 0 && published < kMaxMessages) {
    server.publish(reading_message("CHAIR1", published, 8 * 1024));
    ++published;
    // The normal client keeps up: wait for each message before the next.
    if (!pump_until(io, [&] { return normal.readings == published; }))
      return ::testing::AssertionFailure()
             << "the normal client stopped at reading " << normal.readings << " of " << published;
  }
  return ::testing::AssertionSuccess();
}

inline client::StreamClient::Options client_options(const tcp::endpoint& server) {
  client::StreamClient::Options o;
  o.host = "127.0.0.1";
  o.port = server.port();
  o.client_name = "test";
  o.user = "nurse";
  return o;
}

}  // namespace vigil::stream::testing
