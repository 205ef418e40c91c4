#include "daemon/hl7_connection.hpp"

#include <spdlog/spdlog.h>

namespace vigil::daemon {

namespace asio = boost::asio;

Hl7Connection::Hl7Connection(asio::ip::tcp::socket socket, Hl7Receiver& receiver, std::size_t max_frame_bytes,
                             std::chrono::milliseconds frame_timeout, Hl7ConnectionStats& stats,
                             MessageGate gate)
    : receiver_(receiver),
      stats_(stats),
      gate_(std::move(gate)),
      max_frame_bytes_(max_frame_bytes),
      frame_timeout_(frame_timeout),
      socket_(std::move(socket)) {
  boost::system::error_code ec;
  auto ep = socket_.remote_endpoint(ec);
  peer_name_ = ec ? std::string("unknown") : ep.address().to_string() + ":" + std::to_string(ep.port());
  socket_.set_option(asio::socket_base::keep_alive(true), ec);
}

void Hl7Connection::start() {
  ++stats_.connections;
  spdlog::info("hl7: monitor connected from {}", peer_name_);
  net::MllpPeer::Handlers handlers;
  // The peer's handlers hold us (nothing else does while we wait for a monitor); close()
  // drops the peer, which ends that cycle.
  auto self = shared_from_this();
  handlers.on_message = [self](std::string_view message) { self->on_message(message); };
  handlers.on_closed = [self](net::LinkError error, const std::string& detail) {
    self->on_closed(error, detail);
  };
  handlers.on_read = [self] { self->count_junk(); };
  handlers.on_oversize = [self](std::string_view head, std::size_t frame_bytes) {
    self->on_oversize(head, frame_bytes);
  };
  link_ = std::make_shared<net::MllpPeer>(net::LinkSocket(std::move(socket_)),
                                          net::MllpPeer::Options{max_frame_bytes_, frame_timeout_},
                                          std::move(handlers));
  link_->start();
}

void Hl7Connection::close() {
  if (closed_) return;
  closed_ = true;
  auto keep = shared_from_this();  // dropping the peer may drop the last other reference
  if (link_) {
    link_->close();
    link_.reset();
  } else {
    boost::system::error_code ignored;
    socket_.close(ignored);
  }
}

std::size_t Hl7Connection::in_flight() const { return slots_.size() + (link_ ? link_->pending_writes() : 0); }

Hl7ConnectionState Hl7Connection::state() const {
  const std::size_t waiting = in_flight();
  if (waiting == 0) return Hl7ConnectionState::Idle;
  return waiting >= kMaxInFlight ? Hl7ConnectionState::Paused : Hl7ConnectionState::Busy;
}

void Hl7Connection::pace_reading() {
  if (closed_ || !link_) return;
  if (in_flight() >= kMaxInFlight) {
    link_->pause_reading();  // resumed as ACKs are written
  } else {
    link_->resume_reading();
  }
}

Hl7Receiver::Reply Hl7Connection::next_reply() {
  std::uint64_t seq = first_seq_ + slots_.size();
  slots_.emplace_back();
  return [self = shared_from_this(), seq](std::string ack) { self->ack_ready(seq, std::move(ack)); };
}

void Hl7Connection::on_message(std::string_view message) {
  // The message is a view into the read buffer (no copy): the receiver parses it before
  // returning and keeps only what it extracted.
  auto reply = next_reply();
  if (gate_ && !gate_()) {
    receiver_.reject(message, "rate limit exceeded, resend later", Hl7Receiver::kRateLimitedError,
                     std::move(reply));
  } else {
    receiver_.handle(message, std::move(reply));
  }
  pace_reading();
}

void Hl7Connection::on_oversize(std::string_view head, std::size_t frame_bytes) {
  // The sender waits for an answer to what it sent: closing the link (as before) told it
  // nothing, and it sent the same message again after reconnecting.
  ++stats_.oversize_frames;
  spdlog::error("hl7: {} sent a message of {} bytes, larger than the {}-byte limit; answered AR, not stored",
                peer_name_, frame_bytes, max_frame_bytes_);
  receiver_.reject_oversize(head, frame_bytes, max_frame_bytes_, next_reply());
  pace_reading();
}

void Hl7Connection::count_junk() {
  if (!link_) return;
  const auto junk = link_->deframer().junk_bytes();
  if (junk != junk_reported_) {
    stats_.junk_bytes += junk - junk_reported_;
    junk_reported_ = junk;
  }
}

void Hl7Connection::on_closed(net::LinkError error, const std::string& detail) {
  count_junk();
  const hl7::MllpDeframer& deframer = link_->deframer();
  std::string why = detail;
  switch (error) {
    case net::LinkError::Protocol:
      // A frame beyond the bound that does not end: a stream without framing, not a message
      // to answer. Reading on for ever would only burn CPU, so the link is closed.
      ++stats_.oversize_frames;
      spdlog::error(
          "hl7: {} sent a message larger than the {}-byte limit and no end block within {} bytes; "
          "closing the link",
          peer_name_, max_frame_bytes_, max_frame_bytes_ * hl7::kOversizeSkipFactor);
      why = "oversize frame without an end";
      break;
    case net::LinkError::Silent:
      ++stats_.frame_timeouts;
      spdlog::warn(
          "hl7: {} started a message and did not finish it within {} s ({} bytes held); closing the link",
          peer_name_, frame_timeout_.count() / 1000, deframer.buffered());
      break;
    case net::LinkError::Closed:
    case net::LinkError::Io:
      if (deframer.in_frame()) {
        ++stats_.truncated_frames;
        spdlog::warn("hl7: {} closed the link in the middle of a message ({} bytes unacknowledged)",
                     peer_name_, deframer.buffered());
      }
      if (error == net::LinkError::Closed) why = "monitor closed the connection";
      break;
    default: break;
  }
  spdlog::info("hl7: link from {} closed: {}", peer_name_, why);
  close();
}

void Hl7Connection::ack_ready(std::uint64_t seq, std::string bytes) {
  if (closed_ || seq < first_seq_) return;
  Slot& slot = slots_[seq - first_seq_];
  slot.ready = true;
  slot.bytes = std::move(bytes);
  write_ready();
}

void Hl7Connection::write_ready() {
  // Replies leave in arrival order: the oldest not ready holds back the ones behind it.
  while (!closed_ && !slots_.empty() && slots_.front().ready) {
    std::string bytes = std::move(slots_.front().bytes);
    slots_.pop_front();
    ++first_seq_;
    // Nothing to write when the sender asked for no acknowledgment (MSH-15/16 NE).
    if (!bytes.empty()) link_->write(std::move(bytes), [self = shared_from_this()] { self->pace_reading(); });
  }
  pace_reading();
}

}  // namespace vigil::daemon
