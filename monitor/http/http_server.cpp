#include "http/http_server.hpp"

// clang-format off
#include <utility>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
// clang-format on

#include <array>
#include <optional>

#include "net/link_socket.hpp"

namespace vigil::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using asio::ip::tcp;

// One connection: reads requests one at a time, answers each, under one deadline per request.
class HttpServer::Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, const HttpServerOptions& options, std::shared_ptr<const HttpRoutes> routes,
          std::shared_ptr<HttpServerStats> stats)
      : socket_(options.tls ? net::LinkSocket(std::move(socket), *options.tls)
                            : net::LinkSocket(std::move(socket))),
        deadline_(socket_.get_executor()),
        // The buffer's own bound backs the parser's header limit (a request line counts too).
        buffer_(options.header_limit + 1024),
        options_(options),
        routes_(std::move(routes)),
        stats_(std::move(stats)) {}

  void start() {
    arm_deadline();
    if (auto* tls = socket_.tls()) {
      tls->async_handshake(asio::ssl::stream_base::server,
                           [self = shared_from_this()](const boost::system::error_code& ec) {
                             if (ec) return self->close();
                             self->read_request();
                           });
      return;
    }
    read_request();
  }

  void close() {
    closed_ = true;
    deadline_.cancel();
    if (!handed_off_) socket_.close();  // handed off: the socket is the upgrade's now
  }

 private:
  void arm_deadline() {
    deadline_.expires_after(options_.read_timeout);
    deadline_.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
      auto self = weak.lock();
      if (ec || !self || self->closed_) return;
      if (!self->lingering_) ++self->stats_->timeouts;  // a request not done in time
      self->close();
    });
  }

  void read_request() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(options_.header_limit));
    bhttp::async_read(
        socket_, buffer_, *parser_,
        [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) { self->on_read(ec); });
  }

  void on_read(const boost::system::error_code& ec) {
    if (closed_) return;
    if (ec == bhttp::error::end_of_stream || ec == asio::error::eof || ec == asio::error::operation_aborted ||
        ec == asio::error::connection_reset)
      return close();
    if (ec) {
      ++stats_->bad_requests;
      HttpAnswer bad;
      bad.status = ec == bhttp::error::header_limit || ec == bhttp::error::buffer_overflow ? 431
                   : ec == bhttp::error::unexpected_body || ec == bhttp::error::body_limit ? 413
                                                                                           : 400;
      bad.body = "bad request: " + ec.message() + "\n";
      return respond(bad, bhttp::verb::get, 11, false);
    }
    ++stats_->requests;
    const auto& request = parser_->get();
    const auto target = request.target();
    if (request.method() == bhttp::verb::get && boost::beast::websocket::is_upgrade(request)) {
      if (const Upgrade* upgrade = routes_->upgrade_for(std::string_view(target.data(), target.size()))) {
        if (upgrade->vet) {
          if (auto refusal = upgrade->vet(request))
            return respond(*refusal, request.method(), request.version(), false);
        }
        ++stats_->upgrades;
        handed_off_ = true;
        close();
        upgrade->take(std::move(socket_), parser_->release());
        return;
      }
    }
    respond(routes_->answer(request.method(), std::string_view(target.data(), target.size())),
            request.method(), request.version(), request.keep_alive());
  }

  void respond(const HttpAnswer& answer, bhttp::verb method, unsigned version, bool keep_alive) {
    response_.emplace(static_cast<bhttp::status>(answer.status), version);
    response_->set(bhttp::field::server, "vigild");
    response_->set(bhttp::field::content_type, answer.content_type);
    response_->set(bhttp::field::cache_control, answer.cache_control);
    if (!answer.allow.empty()) response_->set(bhttp::field::allow, answer.allow);
    for (const auto& [name, value] : answer.headers) response_->set(name, value);
    response_->body() = answer.body;
    response_->prepare_payload();
    // HEAD: the headers GET would have, Content-Length included, and no body.
    if (method == bhttp::verb::head) response_->body().clear();
    response_->keep_alive(keep_alive);
    bhttp::async_write(
        socket_, *response_,
        [self = shared_from_this(), keep_alive](const boost::system::error_code& ec, std::size_t) {
          if (ec || self->closed_) return self->close();
          if (!keep_alive) return self->linger();
          self->arm_deadline();
          self->read_request();
        });
  }

  // Closing a socket that still holds unread bytes (the rest of an oversized request) sends
  // a reset, which can destroy our answer in the client's buffers before it reads it. So:
  // FIN first, then read and discard until the client closes, bounded by the deadline.
  void linger() {
    lingering_ = true;
    boost::system::error_code ignored;
    socket_.tcp().shutdown(tcp::socket::shutdown_send, ignored);
    socket_.async_read_some(asio::buffer(discard_),
                            [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                              if (ec || self->closed_) return self->close();
                              self->linger();
                            });
  }

  net::LinkSocket socket_;
  asio::steady_timer deadline_;
  beast::flat_buffer buffer_;
  std::array<char, 1024> discard_{};
  std::optional<bhttp::request_parser<bhttp::empty_body>> parser_;
  std::optional<bhttp::response<bhttp::string_body>> response_;
  const HttpServerOptions options_;  // a copy: a session may outlive the server by a handler
  std::shared_ptr<const HttpRoutes> routes_;
  std::shared_ptr<HttpServerStats> stats_;
  bool closed_ = false;
  bool lingering_ = false;   // answered; waiting for the client to close
  bool handed_off_ = false;  // upgraded: socket_ was moved to the upgrade route
};

HttpServer::HttpServer(asio::io_context& io, HttpServerOptions options, HttpRoutes routes)
    : options_(std::move(options)),
      routes_(std::make_shared<const HttpRoutes>(std::move(routes))),
      acceptor_(io, [this](tcp::socket socket) { on_accept(std::move(socket)); }) {}

HttpServer::~HttpServer() { stop(); }

tcp::endpoint HttpServer::listen(const tcp::endpoint& at) { return acceptor_.listen(at); }

void HttpServer::stop() {
  acceptor_.stop();
  for (auto& weak : sessions_)
    if (auto session = weak.lock()) session->close();
  sessions_.clear();
}

std::size_t HttpServer::open_connections() {
  sessions_.remove_if([](const std::weak_ptr<Session>& s) { return s.expired(); });
  return sessions_.size();
}

void HttpServer::on_accept(tcp::socket socket) {
  if (open_connections() >= options_.max_connections) {
    ++stats_->refused_full;
    boost::system::error_code ignored;
    socket.close(ignored);
    return;
  }
  ++stats_->accepted;
  auto session = std::make_shared<Session>(std::move(socket), options_, routes_, stats_);
  sessions_.push_back(session);
  session->start();
}

}  // namespace vigil::http
