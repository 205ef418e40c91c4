#pragma once
// One connected stream client as the daemon sees it: runs the TLS handshake (when the
// socket is TLS) under its own deadline, reads and decodes its frames, keeps its bounded
// write queue, and enforces its silence deadline. The policy (what a hello means, who
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
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "net/frame_codec.hpp"
#include "net/link_socket.hpp"
#include "stream.pb.h"

namespace vigil::stream {

// Why a session ended; StreamServer counts these.
enum class CloseReason {
  PeerClosed,
  ProtocolError,
  SlowReader,
  Timeout,
  Refused,
  Stopped,
  HandshakeFailed,   // TLS handshake error (plaintext client, untrusted certificate, ...)
  HandshakeTimeout,  // TLS handshake not done within the handshake deadline (slowloris)
};

// A serialized frame shared by every client it is queued for (serialized once per publish).
using SharedFrame = std::shared_ptr<const std::string>;

class ClientSession : public std::enable_shared_from_this<ClientSession> {
 public:
  // What the owner hears from a session. Each is called on the io thread.
  struct Callbacks {
    std::function<void(ClientSession&, const proto::ClientMessage&)> on_message;
    std::function<void(ClientSession&, CloseReason)> on_closed;
  };

  // What one client may make the daemon hold.
  struct Limits {
    std::size_t max_queue_bytes = 8u << 20;  // live events queued, not yet written
    // The connect-time snapshot queued on top of max_queue_bytes (see enqueue_snapshot).
    std::size_t max_snapshot_bytes = 4u << 20;
    // Largest frame accepted before set_live(): an anonymous peer parks at most this much.
    std::size_t prelogin_frame_bytes = 4096;
    std::chrono::milliseconds link_timeout{3000};
    std::chrono::milliseconds handshake_timeout{5000};  // TLS only
  };

  ClientSession(net::LinkSocket socket, std::uint64_t id, Limits limits, Callbacks callbacks);

  // TLS: starts the handshake under its deadline, then reading. Plain: starts reading and
  // the silence deadline.
  void start();

  // Queues a frame. Returns false (and closes the session as SlowReader) when the queue
  // bound would be exceeded; false also once closed.
  bool enqueue(SharedFrame frame);

  // Queues a frame of the connect-time snapshot. The queue bound grows by its size, up to
  // max_snapshot_bytes in all: the snapshot is as large as the daemon's own state (every
  // chair and its alerts), not a sign of a slow reader, and bounding it by the live-event
  // queue would lock every client out once there are enough chairs. Beyond the allowance the
  // client is dropped (SlowReader): what one client holds stays bounded.
  bool enqueue_snapshot(SharedFrame frame);

  // Writes what is queued, then closes (used after a refusing ServerHello).
  void close_after_flush(CloseReason reason);

  // Sends `refusal` as soon as the link can carry it (at once for plain TCP, after the TLS
  // handshake otherwise), without waiting for a hello, then closes as Refused. Call before
  // start().
  void refuse_when_ready(SharedFrame refusal);

  // Closes the socket now and reports `reason` once. Idempotent.
  void close(CloseReason reason);

  std::uint64_t id() const { return id_; }
  bool open() const { return open_; }
  // True once the owner accepted this client's hello; only then does it get live events.
  bool live() const { return live_; }
  // Also lifts the frame bound from the pre-login size to the normal one.
  void set_live();
  // The peer's address as "1.2.3.4" (for logs; never patient data).
  const std::string& peer_address() const { return peer_address_; }
  // The verified client certificate's common name ("" if none or not TLS).
  const std::string& peer_common_name() const { return peer_cn_; }
  // Why the TLS handshake failed (set before close(HandshakeFailed)).
  const std::string& handshake_error() const { return handshake_error_; }

 private:
  void read_some();
  void on_read(const boost::system::error_code& ec, std::size_t n);
  void write_more();
  void arm_deadline();
  void on_handshake(const boost::system::error_code& ec);

  net::LinkSocket socket_;
  boost::asio::steady_timer deadline_;
  std::uint64_t id_;
  std::size_t max_queue_bytes_;
  std::size_t snapshot_allowance_;  // what enqueue_snapshot may still add to the bound
  std::chrono::milliseconds link_timeout_;
  std::chrono::milliseconds handshake_timeout_;
  Callbacks callbacks_;
  std::string peer_address_;
  std::string peer_cn_;
  std::string handshake_error_;
  bool handshaking_ = false;  // the deadline is the handshake's, not the silence one
  SharedFrame refusal_;       // set: refuse as soon as the link is up

  net::FrameDecoder decoder_;
  std::array<char, 16 * 1024> read_buf_{};
  std::vector<std::string> frames_;  // scratch for decoded payloads
  std::chrono::steady_clock::time_point last_rx_;

  std::deque<SharedFrame> queue_;  // front `in_flight_` entries are being written
  std::size_t in_flight_ = 0;
  std::size_t queued_bytes_ = 0;  // includes the frames in flight
  bool open_ = true;
  bool live_ = false;
  bool closing_ = false;   // close once the queue drains
  bool draining_ = false;  // closing: our side is shut down, waiting for the peer to close
  CloseReason closing_reason_ = CloseReason::Stopped;
};

}  // namespace vigil::stream
