#include "net/dialer.hpp"

#include <boost/asio/connect.hpp>

namespace vigil::net {

namespace asio = boost::asio;
using asio::ip::tcp;

Dialer::Dialer(asio::io_context& io, std::shared_ptr<asio::ssl::context> tls,
               std::chrono::milliseconds timeout)
    : io_(io), tls_(std::move(tls)), timeout_(timeout), resolver_(io), deadline_(io) {}

void Dialer::start(OnDone on_done) {
  cancel();
  on_done_ = std::move(on_done);
  socket_ = tls_ ? std::make_shared<LinkSocket>(tcp::socket(io_), *tls_)
                 : std::make_shared<LinkSocket>(tcp::socket(io_));
  if (timeout_.count() > 0) {
    deadline_.expires_after(timeout_);
    deadline_.async_wait(
        [self = shared_from_this(), attempt = attempt_](const boost::system::error_code& ec) {
          if (ec || attempt != self->attempt_) return;
          self->finish(attempt, LinkError::Unreachable,
                       "cannot connect: no answer within " + std::to_string(self->timeout_.count()) + " ms");
        });
  }
}

void Dialer::dial(const std::string& host, std::uint16_t port, OnDone on_done) {
  start(std::move(on_done));
  host_ = host;
  resolver_.async_resolve(host, std::to_string(port),
                          [self = shared_from_this(), attempt = attempt_](
                              const boost::system::error_code& ec, tcp::resolver::results_type results) {
                            if (attempt != self->attempt_) return;
                            if (ec)
                              return self->finish(attempt, LinkError::Unresolved,
                                                  "cannot resolve: " + ec.message());
                            self->connect(attempt, results);
                          });
}

void Dialer::dial(const tcp::endpoint& endpoint, OnDone on_done) {
  start(std::move(on_done));
  host_ = endpoint.address().to_string();
  socket_->tcp().async_connect(endpoint, [self = shared_from_this(), attempt = attempt_,
                                          sock = socket_](const boost::system::error_code& ec) {
    if (attempt != self->attempt_) return;
    if (ec) return self->finish(attempt, LinkError::Unreachable, "cannot connect: " + ec.message());
    self->connected(attempt);
  });
}

void Dialer::connect(std::uint64_t attempt, const tcp::resolver::results_type& results) {
  asio::async_connect(socket_->tcp(), results,
                      [self = shared_from_this(), attempt, sock = socket_](
                          const boost::system::error_code& ec, const tcp::endpoint&) {
                        if (attempt != self->attempt_) return;
                        if (ec)
                          return self->finish(attempt, LinkError::Unreachable,
                                              "cannot connect: " + ec.message());
                        self->connected(attempt);
                      });
}

void Dialer::connected(std::uint64_t attempt) {
  auto* tls = socket_->tls();
  if (!tls) return finish(attempt, LinkError::None, "");
  boost::system::error_code not_address;
  asio::ip::make_address(host_, not_address);
  if (not_address) SSL_set_tlsext_host_name(tls->native_handle(), host_.c_str());  // SNI: names only
  tls->set_verify_mode(asio::ssl::verify_peer);
  tls->set_verify_callback(asio::ssl::host_name_verification(host_));
  tls->async_handshake(asio::ssl::stream_base::client, [self = shared_from_this(), attempt,
                                                        sock = socket_](const boost::system::error_code& ec) {
    if (attempt != self->attempt_) return;
    if (ec) return self->finish(attempt, LinkError::TlsHandshake, "TLS handshake failed: " + ec.message());
    self->finish(attempt, LinkError::None, "");
  });
}

void Dialer::finish(std::uint64_t attempt, LinkError error, const std::string& detail) {
  if (attempt != attempt_) return;
  ++attempt_;  // whatever else is pending for this attempt is now stale
  deadline_.cancel();
  resolver_.cancel();
  std::shared_ptr<LinkSocket> attempt_socket = std::move(socket_);
  std::unique_ptr<LinkSocket> socket;
  if (error == LinkError::None) {
    socket = std::make_unique<LinkSocket>(std::move(*attempt_socket));  // nothing is pending on it
  } else if (attempt_socket) {
    attempt_socket->close();  // pending handlers complete as aborted; they hold what they use
  }
  OnDone on_done = std::move(on_done_);
  on_done_ = nullptr;
  if (on_done) on_done(error, detail, std::move(socket));
}

void Dialer::cancel() {
  ++attempt_;
  deadline_.cancel();
  resolver_.cancel();
  if (socket_) {
    socket_->close();
    socket_.reset();
  }
  on_done_ = nullptr;
}

}  // namespace vigil::net
