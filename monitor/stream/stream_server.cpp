#include "stream/stream_server.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>

#include "common/wall_time.hpp"
#include "net/acceptor.hpp"
#include "net/frame_codec.hpp"
#include "net/link_socket.hpp"
#include "stream/client_session.hpp"
#include "stream/protocol_version.hpp"

namespace vigil::stream {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {
// Security log lines per minute: a scanner hammering the port must not flood the log (the
// counters still count everything).
constexpr int kSecurityLogLinesPerMinute = 20;
// Connections over max_clients still being refused (TLS handshake, reply in flight); beyond
// this many more they are closed without a word, so a flood cannot grow the table either.
constexpr std::size_t kMaxRefusing = 64;
}  // namespace

class StreamServer::Impl : public std::enable_shared_from_this<Impl> {
 public:
  Impl(asio::io_context& io, Options options, SnapshotFn snapshot)
      : heartbeat_timer_(io),
        options_(std::move(options)),
        snapshot_(std::move(snapshot)),
        acceptor_(
            io,
            [this](tcp::socket socket) {
              if (!stopped_) add_session(std::move(socket));
            },
            [this](const boost::system::error_code&) { ++stats_.accept_errors; }) {
    if (!options_.wall_now_ms) options_.wall_now_ms = [] { return vigil::wall_now_ms(); };
  }

  tcp::endpoint listen(const tcp::endpoint& at) {
    const tcp::endpoint bound = acceptor_.listen(at);
    stopped_ = false;
    arm_heartbeat();
    return bound;
  }

  void publish(const proto::ServerMessage& message) {
    // Serialized only when someone will read it: with no live client (a headless daemon,
    // every screen closed) each reading would otherwise cost an encode and a free for nothing.
    const bool anyone = std::any_of(sessions_.begin(), sessions_.end(),
                                    [](const auto& entry) { return entry.second->live(); });
    if (!anyone) return;
    // Encoded once per wire format in use, shared by every client of that format.
    SharedFrame frames[2];
    // A session that overflows closes and erases itself from sessions_ inside enqueue();
    // std::map only invalidates that entry, and `it` has already moved past it.
    for (auto it = sessions_.begin(); it != sessions_.end();) {
      auto session = it->second;
      ++it;
      if (!session->live()) continue;
      SharedFrame& frame = frames[session->format() == WireFormat::Json ? 1 : 0];
      if (!frame) frame = encode_for(session->format(), message);
      session->enqueue(frame);
    }
  }

  bool send_to(std::uint64_t id, const proto::ServerMessage& message) {
    auto it = sessions_.find(id);
    if (it == sessions_.end() || !it->second->live()) return false;
    auto session = it->second;
    return session->enqueue(encode_for(session->format(), message));
  }

  void stop() {
    stopped_ = true;
    acceptor_.stop();
    heartbeat_timer_.cancel();
    auto sessions = std::move(sessions_);
    sessions_.clear();
    for (auto& [id, session] : sessions) session->close(CloseReason::Stopped);
  }

  Stats stats() const {
    Stats s = stats_;
    s.clients = sessions_.size();
    return s;
  }

  Handlers handlers_;
  struct ClientInfo {
    ClientIdentity identity;
    bool alarm_display = false;
  };
  std::unordered_map<std::uint64_t, ClientInfo> clients_;  // hello facts of live clients

 private:
  void add_session(tcp::socket tcp_socket) {
    boost::system::error_code ignored;
    tcp_socket.set_option(tcp::no_delay(true), ignored);
    net::LinkSocket socket = options_.tls ? net::LinkSocket(std::move(tcp_socket), *options_.tls)
                                          : net::LinkSocket(std::move(tcp_socket));
    const std::string from = socket.tcp().remote_endpoint(ignored).address().to_string();
    if (full_beyond_refusing(from)) {
      socket.close();
      return;
    }
    adopt([&socket](std::uint64_t id, const StreamPeer::Limits& limits, StreamPeer::Callbacks callbacks) {
      return std::make_shared<ClientSession>(std::move(socket), id, limits, std::move(callbacks));
    });
  }

 public:
  // Every client, whatever its transport, enters here: the cap, the table, the start.
  void adopt(const PeerFactory& make) {
    const std::uint64_t id = ++next_id_;
    StreamPeer::Callbacks callbacks;
    std::weak_ptr<Impl> weak = weak_from_this();
    callbacks.on_message = [weak](StreamPeer& s, const proto::ClientMessage& m) {
      if (auto self = weak.lock()) self->on_message(s, m);
    };
    callbacks.on_closed = [weak](StreamPeer& s, CloseReason reason) {
      if (auto self = weak.lock()) self->on_closed(s, reason);
    };
    StreamPeer::Limits limits;
    limits.max_queue_bytes = options_.max_queue_bytes;
    limits.max_snapshot_bytes = options_.max_snapshot_bytes;
    limits.prelogin_frame_bytes = options_.prelogin_frame_bytes;
    limits.link_timeout = options_.link_timeout;
    limits.handshake_timeout = options_.handshake_timeout;
    std::shared_ptr<StreamPeer> session = make(id, limits, std::move(callbacks));
    if (!session) return;
    const std::size_t cap = options_.max_clients;
    if (cap != 0 && sessions_.size() >= cap)
      session->refuse_when_ready(encode_for(session->format(), refusal_message(cap)));
    sessions_.emplace(id, session);
    ++stats_.accepted;
    session->start();
  }

  // Over max_clients: counted and logged; true when even the refusing slots are taken (the
  // caller closes without a word, so a flood cannot grow the table either).
  bool full_beyond_refusing(const std::string& from) {
    const std::size_t cap = options_.max_clients;
    if (cap == 0 || sessions_.size() < cap) return false;
    ++stats_.refused_full;
    security_log("stream: refused a connection from " + from +
                 ": too many stream clients (max_stream_clients " + std::to_string(cap) + ")");
    return sessions_.size() >= cap + kMaxRefusing;
  }

  bool stopped() const { return stopped_; }

 private:
  void on_message(StreamPeer& session, const proto::ClientMessage& message) {
    if (!session.live()) {
      if (message.body_case() != proto::ClientMessage::kHello) {
        session.close(CloseReason::ProtocolError);  // anything before the hello
        return;
      }
      handshake(session, message.hello());
      return;
    }
    switch (message.body_case()) {
      case proto::ClientMessage::kHeartbeat: {
        // Its arrival already refreshed the session's deadline.
        auto it = clients_.find(session.id());
        if (it != clients_.end() && it->second.alarm_display && handlers_.display_heartbeat)
          handlers_.display_heartbeat(session.id());
        return;
      }
      case proto::ClientMessage::kHello:
        session.close(CloseReason::ProtocolError);  // a second hello: the client is confused
        return;
      default:
        if (!handlers_.request) return;
        auto it = clients_.find(session.id());
        handlers_.request(session.id(), it == clients_.end() ? ClientIdentity{} : it->second.identity,
                          message);
        return;
    }
  }

  void handshake(StreamPeer& session, const proto::ClientHello& hello) {
    proto::ServerMessage reply;
    auto* server_hello = reply.mutable_hello();
    server_hello->set_protocol_version(kProtocolVersion);
    server_hello->set_daemon_version(options_.daemon_version);
    const std::int64_t now = options_.wall_now_ms();
    server_hello->set_server_time_ms(now);
    if (hello.protocol_version() != kProtocolVersion) {
      server_hello->set_accepted(false);
      server_hello->set_reason("unsupported protocol_version " + std::to_string(hello.protocol_version()) +
                               "; this daemon speaks " + std::to_string(kProtocolVersion));
      ++stats_.refused;
      session.enqueue(encode_for(session.format(), reply));
      session.close_after_flush(CloseReason::Refused);
      return;
    }
    Admission admission;
    admission.user = hello.user();
    if (handlers_.admit)
      admission = handlers_.admit(HelloFacts{hello, session.peer_address(), session.peer_common_name()});
    if (!admission.accepted) {
      // The reason says nothing about which part was wrong: no help for a guesser.
      server_hello->set_accepted(false);
      server_hello->set_reason(admission.reason.empty() ? "authentication failed" : admission.reason);
      ++stats_.auth_refused;
      security_log("stream: refused a login from " + session.peer_address() + " (client '" +
                   printable(hello.client_name()) + "', user '" + printable(hello.user()) +
                   "'): " + server_hello->reason());
      session.enqueue(encode_for(session.format(), reply));
      session.close_after_flush(CloseReason::Refused);
      return;
    }
    server_hello->set_accepted(true);
    if (admission.authenticated) {
      server_hello->set_user(admission.user);
      server_hello->set_role(admission.role);
      for (const auto& nurse : admission.nurses) server_hello->add_nurses(nurse);
      server_hello->set_pin_required(admission.pin_required);
    }
    clients_[session.id()] = ClientInfo{
        ClientIdentity{admission.user, admission.role, admission.authenticated}, hello.alarm_display()};
    if (!send(session, reply)) return;

    std::vector<proto::BedState> beds = snapshot_ ? snapshot_() : std::vector<proto::BedState>{};
    proto::ServerMessage message;
    message.mutable_snapshot_begin()->set_server_time_ms(now);
    message.mutable_snapshot_begin()->set_bed_count(static_cast<std::uint32_t>(beds.size()));
    if (!send_snapshot(session, message)) return;
    for (proto::BedState& bed : beds) {
      for (proto::Reading& reading : *bed.mutable_latest()) {
        if (reading.age_ms() == 0)
          reading.set_age_ms(std::max<std::int64_t>(0, now - reading.received_at_ms()));
      }
      *message.mutable_bed_state() = std::move(bed);
      if (!send_snapshot(session, message)) return;
    }
    message.mutable_snapshot_end();
    if (!send_snapshot(session, message)) return;
    // Live only now: a publish() during the snapshot cannot happen (same thread), and every
    // later one follows the snapshot in this client's queue.
    session.set_live();
    if (handlers_.client_live) handlers_.client_live(session.id(), clients_[session.id()].identity, hello);
  }

  // What a client over max_clients hears instead of a login; the client library reports it
  // as "refused: too many stream clients ...".
  proto::ServerMessage refusal_message(std::size_t cap) {
    proto::ServerMessage reply;
    auto* hello = reply.mutable_hello();
    hello->set_protocol_version(kProtocolVersion);
    hello->set_daemon_version(options_.daemon_version);
    hello->set_server_time_ms(options_.wall_now_ms());
    hello->set_accepted(false);
    hello->set_reason("too many stream clients (" + std::to_string(cap) +
                      " connected, the daemon's max_stream_clients); try again later");
    return reply;
  }

  bool send(StreamPeer& session, const proto::ServerMessage& message) {
    return session.enqueue(encode_for(session.format(), message));
  }

  // Snapshot frames do not count against the client's queue bound (see enqueue_snapshot).
  bool send_snapshot(StreamPeer& session, const proto::ServerMessage& message) {
    return session.enqueue_snapshot(encode_for(session.format(), message));
  }

  void on_closed(StreamPeer& session, CloseReason reason) {
    switch (reason) {
      case CloseReason::ProtocolError: ++stats_.protocol_errors; break;
      case CloseReason::SlowReader: ++stats_.dropped_slow; break;
      case CloseReason::Timeout: ++stats_.dropped_timeout; break;
      case CloseReason::HandshakeFailed:
        ++stats_.tls_handshake_failures;
        security_log("stream: TLS handshake failed from " + session.peer_address() + ": " +
                     session.handshake_error());
        break;
      case CloseReason::HandshakeTimeout:
        ++stats_.tls_handshake_timeouts;
        security_log("stream: TLS handshake from " + session.peer_address() + " timed out after " +
                     std::to_string(options_.handshake_timeout.count()) + " ms; dropped");
        break;
      default: break;
    }
    sessions_.erase(session.id());
    if (clients_.erase(session.id()) > 0 && handlers_.client_gone) handlers_.client_gone(session.id());
  }

  // Names a client typed are untrusted: keep logs one line and printable.
  static std::string printable(const std::string& text) {
    std::string out;
    for (char c : text.substr(0, 64)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
    return out;
  }

  void security_log(const std::string& line) {
    const auto now = std::chrono::steady_clock::now();
    if (now - log_window_start_ >= std::chrono::minutes(1)) {
      if (log_suppressed_ > 0 && handlers_.log)
        handlers_.log("stream: " + std::to_string(log_suppressed_) +
                      " more security events in the last minute not logged");
      log_window_start_ = now;
      log_lines_ = 0;
      log_suppressed_ = 0;
    }
    if (log_lines_ >= kSecurityLogLinesPerMinute) {
      ++log_suppressed_;
      return;
    }
    ++log_lines_;
    if (handlers_.log) handlers_.log(line);
  }

  void arm_heartbeat() {
    heartbeat_timer_.expires_after(options_.heartbeat_interval);
    heartbeat_timer_.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
      auto self = weak.lock();
      if (ec || !self || self->stopped_) return;
      proto::ServerMessage beat;
      beat.mutable_heartbeat()->set_seq(++self->heartbeat_seq_);
      beat.mutable_heartbeat()->set_sent_at_ms(self->options_.wall_now_ms());
      self->publish(beat);
      self->arm_heartbeat();
    });
  }

  asio::steady_timer heartbeat_timer_;
  Options options_;
  SnapshotFn snapshot_;
  std::map<std::uint64_t, std::shared_ptr<StreamPeer>> sessions_;
  Stats stats_;
  std::uint64_t next_id_ = 0;
  std::uint64_t heartbeat_seq_ = 0;
  bool stopped_ = true;
  std::chrono::steady_clock::time_point log_window_start_{};
  int log_lines_ = 0;
  std::uint64_t log_suppressed_ = 0;
  // Its callbacks use `this`: declared last, it is destroyed (and stops) first.
  net::Acceptor acceptor_;
};

StreamServer::StreamServer(asio::io_context& io, Options options, SnapshotFn snapshot, Handlers handlers)
    : impl_(std::make_shared<Impl>(io, std::move(options), std::move(snapshot))) {
  impl_->handlers_ = std::move(handlers);
}

StreamServer::~StreamServer() { impl_->stop(); }

tcp::endpoint StreamServer::listen(const tcp::endpoint& at) { return impl_->listen(at); }

void StreamServer::publish(const proto::ServerMessage& message) { impl_->publish(message); }

bool StreamServer::send_to(std::uint64_t client_id, const proto::ServerMessage& message) {
  return impl_->send_to(client_id, message);
}

void StreamServer::stop() { impl_->stop(); }

StreamServer::Stats StreamServer::stats() const { return impl_->stats(); }

bool StreamServer::adopt(const std::string& peer_address, const PeerFactory& make) {
  if (impl_->stopped()) return false;
  if (impl_->full_beyond_refusing(peer_address)) return false;
  impl_->adopt(make);
  return true;
}

}  // namespace vigil::stream
