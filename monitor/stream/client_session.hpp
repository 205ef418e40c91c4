#pragma once
// One connected native stream client (a StreamPeer, stream_peer.hpp) as the daemon sees it:
// runs the TLS handshake (when the socket is TLS) under its own deadline, reads and decodes
// its varint-delimited frames, keeps its bounded write queue, and enforces its silence
// deadline. The policy (what a hello means, who
// gets what) lives in StreamServer; a session only moves bytes and reports.
//
// Threading: everything runs on the daemon's single io_context thread, like StreamServer.
// Nothing here locks; no method may be called from another thread.
//
// Lifetime: owned by StreamServer's table (shared_ptr) and by its own pending handlers.
// After close() no callback fires again: late handlers see open() == false and return.

#include "net/asio.hpp"

#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "net/frame_codec.hpp"
#include "net/link_socket.hpp"
#include "stream/send_queue.hpp"
#include "stream/stream_peer.hpp"

namespace vigil::stream {

class ClientSession final : public StreamPeer, public std::enable_shared_from_this<ClientSession> {
 public:
  ClientSession(net::LinkSocket socket, std::uint64_t id, Limits limits, Callbacks callbacks);

  WireFormat format() const override { return WireFormat::Framed; }
  // TLS: starts the handshake under its deadline, then reading. Plain: starts reading and
  // the silence deadline.
  void start() override;

  // Queues a frame. Returns false (and closes the session as SlowReader) when the queue
  // bound would be exceeded; false also once closed.
  bool enqueue(SharedFrame frame) override;

  // Queues a frame of the connect-time snapshot. The queue bound grows by its size, up to
  // max_snapshot_bytes in all: the snapshot is as large as the daemon's own state (every
  // chair and its alerts), not a sign of a slow reader, and bounding it by the live-event
  // queue would lock every client out once there are enough chairs. Beyond the allowance the
  // client is dropped (SlowReader): what one client holds stays bounded.
  bool enqueue_snapshot(SharedFrame frame) override;

  // Writes what is queued, then closes (used after a refusing ServerHello).
  void close_after_flush(CloseReason reason) override;

  // Sends `refusal` as soon as the link can carry it (at once for plain TCP, after the TLS
  // handshake otherwise), without waiting for a hello, then closes as Refused. Call before
  // start().
  void refuse_when_ready(SharedFrame refusal) override;

  // Closes the socket now and reports `reason` once. Idempotent.
  void close(CloseReason reason) override;

  void set_live() override;

 private:
  void read_some();
  void on_read(const boost::system::error_code& ec, std::size_t n);
  void write_more();
  void arm_deadline();
  void on_handshake(const boost::system::error_code& ec);

  net::LinkSocket socket_;
  boost::asio::steady_timer deadline_;
  std::chrono::milliseconds link_timeout_;
  std::chrono::milliseconds handshake_timeout_;
  bool handshaking_ = false;  // the deadline is the handshake's, not the silence one
  SharedFrame refusal_;       // set: refuse as soon as the link is up

  net::FrameDecoder decoder_;
  std::array<char, 16 * 1024> read_buf_{};
  std::vector<std::string> frames_;  // scratch for decoded payloads
  std::chrono::steady_clock::time_point last_rx_;

  SendQueue queue_;  // front `in_flight_` entries are being written
  std::size_t in_flight_ = 0;
  bool closing_ = false;   // close once the queue drains
  bool draining_ = false;  // closing: our side is shut down, waiting for the peer to close
  CloseReason closing_reason_ = CloseReason::Stopped;
};

}  // namespace vigil::stream
