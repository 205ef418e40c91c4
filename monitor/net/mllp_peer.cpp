#include "net/mllp_peer.hpp"

#include <boost/asio/write.hpp>

namespace vigil::net {

namespace asio = boost::asio;

namespace {

// One read buffer for every plain peer on this (an io) thread: a read is deframed before any
// other handler runs, so nothing is left in it between reads.
std::array<char, 16384>& shared_read_buffer() {
  static thread_local std::array<char, 16384> buffer;
  return buffer;
}

}  // namespace

MllpPeer::MllpPeer(LinkSocket socket, Options options, Handlers handlers)
    : socket_(std::move(socket)),
      options_(options),
      handlers_(std::move(handlers)),
      deframer_(options.max_frame_bytes),
      frame_timer_(socket_.get_executor()) {
  boost::system::error_code ec;
  socket_.tcp().set_option(asio::ip::tcp::no_delay(true), ec);
  if (socket_.tls()) {
    tls_buffer_ = std::make_unique<std::array<char, 4096>>();
  } else {
    // read_some after a readiness wait must never block the io thread.
    socket_.tcp().non_blocking(true, ec);
  }
}

void MllpPeer::start() {
  started_ = true;
  read_next();
}

void MllpPeer::pause_reading() { paused_ = true; }

void MllpPeer::resume_reading() {
  paused_ = false;
  read_next();
}

void MllpPeer::read_next() {
  if (closed_ || reading_ || paused_ || !started_) return;
  reading_ = true;
  if (tls_buffer_) {
    socket_.async_read_some(asio::buffer(*tls_buffer_),
                            [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
                              self->on_bytes(ec, std::string_view(self->tls_buffer_->data(), n));
                            });
    return;
  }
  socket_.tcp().async_wait(
      asio::ip::tcp::socket::wait_read,
      [self = shared_from_this()](const boost::system::error_code& ec) { self->on_readable(ec); });
}

void MllpPeer::on_readable(const boost::system::error_code& wait_ec) {
  if (wait_ec || closed_) {
    on_bytes(wait_ec, {});
    return;
  }
  auto& buffer = shared_read_buffer();
  boost::system::error_code ec;
  const std::size_t n = socket_.tcp().read_some(asio::buffer(buffer), ec);
  if (ec == asio::error::would_block || ec == asio::error::try_again) {
    reading_ = false;  // a spurious wake-up: wait again
    read_next();
    return;
  }
  on_bytes(ec, std::string_view(buffer.data(), n));
}

void MllpPeer::on_bytes(const boost::system::error_code& ec, std::string_view bytes) {
  reading_ = false;
  if (closed_) return;
  if (ec) {
    const bool eof = ec == asio::error::eof || ec == asio::ssl::error::stream_truncated;
    fail(eof ? LinkError::Closed : LinkError::Io,
         eof ? "closed by the peer" : "read failed: " + ec.message());
    return;
  }
  const bool was_in_frame = deframer_.in_frame();
  std::size_t delivered = 0;  // frames ended in this read, answered or not
  auto on_message = [this, &delivered](std::string_view message) {
    ++delivered;
    // A handler may have closed us; later messages of this read are not delivered.
    if (!closed_ && handlers_.on_message) handlers_.on_message(message);
  };
  auto on_oversize = [this, &delivered](std::string_view head, std::size_t frame_bytes) {
    ++delivered;
    if (!closed_) handlers_.on_oversize(head, frame_bytes);
  };
  const bool ok = handlers_.on_oversize ? deframer_.feed_each(bytes, on_message, on_oversize)
                                        : deframer_.feed_each(bytes, on_message);
  if (closed_) return;
  if (handlers_.on_read) handlers_.on_read();
  if (closed_) return;
  if (!ok) {
    // We cannot find where the next message starts without buffering without limit (or, when
    // skipping, without reading on for ever).
    fail(LinkError::Protocol, "message larger than " + std::to_string(options_.max_frame_bytes) + " bytes");
    return;
  }
  // A frame that began in this read (fresh, or after one that ended here) starts its clock.
  if (deframer_.in_frame() && (!was_in_frame || delivered > 0)) {
    frame_started_ = std::chrono::steady_clock::now();
    arm_frame_deadline();
  }
  read_next();
}

void MllpPeer::arm_frame_deadline() {
  if (options_.frame_timeout.count() <= 0 || frame_timer_armed_ || closed_) return;
  frame_timer_armed_ = true;
  frame_timer_.expires_at(frame_started_ + options_.frame_timeout);
  frame_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    self->frame_timer_armed_ = false;
    if (ec || self->closed_ || !self->deframer_.in_frame()) return;
    if (self->paused_) {
      // We stopped reading, not the sender: its clock restarts.
      self->frame_started_ = std::chrono::steady_clock::now();
      self->arm_frame_deadline();
      return;
    }
    if (std::chrono::steady_clock::now() < self->frame_started_ + self->options_.frame_timeout) {
      self->arm_frame_deadline();  // a later frame is in progress: its own deadline
      return;
    }
    self->fail(LinkError::Silent, "unfinished frame");
  });
}

void MllpPeer::write(std::string bytes, std::function<void()> on_written) {
  if (closed_) return;
  queued_.push_back({std::move(bytes), std::move(on_written)});
  write_next();
}

void MllpPeer::write_next() {
  if (closed_ || !writing_.empty() || queued_.empty()) return;
  writing_.swap(queued_);  // writing_ was empty: queued_ is empty now, in order
  std::vector<asio::const_buffer> buffers;
  buffers.reserve(writing_.size());
  for (const auto& w : writing_) buffers.emplace_back(asio::buffer(w.bytes));
  asio::async_write(socket_, buffers,
                    [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                      if (self->closed_) return;
                      if (ec) {
                        self->fail(LinkError::Io, "write failed: " + ec.message());
                        return;
                      }
                      auto done = std::move(self->writing_);
                      self->writing_.clear();
                      for (auto& w : done) {
                        if (self->closed_) return;
                        if (w.on_written) w.on_written();
                      }
                      self->write_next();
                    });
}

void MllpPeer::fail(LinkError error, const std::string& detail) {
  if (closed_) return;
  close();
  if (handlers_.on_closed) handlers_.on_closed(error, detail);
}

void MllpPeer::close() {
  if (closed_) return;
  closed_ = true;
  socket_.close();
  frame_timer_.cancel();
}

}  // namespace vigil::net
