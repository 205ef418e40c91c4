#pragma once
// The client side of making a link: resolve, connect within a deadline, and for TLS the
// handshake that verifies the server's certificate and host name. The forwarder's link to
// the integration engine and the simulator's monitors dial through it; what they do with a
// failure (back off, raise an alarm) is theirs.
//
//   dial(host, port) ──resolve──► connect ──[tls]──► handshake ──► on_done(None, socket)
//        any step fails or the deadline passes ──► on_done(Unresolved | Unreachable |
//                                                          TlsHandshake, detail, nullptr)
//
// One attempt at a time: dial() again cancels the attempt in progress (its on_done is never
// called), as does cancel().
// Lifetime: create with std::make_shared; pending operations hold it.
// Threading: io thread only; on_done runs there.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "net/link_error.hpp"
#include "net/link_socket.hpp"

namespace vigil::net {

class Dialer : public std::enable_shared_from_this<Dialer> {
 public:
  // `socket` is connected (and its TLS handshake done) when error is None, else null.
  using OnDone =
      std::function<void(LinkError error, const std::string& detail, std::unique_ptr<LinkSocket> socket)>;

  // `tls`: null for plain TCP. `timeout`: for resolve + connect + handshake; zero: none.
  Dialer(boost::asio::io_context& io, std::shared_ptr<boost::asio::ssl::context> tls,
         std::chrono::milliseconds timeout = std::chrono::milliseconds(0));

  void dial(const std::string& host, std::uint16_t port, OnDone on_done);
  void dial(const boost::asio::ip::tcp::endpoint& endpoint, OnDone on_done);
  void cancel();

 private:
  void start(OnDone on_done);
  void connect(std::uint64_t attempt, const boost::asio::ip::tcp::resolver::results_type& results);
  void connected(std::uint64_t attempt);
  void finish(std::uint64_t attempt, LinkError error, const std::string& detail);

  boost::asio::io_context& io_;
  std::shared_ptr<boost::asio::ssl::context> tls_;
  std::chrono::milliseconds timeout_;
  boost::asio::ip::tcp::resolver resolver_;
  boost::asio::steady_timer deadline_;
  // The attempt's socket until handed over. Shared with the attempt's pending handlers: a TLS
  // stream must outlive a handshake in progress even when the deadline gives up on it.
  std::shared_ptr<LinkSocket> socket_;
  std::string host_;  // the name the certificate must carry (TLS)
  OnDone on_done_;
  std::uint64_t attempt_ = 0;  // bumps per dial() and cancel(); stale handlers compare it
};

}  // namespace vigil::net
