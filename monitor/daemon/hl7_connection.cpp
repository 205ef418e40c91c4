#include "daemon/hl7_connection.hpp"

#include <boost/asio/write.hpp>
#include <spdlog/spdlog.h>

namespace vigil::daemon {

namespace asio = boost::asio;

Hl7Connection::Hl7Connection(asio::ip::tcp::socket socket, IngestPipeline& pipeline,
                             std::size_t max_frame_bytes, Hl7ConnectionStats& stats, MessageGate gate)
    : socket_(std::move(socket)), pipeline_(pipeline), stats_(stats), gate_(std::move(gate)), deframer_(max_frame_bytes),
      max_frame_bytes_(max_frame_bytes) {
  boost::system::error_code ec;
  auto ep = socket_.remote_endpoint(ec);
  peer_ = ec ? std::string("unknown") : ep.address().to_string() + ":" + std::to_string(ep.port());
  socket_.set_option(asio::ip::tcp::no_delay(true), ec);
  socket_.set_option(asio::socket_base::keep_alive(true), ec);
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
}

void Hl7Connection::do_read() {
  if (closed_ || reading_) return;
  if (slots_.size() >= kMaxInFlight) return;  // resumed by ack_ready
  reading_ = true;
  socket_.async_read_some(asio::buffer(read_buf_),
                          [self = shared_from_this()](const boost::system::error_code& ec,
                                                      std::size_t n) { self->on_read(ec, n); });
}

void Hl7Connection::on_read(const boost::system::error_code& ec, std::size_t n) {
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
  messages_.clear();
  bool ok = deframer_.feed(std::string_view(read_buf_.data(), n), messages_);
  if (deframer_.junk_bytes() != junk_reported_) {
    stats_.junk_bytes += deframer_.junk_bytes() - junk_reported_;
    junk_reported_ = deframer_.junk_bytes();
  }
  for (auto& message : messages_) {
    std::uint64_t seq = first_seq_ + slots_.size();
    slots_.emplace_back();
    auto reply = [self = shared_from_this(), seq](std::string ack) { self->ack_ready(seq, std::move(ack)); };
    if (gate_ && !gate_()) {
      pipeline_.reject(message, "rate limit exceeded, resend later", IngestPipeline::kRateLimitedError, std::move(reply));
    } else {
      pipeline_.handle(message, std::move(reply));
    }
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
  do_read();
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
