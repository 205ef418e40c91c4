#pragma once
// A web view client (a browser) as a stream peer: the stream protocol's messages as JSON
// text (stream/json_wire.hpp), one per WebSocket message, over the connection the HTTP
// server handed over after reading its upgrade request (TLS, when any, already done).
//
//   start ──► 101 Switching Protocols (within handshake_timeout) ──► read messages
//     each text message ──► one ClientMessage ──► StreamServer (hello, heartbeat, request)
//     a binary message, text that is not a ClientMessage, a message over the bound
//        (prelogin_frame_bytes before the hello is accepted, kLiveMessageBytes after)
//        ──► close (ProtocolError)
//     silent for link_timeout (the page sends a heartbeat every second) ──► close (Timeout)
//   writes: one queued message at a time, from a SendQueue with the stream's byte bound; a
//   browser that stops reading overflows it and is dropped (SlowReader), never waited for.
//
// Threading: io thread only, like StreamServer. Lifetime: StreamServer's table and its own
// pending handlers; after close() no callback fires again.

// clang-format off
#include <utility>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/stream.hpp>
// clang-format on

#include "http/http_routes.hpp"
#include "net/link_socket.hpp"
#include "stream/send_queue.hpp"
#include "stream/stream_peer.hpp"
#include "web/link_teardown.hpp"

namespace vigil::web {

class WebSocketSession final : public stream::StreamPeer,
                               public std::enable_shared_from_this<WebSocketSession> {
 public:
  // A logged-in page sends hellos, heartbeats and nurse requests: a few hundred bytes each.
  static constexpr std::size_t kLiveMessageBytes = 64 * 1024;

  WebSocketSession(net::LinkSocket socket, http::UpgradeRequest request, std::uint64_t id,
                   const Limits& limits, Callbacks callbacks);

  stream::WireFormat format() const override { return stream::WireFormat::Json; }
  void start() override;
  bool enqueue(stream::SharedFrame frame) override;
  bool enqueue_snapshot(stream::SharedFrame frame) override;
  void close_after_flush(stream::CloseReason reason) override;
  void refuse_when_ready(stream::SharedFrame refusal) override;
  void close(stream::CloseReason reason) override;
  void set_live() override;

 private:
  void on_accept(const boost::system::error_code& ec);
  void read_next();
  void on_read(const boost::system::error_code& ec);
  void write_more();
  void arm_deadline();

  boost::beast::websocket::stream<net::LinkSocket> ws_;
  http::UpgradeRequest request_;
  boost::asio::steady_timer deadline_;
  boost::beast::flat_buffer buffer_;
  stream::SendQueue queue_;
  std::chrono::milliseconds link_timeout_;
  std::chrono::milliseconds handshake_timeout_;
  std::chrono::steady_clock::time_point last_rx_;
  stream::SharedFrame refusal_;  // set: refuse as soon as the WebSocket is up
  bool accepting_ = false;       // the deadline is the upgrade's, not the silence one
  bool writing_ = false;
  bool closing_ = false;  // close once the queue drains
  stream::CloseReason closing_reason_ = stream::CloseReason::Stopped;
};

}  // namespace vigil::web
