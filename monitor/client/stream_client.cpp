#include "client/stream_client.hpp"

#include <array>
#include <atomic>
#include <deque>
#include <vector>

#include <google/protobuf/stubs/logging.h>

#include "common/wall_time.hpp"
#include "net/frame_codec.hpp"
#include "net/link_socket.hpp"
#include "stream/protocol_version.hpp"

namespace vigil::client {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {
// The client only sends hellos, heartbeats and rare nurse actions; more than this queued
// means the link is stuck, and the link timeout will say so.
constexpr std::size_t kMaxOutgoingBytes = 1 << 20;

bool is_loopback(const asio::ip::address& address) {
  if (address.is_v4()) return address.to_v4().is_loopback();
  const auto v6 = address.to_v6();
  return v6.is_loopback() ||
         (v6.is_v4_mapped() && asio::ip::make_address_v4(asio::ip::v4_mapped, v6).is_loopback());
}
}  // namespace

std::string_view to_string(LinkState state) {
  switch (state) {
    case LinkState::Connecting: return "connecting";
    case LinkState::Connected: return "connected";
    case LinkState::Lost: return "lost";
  }
  return "unknown";
}

class StreamClient::Impl : public std::enable_shared_from_this<Impl> {
 public:
  Impl(asio::io_context& io, Options options, Handlers handlers)
      : io_(io),
        resolver_(io),
        heartbeat_timer_(io),
        deadline_(io),
        reconnect_timer_(io),
        options_(std::move(options)),
        handlers_(std::move(handlers)) {
    if (options_.protocol_version == 0) options_.protocol_version = stream::kProtocolVersion;
    if (options_.security.tls) {
      try {
        tls_context_ = net::client_tls_context(options_.security);
      } catch (const std::exception& e) {
        setup_error_ = e.what();
      }
    }
  }

  asio::io_context& io() { return io_; }
  std::atomic<bool> connected{false};
  std::atomic<std::uint64_t> skipped{0};

  void start() {
    stopped_ = false;
    connect();
  }

  void stop() {
    stopped_ = true;
    end_connection();
    reconnect_timer_.cancel();
  }

  void send_frame(std::string frame) {
    if (stopped_ || !connected.load()) return;
    queue_frame(std::move(frame));
  }

 private:
  void report(LinkState state, net::LinkError error = net::LinkError::None, const std::string& detail = {}) {
    if (!stopped_ && handlers_.on_link) handlers_.on_link(state, error, detail);
  }

  void connect() {
    const std::uint64_t gen = ++generation_;
    decoder_ = net::FrameDecoder();
    if (!setup_error_.empty()) {
      report(LinkState::Lost, net::LinkError::TlsSetup, "TLS setup failed: " + setup_error_);
      return;
    }
    // A fresh socket per attempt (a TLS stream cannot be reused); the old one lives on in
    // the handlers still pending on it.
    socket_ = tls_context_ ? std::make_shared<net::LinkSocket>(tcp::socket(io_), *tls_context_)
                           : std::make_shared<net::LinkSocket>(tcp::socket(io_));
    report(LinkState::Connecting);
    resolver_.async_resolve(
        options_.host, std::to_string(options_.port),
        [self = shared_from_this(), gen](const boost::system::error_code& ec,
                                         tcp::resolver::results_type results) {
          if (gen != self->generation_ || self->stopped_) return;
          if (ec) return self->lose(net::LinkError::Unresolved, ec.message());
          asio::async_connect(
              self->socket_->tcp(), results,
              [self, gen, sock = self->socket_](const boost::system::error_code& ec, const tcp::endpoint&) {
                if (gen != self->generation_ || self->stopped_) return;
                if (ec) return self->lose(net::LinkError::Unreachable, ec.message());
                if (sock->tls()) return self->start_tls();
                self->on_connected();
              });
        });
  }

  void start_tls() {
    auto* tls = socket_->tls();
    const std::string& name =
        options_.security.server_name.empty() ? options_.host : options_.security.server_name;
    boost::system::error_code ec;
    asio::ip::make_address(name, ec);
    // SNI carries host names only, never addresses (RFC 6066).
    if (ec) SSL_set_tlsext_host_name(tls->native_handle(), name.c_str());
    tls->set_verify_mode(asio::ssl::verify_peer);
    tls->set_verify_callback(asio::ssl::host_name_verification(name));
    // The silence deadline covers the handshake too: a server that accepts and never
    // answers is a lost link, not a hang.
    last_rx_ = std::chrono::steady_clock::now();
    arm_deadline();
    tls->async_handshake(
        asio::ssl::stream_base::client,
        [self = shared_from_this(), gen = generation_, sock = socket_](const boost::system::error_code& ec) {
          if (gen != self->generation_ || self->stopped_) return;
          if (ec) {
            return self->lose(net::LinkError::TlsHandshake, "TLS handshake failed: " + ec.message() +
                                                                " (check --ca and --tls-server-name)");
          }
          self->on_connected();
        });
  }

  void on_connected() {
    boost::system::error_code ignored;
    socket_->tcp().set_option(tcp::no_delay(true), ignored);
    if (!options_.security.token.empty() && !socket_->tls()) {
      boost::system::error_code ec;
      const auto remote = socket_->tcp().remote_endpoint(ec);
      if (ec || !is_loopback(remote.address())) {
        end_connection();
        report(LinkState::Lost, net::LinkError::Insecure,
               "refused to send the token in clear text beyond loopback: use --tls");
        return;  // final: no reconnect
      }
    }
    last_rx_ = std::chrono::steady_clock::now();
    arm_deadline();
    arm_heartbeat();
    proto::ClientMessage hello;
    hello.mutable_hello()->set_protocol_version(options_.protocol_version);
    hello.mutable_hello()->set_client_name(options_.client_name);
    hello.mutable_hello()->set_user(options_.user);
    hello.mutable_hello()->set_alarm_display(options_.alarm_display);
    hello.mutable_hello()->set_on_call_tier(options_.on_call_tier);
    hello.mutable_hello()->set_on_call_label(options_.on_call_label);
    hello.mutable_hello()->set_token(options_.security.token);
    // Heartbeats and hello go out before the daemon accepted us; nurse actions wait for
    // `connected` (send_frame checks it), so write the hello directly.
    queue_frame(net::encode_frame(hello));
    read_some();
  }

  void read_some() {
    socket_->async_read_some(
        asio::buffer(read_buf_), [self = shared_from_this(), gen = generation_, sock = socket_](
                                     const boost::system::error_code& ec, std::size_t n) {
          if (gen != self->generation_ || self->stopped_) return;
          if (ec) {
            // A TLS peer that closes without close_notify reads as "stream truncated".
            const bool closed = ec == asio::error::eof || ec == asio::ssl::error::stream_truncated;
            // A TLS daemon drops a plain client before any hello: say what probably happened.
            const bool before_hello = !self->connected.load() && !sock->tls();
            return self->lose(
                closed ? net::LinkError::Closed : net::LinkError::Io,
                closed ? (before_hello ? "closed by server before its hello (does vigild need --tls?)"
                                       : "closed by server")
                       : ec.message());
          }
          self->on_bytes(std::string_view(self->read_buf_.data(), n));
        });
  }

  void on_bytes(std::string_view bytes) {
    last_rx_ = std::chrono::steady_clock::now();
    const std::uint64_t gen = generation_;
    frames_.clear();
    const bool ok = decoder_.feed(bytes, frames_);
    for (const std::string& payload : frames_) {
      proto::ServerMessage message;
      bool parsed = false;
      {
        // protobuf logs every string that is not UTF-8 on stderr by itself; a message that
        // does not decode is reported here, once per connection (skip_message).
        google::protobuf::LogSilencer quiet;
        parsed = message.ParseFromString(payload);
      }
      if (!parsed) {
        // Before the hello nothing says this is vigild at all; after it, one message is lost,
        // not the link.
        if (!connected.load()) return lose(net::LinkError::Protocol, "protocol error: unparsable message");
        skip_message(payload.size());
        continue;
      }
      handle(message);
      // A handler may have stopped us, or the hello may have been a refusal.
      if (gen != generation_ || stopped_) return;
    }
    if (!ok) return lose(net::LinkError::Protocol, "protocol error: bad frame");
    read_some();
  }

  void skip_message(std::size_t bytes) {
    const std::uint64_t total = skipped.fetch_add(1) + 1;
    if (skip_reported_ || !handlers_.on_skipped) return;
    skip_reported_ = true;
    handlers_.on_skipped("skipped a server message of " + std::to_string(bytes) +
                             " bytes that could not be decoded; the link stays up",
                         total);
  }

  void handle(const proto::ServerMessage& message) {
    switch (message.body_case()) {
      case proto::ServerMessage::kHeartbeat: return;  // arrival already refreshed last_rx_
      case proto::ServerMessage::kHello: {
        if (handlers_.on_hello) handlers_.on_hello(message.hello());
        if (stopped_) return;
        if (!message.hello().accepted()) {
          end_connection();
          report(LinkState::Lost, net::LinkError::Refused, "refused: " + message.hello().reason());
          return;  // a refusal is final: retrying would be refused again
        }
        connected.store(true);
        report(LinkState::Connected);
        return;
      }
      default:
        if (handlers_.on_message) handlers_.on_message(message);
        return;
    }
  }

  void queue_frame(std::string frame) {
    if (outgoing_bytes_ + frame.size() > kMaxOutgoingBytes) return;
    outgoing_bytes_ += frame.size();
    outgoing_.push_back(std::make_shared<const std::string>(std::move(frame)));
    if (outgoing_.size() == 1) write_front();
  }

  void write_front() {
    // The handler holds the buffer: end_connection() may clear the queue mid-write.
    auto frame = outgoing_.front();
    asio::async_write(*socket_, asio::buffer(*frame),
                      [self = shared_from_this(), gen = generation_, frame, sock = socket_](
                          const boost::system::error_code& ec, std::size_t) {
                        if (gen != self->generation_ || self->stopped_) return;
                        if (ec) return self->lose(net::LinkError::Io, ec.message());
                        self->outgoing_bytes_ -= frame->size();
                        self->outgoing_.pop_front();
                        if (!self->outgoing_.empty()) self->write_front();
                      });
  }

  void arm_heartbeat() {
    heartbeat_timer_.expires_after(options_.heartbeat_interval);
    heartbeat_timer_.async_wait(
        [self = shared_from_this(), gen = generation_](const boost::system::error_code& ec) {
          if (ec || gen != self->generation_ || self->stopped_) return;
          proto::ClientMessage beat;
          beat.mutable_heartbeat()->set_seq(++self->heartbeat_seq_);
          beat.mutable_heartbeat()->set_sent_at_ms(wall_now_ms());
          self->queue_frame(net::encode_frame(beat));
          self->arm_heartbeat();
        });
  }

  void arm_deadline() {
    // Re-armed only when it fires; reads just stamp last_rx_.
    deadline_.expires_at(last_rx_ + options_.link_timeout);
    deadline_.async_wait([self = shared_from_this(), gen = generation_](const boost::system::error_code& ec) {
      if (ec || gen != self->generation_ || self->stopped_) return;
      if (std::chrono::steady_clock::now() >= self->last_rx_ + self->options_.link_timeout) {
        self->lose(net::LinkError::Silent,
                   "no data from server for " + std::to_string(self->options_.link_timeout.count()) + " ms");
      } else {
        self->arm_deadline();
      }
    });
  }

  // Closes the current connection; every handler of it sees a stale generation and returns.
  void end_connection() {
    ++generation_;
    skip_reported_ = false;
    connected.store(false);
    resolver_.cancel();
    if (socket_) socket_->close();
    heartbeat_timer_.cancel();
    deadline_.cancel();
    outgoing_.clear();
    outgoing_bytes_ = 0;
  }

  void lose(net::LinkError error, const std::string& detail) {
    end_connection();
    report(LinkState::Lost, error, detail);
    if (stopped_ || !options_.reconnect) return;
    reconnect_timer_.expires_after(options_.reconnect_delay);
    reconnect_timer_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      if (ec || self->stopped_) return;
      self->connect();
    });
  }

  asio::io_context& io_;
  tcp::resolver resolver_;
  std::shared_ptr<asio::ssl::context> tls_context_;  // set when options_.security.tls
  std::string setup_error_;                          // why tls_context_ could not be made
  std::shared_ptr<net::LinkSocket> socket_;          // the current attempt's socket
  asio::steady_timer heartbeat_timer_;
  asio::steady_timer deadline_;
  asio::steady_timer reconnect_timer_;
  Options options_;
  Handlers handlers_;

  bool stopped_ = true;
  bool skip_reported_ = false;    // on_skipped called for this connection
  std::uint64_t generation_ = 0;  // bumps per connection attempt and on close
  net::FrameDecoder decoder_;
  std::array<char, 16 * 1024> read_buf_{};
  std::vector<std::string> frames_;
  std::chrono::steady_clock::time_point last_rx_;
  std::deque<std::shared_ptr<const std::string>> outgoing_;  // front is being written
  std::size_t outgoing_bytes_ = 0;
  std::uint64_t heartbeat_seq_ = 0;
};

StreamClient::StreamClient(asio::io_context& io, Options options, Handlers handlers)
    : impl_(std::make_shared<Impl>(io, std::move(options), std::move(handlers))) {}

StreamClient::~StreamClient() { impl_->stop(); }

void StreamClient::start() { impl_->start(); }

void StreamClient::stop() {
  asio::dispatch(impl_->io(), [impl = impl_] { impl->stop(); });
}

std::uint64_t StreamClient::skipped_messages() const { return impl_->skipped.load(); }

bool StreamClient::send(const proto::ClientMessage& message) {
  if (!impl_->connected.load()) return false;
  asio::dispatch(impl_->io(), [impl = impl_, frame = net::encode_frame(message)]() mutable {
    impl->send_frame(std::move(frame));
  });
  return true;
}

}  // namespace vigil::client
