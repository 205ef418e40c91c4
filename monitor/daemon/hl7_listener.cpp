#include "daemon/hl7_listener.hpp"

#include <spdlog/spdlog.h>

namespace vigil::daemon {

namespace asio = boost::asio;

Hl7Listener::Hl7Listener(asio::io_context& io, IngestPipeline& pipeline, std::size_t max_frame_bytes)
    : io_(io), acceptor_(io), pipeline_(pipeline), max_frame_bytes_(max_frame_bytes) {}

asio::ip::tcp::endpoint Hl7Listener::listen(const asio::ip::tcp::endpoint& at) {
  acceptor_.open(at.protocol());
  acceptor_.set_option(asio::socket_base::reuse_address(true));
  acceptor_.bind(at);
  acceptor_.listen(asio::socket_base::max_listen_connections);
  do_accept();
  return acceptor_.local_endpoint();
}

std::size_t Hl7Listener::open_connections() {
  connections_.remove_if([](const std::weak_ptr<Hl7Connection>& c) { return c.expired(); });
  return connections_.size();
}

void Hl7Listener::do_accept() {
  acceptor_.async_accept([this](const boost::system::error_code& ec, asio::ip::tcp::socket socket) {
    if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
    if (ec) {
      // Out of file descriptors and the like: keep accepting; the next try may succeed.
      spdlog::warn("hl7: accept failed: {}", ec.message());
    } else if (connections_.size() >= kMaxConnections && open_connections() >= kMaxConnections) {
      ++refused_;
      spdlog::warn("hl7: refusing a connection: {} monitors already connected", kMaxConnections);
      boost::system::error_code ignored;
      socket.close(ignored);
    } else {
      auto connection = std::make_shared<Hl7Connection>(std::move(socket), pipeline_,
                                                        max_frame_bytes_, stats_);
      // Forget closed connections now and then rather than on every accept.
      if (connections_.size() % 1024 == 1023) open_connections();
      connections_.push_back(connection);
      connection->start();
    }
    do_accept();
  });
}

void Hl7Listener::stop_accepting() {
  boost::system::error_code ignored;
  acceptor_.close(ignored);
}

void Hl7Listener::close_all() {
  for (auto& weak : connections_) {
    if (auto c = weak.lock()) c->close();
  }
  connections_.clear();
}

}  // namespace vigil::daemon
