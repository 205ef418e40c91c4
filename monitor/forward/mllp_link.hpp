#pragma once
// One outbound MLLP connection to the integration engine, on the daemon's io_context: resolve,
// connect (optionally TLS, verifying the engine's certificate and host name), write framed
// messages, deliver each framed reply. Knows nothing of outboxes or
// retries (the forwarder decides); every failure ends the connection with one on_closed.
//
// Threading: io thread only. The callbacks run there and may destroy nothing but may call
// close() or start a new connect().

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include <functional>
#include <memory>
#include <string>

#include "hl7/mllp_deframer.hpp"

namespace vigil::forward {

class MllpLink {
 public:
  using OnConnected = std::function<void()>;
  using OnMessage = std::function<void(std::string message)>;
  using OnClosed = std::function<void(const std::string& why)>;

  /// `tls`: null for plain TCP; else the client context (CA to verify the engine against),
  /// shared by every connection (net/link_socket.hpp carries the bytes either way).
  MllpLink(boost::asio::io_context& io, std::shared_ptr<boost::asio::ssl::context> tls, OnConnected on_connected,
           OnMessage on_message, OnClosed on_closed);
  ~MllpLink();

  /// Starts resolving and connecting; on_connected or on_closed follows.
  void connect(const std::string& host, std::uint16_t port);
  /// Writes one message (framed here). Only while connected.
  void send(const std::string& message);
  /// Closes without calling on_closed.
  void close();
  bool connected() const { return connected_; }
  bool busy() const { return state_ != nullptr; }

 private:
  struct State;
  void fail(const std::shared_ptr<State>& s, const std::string& why);
  void read(const std::shared_ptr<State>& s);
  void write_next(const std::shared_ptr<State>& s);
  void connected(const std::shared_ptr<State>& s);

  boost::asio::io_context& io_;
  std::shared_ptr<boost::asio::ssl::context> tls_;
  OnConnected on_connected_;
  OnMessage on_message_;
  OnClosed on_closed_;
  std::shared_ptr<State> state_;  // the current attempt; handlers of an old one see a stale pointer
  bool connected_ = false;
};

}  // namespace vigil::forward
