#pragma once
// A small HTTP/1.1 server on the daemon's io_context (Boost.Beast), for /healthz and
// /metrics. Every outside input is bounded:
//
//   accept ──[open >= max_connections]──► closed at once (refused_full)
//     │ (TLS: handshake, within the deadline)
//     ▼
//   read one request (header <= header_limit bytes; no body: a request with one is 413)
//     │  deadline: read_timeout from the start of each request, idle keep-alive included;
//     │  expired ──► closed (timeouts). Slow-loris clients hold a slot for at most that.
//     ▼
//   HttpRoutes::answer ──► write (same deadline) ──► keep-alive? read next : close
//     or, for GET + "Upgrade: websocket" on an upgrade route: the connection is handed to
//     that route (HttpRoutes::add_upgrade) and leaves this server's table and deadlines.
//
// Parse errors answer 400 (431 for an oversized header) and close.
// Never blocks: all I/O is asynchronous; the routes must be quick (http_routes.hpp).
//
// Threading: io thread only. Lifetime: sessions hold a shared_ptr to themselves while an
// operation is pending; stop() closes the acceptor and every session.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include <chrono>
#include <cstdint>
#include <list>
#include <memory>

#include "http/http_routes.hpp"
#include "net/acceptor.hpp"

namespace vigil::http {

struct HttpServerOptions {
  std::size_t max_connections = 16;  // a scraper and a check or two; more is an attack
  std::size_t header_limit = 8 * 1024;
  std::chrono::milliseconds read_timeout{5000};
  std::shared_ptr<boost::asio::ssl::context> tls;  // null: plain HTTP
};

struct HttpServerStats {
  std::uint64_t accepted = 0, refused_full = 0, requests = 0, timeouts = 0, bad_requests = 0;
  std::uint64_t upgrades = 0;  // connections handed to an upgrade route (WebSocket)
};

class HttpServer {
 public:
  HttpServer(boost::asio::io_context& io, HttpServerOptions options, HttpRoutes routes);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Binds and starts accepting; returns the bound endpoint. Throws boost::system::system_error.
  boost::asio::ip::tcp::endpoint listen(const boost::asio::ip::tcp::endpoint& at);
  // Stops accepting and closes every connection. Idempotent.
  void stop();
  std::size_t open_connections();
  const HttpServerStats& stats() const { return *stats_; }

  class Session;

 private:
  void on_accept(boost::asio::ip::tcp::socket socket);

  HttpServerOptions options_;
  std::shared_ptr<const HttpRoutes> routes_;
  std::shared_ptr<HttpServerStats> stats_ = std::make_shared<HttpServerStats>();
  std::list<std::weak_ptr<Session>> sessions_;
  net::Acceptor acceptor_;  // last: destroyed first
};

}  // namespace vigil::http
