#include "net/acceptor.hpp"

#include <fcntl.h>

#include <boost/asio/steady_timer.hpp>

namespace vigil::net {

namespace asio = boost::asio;
using asio::ip::tcp;

void set_cloexec(int fd) {
  const int flags = ::fcntl(fd, F_GETFD);
  if (flags >= 0) ::fcntl(fd, F_SETFD, flags | FD_CLOEXEC);
}

class Acceptor::Loop : public std::enable_shared_from_this<Loop> {
 public:
  Loop(asio::io_context& io, OnAccept on_accept, OnError on_error)
      : acceptor_(io), retry_timer_(io), on_accept_(std::move(on_accept)), on_error_(std::move(on_error)) {}

  tcp::endpoint listen(const tcp::endpoint& at) {
    acceptor_.open(at.protocol());
    set_cloexec(acceptor_.native_handle());
    acceptor_.set_option(tcp::acceptor::reuse_address(true));
    acceptor_.bind(at);
    acceptor_.listen(asio::socket_base::max_listen_connections);
    accept_next();
    return acceptor_.local_endpoint();
  }

  void stop() {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    retry_timer_.cancel();
  }

  bool is_open() const { return acceptor_.is_open(); }
  std::uint64_t errors() const { return errors_; }

 private:
  void accept_next() {
    acceptor_.async_accept(
        [weak = weak_from_this()](const boost::system::error_code& ec, tcp::socket socket) {
          auto self = weak.lock();
          if (!self || ec == asio::error::operation_aborted || !self->acceptor_.is_open()) return;
          if (ec) {
            // Concerns one connection attempt (EMFILE, a reset before accept): keep accepting,
            // after a pause (see the file comment).
            ++self->errors_;
            if (self->on_error_) self->on_error_(ec);
            self->retry_timer_.expires_after(kRetryDelay);
            self->retry_timer_.async_wait([weak](const boost::system::error_code& timer_ec) {
              auto again = weak.lock();
              if (!timer_ec && again && again->acceptor_.is_open()) again->accept_next();
            });
            return;
          }
          set_cloexec(socket.native_handle());
          // Armed before the callback: whatever it does (even stop()), the loop stays consistent.
          self->accept_next();
          if (self->on_accept_) self->on_accept_(std::move(socket));
        });
  }

  tcp::acceptor acceptor_;
  asio::steady_timer retry_timer_;
  OnAccept on_accept_;
  OnError on_error_;
  std::uint64_t errors_ = 0;
};

Acceptor::Acceptor(asio::io_context& io, OnAccept on_accept, OnError on_error)
    : loop_(std::make_shared<Loop>(io, std::move(on_accept), std::move(on_error))) {}

Acceptor::~Acceptor() { loop_->stop(); }

tcp::endpoint Acceptor::listen(const tcp::endpoint& at) { return loop_->listen(at); }

void Acceptor::stop() { loop_->stop(); }

bool Acceptor::is_open() const { return loop_->is_open(); }

std::uint64_t Acceptor::accept_errors() const { return loop_->errors(); }

}  // namespace vigil::net
