#pragma once
// One stream client as StreamServer sees it, whatever carries its bytes: the native link
// (client_session.hpp: TCP or TLS, varint-delimited protobuf frames) or the web view's
// WebSocket (web/websocket_session.hpp: the same messages as protobuf JSON text). The policy
// (what a hello means, who gets what) lives in StreamServer; a peer only moves messages and
// reports what it heard.
//
// Threading: io thread only, like StreamServer. Lifetime: owned by StreamServer's table
// (shared_ptr) and by its own pending handlers; after close() no callback fires again.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

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
  HandshakeFailed,   // TLS (or WebSocket upgrade) handshake error
  HandshakeTimeout,  // handshake not done within the handshake deadline (slowloris)
};

// How a peer's messages are encoded on its wire.
enum class WireFormat { Framed, Json };

// An encoded message shared by every client it is queued for (encoded once per publish and
// wire format).
using SharedFrame = std::shared_ptr<const std::string>;

// `message` as `format` puts it on the wire: a varint-delimited frame, or one JSON text.
SharedFrame encode_for(WireFormat format, const proto::ServerMessage& message);

class StreamPeer {
 public:
  // What the owner hears from a peer. Each is called on the io thread.
  struct Callbacks {
    std::function<void(StreamPeer&, const proto::ClientMessage&)> on_message;
    std::function<void(StreamPeer&, CloseReason)> on_closed;
  };

  // What one client may make the daemon hold.
  struct Limits {
    std::size_t max_queue_bytes = 8u << 20;  // live events queued, not yet written
    // The connect-time snapshot queued on top of max_queue_bytes (see enqueue_snapshot).
    std::size_t max_snapshot_bytes = 4u << 20;
    // Largest message accepted before set_live(): an anonymous peer parks at most this much.
    std::size_t prelogin_frame_bytes = 4096;
    std::chrono::milliseconds link_timeout{3000};
    std::chrono::milliseconds handshake_timeout{5000};
  };

  virtual ~StreamPeer() = default;

  virtual WireFormat format() const = 0;
  // Starts the handshake (if any), reading and the silence deadline.
  virtual void start() = 0;
  // Queues a frame. Returns false (and closes the peer as SlowReader) when the queue bound
  // would be exceeded; false also once closed.
  virtual bool enqueue(SharedFrame frame) = 0;
  // Queues a frame of the connect-time snapshot: the bound grows by its size, up to
  // max_snapshot_bytes in all (the snapshot is as large as the ward, not a sign of a slow
  // reader); beyond that the client is dropped (SlowReader).
  virtual bool enqueue_snapshot(SharedFrame frame) = 0;
  // Writes what is queued, then closes (used after a refusing ServerHello).
  virtual void close_after_flush(CloseReason reason) = 0;
  // Sends `refusal` as soon as the link can carry it, without waiting for a hello, then
  // closes as Refused. Call before start().
  virtual void refuse_when_ready(SharedFrame refusal) = 0;
  // Closes now and reports `reason` once. Idempotent.
  virtual void close(CloseReason reason) = 0;
  // True once the owner accepted this client's hello; only then does it get live events.
  // Also lifts the inbound message bound from the pre-login size to the normal one.
  virtual void set_live() = 0;

  std::uint64_t id() const { return id_; }
  bool open() const { return open_; }
  bool live() const { return live_; }
  // The peer's address as "1.2.3.4" (for logs; never patient data).
  const std::string& peer_address() const { return peer_address_; }
  // The verified client certificate's common name ("" if none or not TLS).
  const std::string& peer_common_name() const { return peer_cn_; }
  // Why the handshake failed (set before close(HandshakeFailed)).
  const std::string& handshake_error() const { return handshake_error_; }

 protected:
  StreamPeer(std::uint64_t id, Callbacks callbacks) : id_(id), callbacks_(std::move(callbacks)) {}

  std::uint64_t id_;
  Callbacks callbacks_;
  std::string peer_address_;
  std::string peer_cn_;
  std::string handshake_error_;
  bool open_ = true;
  bool live_ = false;
};

}  // namespace vigil::stream
