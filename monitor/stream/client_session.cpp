#include "stream/client_session.hpp"

#include <algorithm>
#include <utility>

#include "net/tls_context.hpp"

namespace vigil::stream {

namespace {
// How many queued frames one gathered write may carry.
constexpr std::size_t kMaxGather = 64;
}  // namespace

ClientSession::ClientSession(net::LinkSocket socket, std::uint64_t id, Limits limits, Callbacks callbacks)
    : StreamPeer(id, std::move(callbacks)),
      socket_(std::move(socket)),
      deadline_(socket_.get_executor()),
      link_timeout_(limits.link_timeout),
      handshake_timeout_(limits.handshake_timeout),
      // Until the hello is accepted a peer is anonymous: it may park only a small frame (a
      // hello with a token is a few hundred bytes), not the normal 1 MiB.
      decoder_(std::min(limits.prelogin_frame_bytes, net::kMaxFrameBytes)),
      queue_(limits.max_queue_bytes, limits.max_snapshot_bytes) {
  boost::system::error_code ec;
  const auto remote = socket_.tcp().remote_endpoint(ec);
  peer_address_ = ec ? std::string("unknown") : remote.address().to_string();
}

void ClientSession::start() {
  if (socket_.tls() == nullptr) {
    last_rx_ = std::chrono::steady_clock::now();
    arm_deadline();
    read_some();
    if (refusal_) {
      enqueue(std::move(refusal_));
      close_after_flush(CloseReason::Refused);
    }
    return;
  }
  // The handshake has its own deadline: a peer that opens a connection and then says
  // nothing, or trickles a handshake byte by byte (slowloris), is dropped when it passes.
  handshaking_ = true;
  deadline_.expires_after(handshake_timeout_);
  deadline_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (ec || !self->open_ || !self->handshaking_) return;
    self->close(CloseReason::HandshakeTimeout);
  });
  socket_.tls()->async_handshake(
      boost::asio::ssl::stream_base::server,
      [self = shared_from_this()](const boost::system::error_code& ec) { self->on_handshake(ec); });
}

void ClientSession::on_handshake(const boost::system::error_code& ec) {
  if (!open_) return;
  handshaking_ = false;
  if (ec) {
    handshake_error_ = ec.message();
    close(CloseReason::HandshakeFailed);
    return;
  }
  peer_cn_ = net::verified_peer_common_name(socket_.tls()->native_handle());
  last_rx_ = std::chrono::steady_clock::now();
  arm_deadline();  // replaces the handshake deadline (its wait completes as aborted)
  read_some();
  if (refusal_) {
    enqueue(std::move(refusal_));
    close_after_flush(CloseReason::Refused);
  }
}

void ClientSession::refuse_when_ready(SharedFrame refusal) { refusal_ = std::move(refusal); }

void ClientSession::arm_deadline() {
  // One timer per session, re-armed only when it fires: reads just stamp last_rx_, so a busy
  // client costs no timer churn.
  deadline_.expires_at(last_rx_ + link_timeout_);
  deadline_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (ec || !self->open_ || self->handshaking_) return;
    if (std::chrono::steady_clock::now() >= self->last_rx_ + self->link_timeout_) {
      self->close(CloseReason::Timeout);
    } else {
      self->arm_deadline();
    }
  });
}

void ClientSession::read_some() {
  socket_.async_read_some(boost::asio::buffer(read_buf_),
                          [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
                            self->on_read(ec, n);
                          });
}

void ClientSession::on_read(const boost::system::error_code& ec, std::size_t n) {
  if (!open_) return;
  if (ec) {
    // EOF, reset or aborted: all mean this client is gone; nothing to retry server-side.
    close(closing_ ? closing_reason_ : CloseReason::PeerClosed);
    return;
  }
  last_rx_ = std::chrono::steady_clock::now();
  if (closing_) {  // refused: ignore whatever it still says while the reply drains
    read_some();
    return;
  }
  frames_.clear();
  const bool ok = decoder_.feed(std::string_view(read_buf_.data(), n), frames_);
  for (const std::string& payload : frames_) {
    proto::ClientMessage message;
    if (!message.ParseFromString(payload)) {
      close(CloseReason::ProtocolError);
      return;
    }
    if (callbacks_.on_message) callbacks_.on_message(*this, message);
    if (!open_) return;
    if (closing_) {  // refused: keep reading, to see the peer close once it has the reply
      read_some();
      return;
    }
  }
  if (!ok) {
    close(CloseReason::ProtocolError);
    return;
  }
  read_some();
}

bool ClientSession::enqueue(SharedFrame frame) {
  if (!open_ || closing_) return false;
  if (!queue_.push(std::move(frame))) {
    // A client that does not read must never hold back the daemon: drop it.
    close(CloseReason::SlowReader);
    return false;
  }
  if (in_flight_ == 0) write_more();
  return true;
}

bool ClientSession::enqueue_snapshot(SharedFrame frame) {
  if (!open_ || closing_) return false;
  if (!queue_.push_snapshot(std::move(frame))) {
    close(CloseReason::SlowReader);
    return false;
  }
  if (in_flight_ == 0) write_more();
  return true;
}

void ClientSession::set_live() {
  live_ = true;
  decoder_.set_max_frame_bytes(net::kMaxFrameBytes);
}

void ClientSession::write_more() {
  if (queue_.empty()) {
    if (closing_ && !draining_) {
      // Half-close and wait for the peer to go (or the link timeout): closing with its hello
      // still unread would send a reset that can destroy the reply before it is read.
      draining_ = true;
      boost::system::error_code ignored;
      socket_.tcp().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ignored);
    }
    return;
  }
  std::vector<boost::asio::const_buffer> buffers;
  in_flight_ = std::min(queue_.size(), kMaxGather);
  buffers.reserve(in_flight_);
  for (std::size_t i = 0; i < in_flight_; ++i) buffers.push_back(boost::asio::buffer(*queue_[i]));
  // The frames stay alive in queue_ until the write completes; only pointers are gathered.
  boost::asio::async_write(socket_, buffers,
                           [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                             if (!self->open_) return;
                             if (ec) {
                               self->close(CloseReason::PeerClosed);
                               return;
                             }
                             self->queue_.pop(self->in_flight_);
                             self->in_flight_ = 0;
                             self->write_more();
                           });
}

void ClientSession::close_after_flush(CloseReason reason) {
  if (!open_) return;
  closing_ = true;
  closing_reason_ = reason;
  if (in_flight_ == 0) write_more();
}

void ClientSession::close(CloseReason reason) {
  if (!open_) return;
  open_ = false;
  socket_.close();
  deadline_.cancel();
  // The owner usually drops its reference in on_closed; keep this alive until we return.
  // Handlers still pending see open_ == false and do nothing.
  auto self = shared_from_this();
  if (callbacks_.on_closed) callbacks_.on_closed(*this, reason);
}

}  // namespace vigil::stream
