#include "web/websocket_session.hpp"

#include "net/tls_context.hpp"
#include "stream/json_wire.hpp"

namespace vigil::web {

namespace asio = boost::asio;
namespace ws = boost::beast::websocket;
using stream::CloseReason;

namespace {

std::string remote_address_of(net::LinkSocket& socket) {
  boost::system::error_code ec;
  const auto remote = socket.tcp().remote_endpoint(ec);
  return ec ? std::string("unknown") : remote.address().to_string();
}

}  // namespace

WebSocketSession::WebSocketSession(net::LinkSocket socket, http::UpgradeRequest request, std::uint64_t id,
                                   const Limits& limits, Callbacks callbacks)
    : StreamPeer(id, std::move(callbacks)),
      ws_(std::move(socket)),
      request_(std::move(request)),
      deadline_(ws_.get_executor()),
      queue_(limits.max_queue_bytes, limits.max_snapshot_bytes),
      link_timeout_(limits.link_timeout),
      handshake_timeout_(limits.handshake_timeout) {
  peer_address_ = remote_address_of(ws_.next_layer());
  if (auto* tls = ws_.next_layer().tls()) peer_cn_ = net::verified_peer_common_name(tls->native_handle());
  // Until the hello is accepted the page is anonymous: it may park only a small message.
  ws_.read_message_max(limits.prelogin_frame_bytes);
  ws_.auto_fragment(false);
}

void WebSocketSession::start() {
  accepting_ = true;
  deadline_.expires_after(handshake_timeout_);
  deadline_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (ec || !self->open_ || !self->accepting_) return;
    self->close(CloseReason::HandshakeTimeout);
  });
  ws_.set_option(ws::stream_base::decorator(
      [](ws::response_type& response) { response.set(boost::beast::http::field::server, "vigild"); }));
  ws_.async_accept(request_,
                   [self = shared_from_this()](const boost::system::error_code& ec) { self->on_accept(ec); });
}

void WebSocketSession::on_accept(const boost::system::error_code& ec) {
  if (!open_) return;
  accepting_ = false;
  if (ec) {
    handshake_error_ = "WebSocket upgrade: " + ec.message();
    close(CloseReason::HandshakeFailed);
    return;
  }
  ws_.text(true);
  last_rx_ = std::chrono::steady_clock::now();
  arm_deadline();  // replaces the upgrade deadline (its wait completes as aborted)
  read_next();
  if (refusal_) {
    enqueue(std::move(refusal_));
    close_after_flush(CloseReason::Refused);
  }
}

void WebSocketSession::arm_deadline() {
  // As ClientSession: re-armed only when it fires; reads just stamp last_rx_.
  deadline_.expires_at(last_rx_ + link_timeout_);
  deadline_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (ec || !self->open_ || self->accepting_) return;
    if (std::chrono::steady_clock::now() >= self->last_rx_ + self->link_timeout_) {
      self->close(self->closing_ ? self->closing_reason_ : CloseReason::Timeout);
    } else {
      self->arm_deadline();
    }
  });
}

void WebSocketSession::read_next() {
  ws_.async_read(buffer_, [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
    self->on_read(ec);
  });
}

void WebSocketSession::on_read(const boost::system::error_code& ec) {
  if (!open_) return;
  if (ec == ws::error::message_too_big || ec == ws::error::buffer_overflow) {
    close(CloseReason::ProtocolError);
    return;
  }
  if (ec) {
    // Closed by the page (a close frame, a reset) or by us: the client is gone.
    close(closing_ ? closing_reason_ : CloseReason::PeerClosed);
    return;
  }
  last_rx_ = std::chrono::steady_clock::now();
  const auto data = buffer_.cdata();
  const std::string_view text(static_cast<const char*>(data.data()), data.size());
  proto::ClientMessage message;
  const bool parsed = ws_.got_text() && stream::parse_client_message_json(text, message);
  buffer_.consume(buffer_.size());
  if (closing_) {  // refused: ignore whatever it still says while the reply drains
    read_next();
    return;
  }
  if (!parsed) {
    close(CloseReason::ProtocolError);
    return;
  }
  if (callbacks_.on_message) callbacks_.on_message(*this, message);
  if (!open_) return;
  read_next();
}

bool WebSocketSession::enqueue(stream::SharedFrame frame) {
  if (!open_ || closing_) return false;
  if (!queue_.push(std::move(frame))) {
    close(CloseReason::SlowReader);  // a browser that does not read never holds the daemon back
    return false;
  }
  if (!writing_ && !accepting_) write_more();
  return true;
}

bool WebSocketSession::enqueue_snapshot(stream::SharedFrame frame) {
  if (!open_ || closing_) return false;
  if (!queue_.push_snapshot(std::move(frame))) {
    close(CloseReason::SlowReader);
    return false;
  }
  if (!writing_ && !accepting_) write_more();
  return true;
}

void WebSocketSession::write_more() {
  if (queue_.empty()) {
    if (closing_) {
      // A close frame after the last message, so the page reads the refusal before the end.
      writing_ = true;
      ws_.async_close(ws::close_code::normal, [self = shared_from_this()](const boost::system::error_code&) {
        self->close(self->closing_reason_);
      });
    }
    return;
  }
  writing_ = true;
  // The frame stays alive in queue_ until the write completes.
  ws_.async_write(asio::buffer(*queue_[0]),
                  [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                    if (!self->open_) return;
                    self->writing_ = false;
                    if (ec) {
                      self->close(CloseReason::PeerClosed);
                      return;
                    }
                    self->queue_.pop(1);
                    self->write_more();
                  });
}

void WebSocketSession::close_after_flush(CloseReason reason) {
  if (!open_ || closing_) return;
  closing_ = true;
  closing_reason_ = reason;
  if (!writing_ && !accepting_) write_more();
}

void WebSocketSession::refuse_when_ready(stream::SharedFrame refusal) { refusal_ = std::move(refusal); }

void WebSocketSession::set_live() {
  live_ = true;
  ws_.read_message_max(kLiveMessageBytes);
}

void WebSocketSession::close(CloseReason reason) {
  if (!open_) return;
  open_ = false;
  ws_.next_layer().close();
  deadline_.cancel();
  auto self = shared_from_this();  // the owner usually drops its reference in on_closed
  if (callbacks_.on_closed) callbacks_.on_closed(*this, reason);
}

}  // namespace vigil::web
