#pragma once
// One stream connection's byte pipe: plain TCP or TLS over TCP, chosen at construction.
// Both the daemon's ClientSession and the client library read and write through it, so
// framing, queues and deadlines have one code path whatever the transport.
//
// It is an Asio AsyncReadStream/AsyncWriteStream (async_read_some, async_write_some,
// get_executor), so boost::asio::async_write works on it. Handlers must be callables (no
// completion tokens): that is all the stream code uses.
//
// Threading: like the socket it wraps; one io thread.

#include <boost/asio/ssl.hpp>
#include "net/asio.hpp"

#include <memory>
#include <optional>

namespace vigil::net {

class LinkSocket {
 public:
  using Tcp = boost::asio::ip::tcp::socket;
  using Tls = boost::asio::ssl::stream<Tcp>;
  using executor_type = Tcp::executor_type;

  // Plain TCP.
  explicit LinkSocket(Tcp socket) : plain_(std::move(socket)) {}
  // TLS over `socket`; the caller runs the handshake (tls()->async_handshake) before use.
  LinkSocket(Tcp socket, boost::asio::ssl::context& context)
      : tls_(std::make_unique<Tls>(std::move(socket), context)) {}

  executor_type get_executor() { return tcp().get_executor(); }
  Tcp& tcp() { return tls_ ? tls_->next_layer() : *plain_; }
  // The TLS stream, or nullptr for plain TCP.
  Tls* tls() { return tls_.get(); }

  template <typename Buffers, typename Handler>
  void async_read_some(const Buffers& buffers, Handler&& handler) {
    if (tls_) {
      tls_->async_read_some(buffers, std::forward<Handler>(handler));
    } else {
      plain_->async_read_some(buffers, std::forward<Handler>(handler));
    }
  }

  template <typename Buffers, typename Handler>
  void async_write_some(const Buffers& buffers, Handler&& handler) {
    if (tls_) {
      tls_->async_write_some(buffers, std::forward<Handler>(handler));
    } else {
      plain_->async_write_some(buffers, std::forward<Handler>(handler));
    }
  }

  // Closes the TCP socket: pending operations complete with an error. No TLS close_notify:
  // we only close links that are broken, refused or done, and a peer that stops reading
  // must not keep us waiting for one.
  void close() {
    boost::system::error_code ignored;
    tcp().shutdown(Tcp::shutdown_both, ignored);
    tcp().close(ignored);
  }

 private:
  std::optional<Tcp> plain_;
  std::unique_ptr<Tls> tls_;  // heap: its engine must not move while operations are pending
};

}  // namespace vigil::net
