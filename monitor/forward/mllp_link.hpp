#pragma once
// One outbound MLLP connection to the integration engine, on the daemon's io_context: dial
// (net::Dialer: resolve, connect, optionally TLS verifying the engine's certificate and host
// name), then write framed messages and deliver each reply through the shared net::MllpPeer.
// Knows nothing of outboxes or retries (the forwarder decides); every failure ends the
// connection with one on_closed.
//
// Threading: io thread only. The callbacks run there and may destroy nothing but may call
// close() or start a new connect().

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include <functional>
#include <memory>
#include <string>

#include "net/dialer.hpp"
#include "net/mllp_peer.hpp"

namespace vigil::forward {

class MllpLink {
 public:
  using OnConnected = std::function<void()>;
  using OnMessage = std::function<void(std::string message)>;
  using OnClosed = std::function<void(const std::string& why)>;

  /// `tls`: null for plain TCP; else the client context (CA to verify the engine against),
  /// shared by every connection (net/link_socket.hpp carries the bytes either way).
  MllpLink(boost::asio::io_context& io, std::shared_ptr<boost::asio::ssl::context> tls,
           OnConnected on_connected, OnMessage on_message, OnClosed on_closed);
  ~MllpLink();

  /// Starts resolving and connecting; on_connected or on_closed follows.
  void connect(const std::string& host, std::uint16_t port);
  /// Writes one message (framed here). Only while connected.
  void send(const std::string& message);
  /// Closes without calling on_closed.
  void close();
  bool connected() const { return connected_; }
  bool busy() const { return dialing_ || peer_ != nullptr; }

 private:
  void connected(std::unique_ptr<net::LinkSocket> socket);
  void fail(const std::string& why);

  OnConnected on_connected_;
  OnMessage on_message_;
  OnClosed on_closed_;
  std::shared_ptr<net::Dialer> dialer_;
  std::shared_ptr<net::MllpPeer> peer_;  // the current connection; its handlers check it
  bool dialing_ = false;
  bool connected_ = false;
};

}  // namespace vigil::forward
