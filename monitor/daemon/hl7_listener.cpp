#include "daemon/hl7_listener.hpp"

#include <spdlog/spdlog.h>

namespace vigil::daemon {

namespace asio = boost::asio;

Hl7Listener::Hl7Listener(asio::io_context& io, Hl7Receiver& receiver, std::size_t max_frame_bytes,
                         std::chrono::milliseconds frame_timeout, SourceLimitOptions limits)
    : receiver_(receiver),
      max_frame_bytes_(max_frame_bytes),
      // Rate limits guard the network and the store, so they run on real time even when a
      // demo scales the daemon's clock.
      limits_(
          std::make_shared<SourceLimits>(std::move(limits), [] { return std::chrono::steady_clock::now(); })),
      counters_timer_(io),
      frame_timeout_(frame_timeout),
      acceptor_(
          io, [this](asio::ip::tcp::socket socket) { on_accept(std::move(socket)); },
          [this](const boost::system::error_code& ec) { on_accept_error(ec); }) {}

asio::ip::tcp::endpoint Hl7Listener::listen(const asio::ip::tcp::endpoint& at) {
  const auto bound = acceptor_.listen(at);
  arm_counters_timer();
  return bound;
}

std::size_t Hl7Listener::open_connections() {
  connections_.remove_if([](const std::weak_ptr<Hl7Connection>& c) { return c.expired(); });
  return connections_.size();
}

Hl7Listener::StateCounts Hl7Listener::connection_states() {
  StateCounts counts;
  for (const auto& weak : connections_) {
    const auto connection = weak.lock();
    if (!connection) continue;
    switch (connection->state()) {
      case Hl7ConnectionState::Idle: ++counts.idle; break;
      case Hl7ConnectionState::Busy: ++counts.busy; break;
      case Hl7ConnectionState::Paused: ++counts.paused; break;
    }
  }
  return counts;
}

std::string Hl7Listener::counters_line() {
  const SourceLimitCounters& c = limits_->counters();
  return "hl7 counters: connections=" + std::to_string(stats_.connections) +
         " open=" + std::to_string(open_connections()) +
         " refused_not_allowed=" + std::to_string(c.not_allowed) +
         " refused_per_source_connections=" + std::to_string(c.too_many_connections) +
         " refused_total_connections=" + std::to_string(refused_) +
         " rate_limited_messages=" + std::to_string(c.rate_limited) +
         " oversize_frames=" + std::to_string(stats_.oversize_frames) +
         " truncated_frames=" + std::to_string(stats_.truncated_frames) +
         " junk_bytes=" + std::to_string(stats_.junk_bytes) +
         " frame_timeouts=" + std::to_string(stats_.frame_timeouts);
}

void Hl7Listener::arm_counters_timer() {
  counters_timer_.expires_after(kCountersInterval);
  counters_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || !acceptor_.is_open()) return;
    spdlog::info("{}", counters_line());
    arm_counters_timer();
  });
}

void Hl7Listener::on_accept_error(const boost::system::error_code& ec) {
  // Out of file descriptors and the like (the acceptor retries after a pause): say so at
  // most every 10 s, with how many failures went unlogged.
  const auto now = std::chrono::steady_clock::now();
  if (now - last_accept_warning_ >= std::chrono::seconds(10)) {
    spdlog::warn("hl7: accept failed: {} ({} more since the last warning)", ec.message(),
                 accept_errors_unlogged_);
    last_accept_warning_ = now;
    accept_errors_unlogged_ = 0;
  } else {
    ++accept_errors_unlogged_;
  }
}

void Hl7Listener::on_accept(asio::ip::tcp::socket socket) {
  if (connections_.size() >= kMaxConnections && open_connections() >= kMaxConnections) {
    ++refused_;
    spdlog::warn("hl7: refusing a connection: {} monitors already connected", kMaxConnections);
    boost::system::error_code ignored;
    socket.close(ignored);
    return;
  }
  admit(std::move(socket));
}

void Hl7Listener::admit(asio::ip::tcp::socket socket) {
  boost::system::error_code ec;
  const auto peer = socket.remote_endpoint(ec);
  if (ec) return;  // already gone; the socket closes as it goes out of scope
  const auto address = source_address(peer.address());
  Verdict verdict;
  const Admission admission = limits_->admit(address, &verdict);
  if (admission != Admission::Admitted) {
    if (verdict.warn) {
      spdlog::warn("hl7: refused a connection from {}: {} ({} more refused since the last warning)",
                   address.to_string(), to_string(admission), verdict.suppressed);
    }
    boost::system::error_code ignored;
    socket.close(ignored);
    return;
  }
  // The gate owns the lease: the source's connection count drops when the connection dies.
  auto lease = std::make_shared<SourceLease>(limits_, address);
  const auto rate = is_loopback(address) ? limits_->options().loopback.max_messages_per_second
                                         : limits_->options().remote.max_messages_per_second;
  Hl7Connection::MessageGate gate = [lease, rate] {
    const Verdict v = lease->take_message();
    if (v.warn) {
      spdlog::warn("hl7: {} sends over {} messages/s: answered AR ({} more since the last warning)",
                   lease->address().to_string(), rate, v.suppressed);
    }
    return v.ok;
  };
  auto connection = std::make_shared<Hl7Connection>(std::move(socket), receiver_, max_frame_bytes_,
                                                    frame_timeout_, stats_, std::move(gate));
  // Forget closed connections now and then rather than on every accept.
  if (connections_.size() % 1024 == 1023) open_connections();
  connections_.push_back(connection);
  connection->start();
}

void Hl7Listener::stop_accepting() {
  acceptor_.stop();
  counters_timer_.cancel();
}

void Hl7Listener::close_all() {
  for (auto& weak : connections_) {
    if (auto c = weak.lock()) c->close();
  }
  connections_.clear();
}

}  // namespace vigil::daemon
