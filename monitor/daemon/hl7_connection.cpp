#include "daemon/hl7_connection.hpp"

#include <boost/asio/write.hpp>
#include <spdlog/spdlog.h>

namespace vigil::daemon {

namespace asio = boost::asio;

namespace {

// One read buffer for every connection on this (the io) thread: a read is fed to the
// connection's deframer before any other handler runs, so nothing is left in it between
// reads. Per connection it was 16 KiB, more than half of vigild's memory per bed.
std::array<char, 16384>& shared_read_buffer() {
  static thread_local std::array<char, 16384> buffer;
  return buffer;
}

}  // namespace

Hl7Connection::Hl7Connection(asio::ip::tcp::socket socket, IngestPipeline& pipeline,
                             std::size_t max_frame_bytes, Hl7ConnectionStats& stats, MessageGate gate)
    : socket_(std::move(socket)), pipeline_(pipeline), stats_(stats), gate_(std::move(gate)), deframer_(max_frame_bytes),
      max_frame_bytes_(max_frame_bytes), frame_timer_(socket_.get_executor()) {
  boost::system::error_code ec;
  auto ep = socket_.remote_endpoint(ec);
  peer_ = ec ? std::string("unknown") : ep.address().to_string() + ":" + std::to_string(ep.port());
  socket_.set_option(asio::ip::tcp::no_delay(true), ec);
  socket_.set_option(asio::socket_base::keep_alive(true), ec);
  // read_some in on_readable must never block the io thread.
  socket_.non_blocking(true, ec);
}

void Hl7Connection::start() {
  ++stats_.connections;
  spdlog::info("hl7: monitor connected from {}", peer_);
  do_read();
}

void Hl7Connection::close() {
  if (closed_) return;
  closed_ = true;
  boost::system::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
  frame_timer_.cancel();
}

void Hl7Connection::do_read() {
  if (closed_ || reading_) return;
  if (slots_.size() >= kMaxInFlight) return;  // resumed by ack_ready
  reading_ = true;
  socket_.async_wait(asio::ip::tcp::socket::wait_read,
                     [self = shared_from_this()](const boost::system::error_code& ec) { self->on_readable(ec); });
}

void Hl7Connection::on_readable(const boost::system::error_code& wait_ec) {
  if (wait_ec || closed_) {
    on_read(wait_ec, {});
    return;
  }
  auto& buffer = shared_read_buffer();
  boost::system::error_code ec;
  const std::size_t n = socket_.read_some(asio::buffer(buffer), ec);
  if (ec == asio::error::would_block || ec == asio::error::try_again) {
    reading_ = false;  // a spurious wake-up: wait again
    do_read();
    return;
  }
  on_read(ec, std::string_view(buffer.data(), n));
}

void Hl7Connection::on_read(const boost::system::error_code& ec, std::string_view bytes) {
  reading_ = false;
  if (closed_) return;
  if (ec) {
    if (deframer_.in_frame()) {
      ++stats_.truncated_frames;
      spdlog::warn("hl7: {} closed the link in the middle of a message ({} bytes unacknowledged)",
                   peer_, deframer_.buffered());
    }
    finish(ec == asio::error::eof ? "monitor closed the connection" : ec.message());
    return;
  }
  // Each message is handed over as a view into the read buffer (no copy): the pipeline
  // parses it before returning and keeps only what it extracted.
  const bool was_in_frame = deframer_.in_frame();
  std::size_t delivered = 0;
  bool ok = deframer_.feed_each(bytes, [this, &delivered](std::string_view message) {
    ++delivered;
    std::uint64_t seq = first_seq_ + slots_.size();
    slots_.emplace_back();
    auto reply = [self = shared_from_this(), seq](std::string ack) { self->ack_ready(seq, std::move(ack)); };
    if (gate_ && !gate_()) {
      pipeline_.reject(message, "rate limit exceeded, resend later", IngestPipeline::kRateLimitedError, std::move(reply));
    } else {
      pipeline_.handle(message, std::move(reply));
    }
  });
  if (deframer_.junk_bytes() != junk_reported_) {
    stats_.junk_bytes += deframer_.junk_bytes() - junk_reported_;
    junk_reported_ = deframer_.junk_bytes();
  }
  if (!ok) {
    // A frame beyond the bound: we cannot find where the next message starts without
    // buffering without limit, so the link is closed; the monitor reconnects and resends.
    ++stats_.oversize_frames;
    spdlog::error("hl7: {} sent a message larger than the {}-byte limit; closing the link", peer_,
                  max_frame_bytes_);
    finish("oversize frame");
    return;
  }
  // A frame that began in this read (fresh, or after one that ended here) starts its clock.
  if (deframer_.in_frame() && (!was_in_frame || delivered > 0)) {
    frame_started_ = std::chrono::steady_clock::now();
    arm_frame_deadline();
  }
  do_read();
}

void Hl7Connection::arm_frame_deadline() {
  if (frame_timeout_.count() <= 0 || frame_timer_armed_ || closed_) return;
  frame_timer_armed_ = true;
  frame_timer_.expires_at(frame_started_ + frame_timeout_);
  frame_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    self->frame_timer_armed_ = false;
    if (ec || self->closed_ || !self->deframer_.in_frame()) return;
    if (self->slots_.size() >= kMaxInFlight) {
      // We stopped reading (waiting for the store), not the monitor: its clock restarts.
      self->frame_started_ = std::chrono::steady_clock::now();
      self->arm_frame_deadline();
      return;
    }
    if (std::chrono::steady_clock::now() < self->frame_started_ + self->frame_timeout_) {
      self->arm_frame_deadline();  // a later frame is in progress: its own deadline
      return;
    }
    ++self->stats_.frame_timeouts;
    spdlog::warn("hl7: {} started a message and did not finish it within {} s ({} bytes held); closing the link",
                 self->peer_, self->frame_timeout_.count() / 1000, self->deframer_.buffered());
    self->finish("unfinished frame");
  });
}

void Hl7Connection::ack_ready(std::uint64_t seq, std::string bytes) {
  if (closed_ || seq < first_seq_) return;
  Slot& slot = slots_[seq - first_seq_];
  slot.ready = true;
  slot.bytes = std::move(bytes);
  do_write();
}

void Hl7Connection::do_write() {
  if (closed_ || !writing_.empty()) return;
  while (!slots_.empty() && slots_.front().ready) {
    writing_.push_back(std::move(slots_.front().bytes));
    slots_.pop_front();
    ++first_seq_;
  }
  if (writing_.empty()) return;
  std::vector<asio::const_buffer> buffers;
  buffers.reserve(writing_.size());
  for (const auto& b : writing_) buffers.emplace_back(asio::buffer(b));
  asio::async_write(socket_, buffers,
                    [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                      self->writing_.clear();
                      if (ec) {
                        self->finish("write failed: " + ec.message());
                        return;
                      }
                      self->do_write();
                      self->do_read();
                    });
  do_read();
}

void Hl7Connection::finish(const std::string& why) {
  if (closed_) return;
  spdlog::info("hl7: link from {} closed: {}", peer_, why);
  close();
}

}  // namespace vigil::daemon
