// The health port's HTTP server over loopback, in-process: methods, paths, HEAD, the header
// bound, a request with a body, the per-request deadline and the connection cap. One
// io_context in the test thread; waits pump it until a condition holds (support/asio_pump.hpp).
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "http/http_server.hpp"
#include "net/asio.hpp"
#include "support/asio_pump.hpp"

namespace vigil::http {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;
using test::pump_until;

// A raw client: sends bytes, collects everything until the server closes.
struct RawClient : std::enable_shared_from_this<RawClient> {
  explicit RawClient(asio::io_context& io) : socket(io) {}
  void open(const tcp::endpoint& at) {
    socket.connect(at);
    read_more();
  }
  void send(const std::string& bytes) {
    auto data = std::make_shared<std::string>(bytes);
    asio::async_write(socket, asio::buffer(*data), [data](const boost::system::error_code&, std::size_t) {});
  }
  void read_more() {
    socket.async_read_some(asio::buffer(chunk),
                           [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
                             self->received.append(self->chunk.data(), n);
                             if (ec) {
                               self->closed = true;
                               return;
                             }
                             self->read_more();
                           });
  }
  tcp::socket socket;
  std::array<char, 4096> chunk{};
  std::string received;
  bool closed = false;
};

class HttpServerTest : public ::testing::Test {
 protected:
  void start(HttpServerOptions options = {}) {
    HttpRoutes routes;
    routes.add("/healthz", [] {
      HttpAnswer a;
      a.content_type = "application/json";
      a.body = "{\"status\":\"ok\"}\n";
      return a;
    });
    server = std::make_unique<HttpServer>(io, options, std::move(routes));
    at = server->listen(test::loopback_any());
  }
  std::shared_ptr<RawClient> client(const std::string& request) {
    auto c = std::make_shared<RawClient>(io);
    c->open(at);
    if (!request.empty()) c->send(request);
    return c;
  }

  asio::io_context io;
  std::unique_ptr<HttpServer> server;
  tcp::endpoint at;
};

TEST_F(HttpServerTest, GetAnswersAndHeadHasNoBody) {
  start();
  auto get = client("GET /healthz?x=1 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  auto head = client("HEAD /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  ASSERT_TRUE(pump_until(io, [&] { return get->closed && head->closed; }));
  EXPECT_EQ(get->received.rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << get->received;
  EXPECT_NE(get->received.find("Content-Type: application/json\r\n"), std::string::npos);
  EXPECT_NE(get->received.find("\r\n\r\n{\"status\":\"ok\"}\n"), std::string::npos);
  EXPECT_EQ(head->received.rfind("HTTP/1.1 200 OK\r\n", 0), 0u);
  EXPECT_NE(head->received.find("Content-Length: 16\r\n"), std::string::npos) << head->received;
  EXPECT_EQ(head->received.substr(head->received.size() - 4), "\r\n\r\n");  // headers only
}

TEST_F(HttpServerTest, UnknownPathIs404OtherMethodsAre405) {
  start();
  auto missing = client("GET /nope HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  auto post = client("POST /healthz HTTP/1.1\r\nHost: t\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
  auto del = client("DELETE /metrics HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  ASSERT_TRUE(pump_until(io, [&] { return missing->closed && post->closed && del->closed; }));
  EXPECT_EQ(missing->received.rfind("HTTP/1.1 404 Not Found\r\n", 0), 0u) << missing->received;
  EXPECT_EQ(post->received.rfind("HTTP/1.1 405 Method Not Allowed\r\n", 0), 0u) << post->received;
  EXPECT_NE(post->received.find("Allow: GET, HEAD\r\n"), std::string::npos);
  EXPECT_EQ(del->received.rfind("HTTP/1.1 405", 0), 0u);
}

TEST_F(HttpServerTest, KeepAliveServesSeveralRequestsOnOneConnection) {
  start();
  auto c = client(
      "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\nGET /healthz HTTP/1.1\r\nHost: t\r\nConnection: "
      "close\r\n\r\n");
  ASSERT_TRUE(pump_until(io, [&] { return c->closed; }));
  EXPECT_EQ(server->stats().requests, 2u);
  EXPECT_NE(c->received.find("HTTP/1.1 200", 10), std::string::npos);
}

TEST_F(HttpServerTest, OversizedHeaderIsRefusedAndClosed) {
  HttpServerOptions options;
  options.header_limit = 1024;
  start(options);
  auto c = client("GET /healthz HTTP/1.1\r\nHost: t\r\nX-Big: " + std::string(4096, 'a') + "\r\n\r\n");
  ASSERT_TRUE(pump_until(io, [&] { return c->closed; }));
  EXPECT_EQ(c->received.rfind("HTTP/1.1 431", 0), 0u) << c->received.substr(0, 80);
  EXPECT_EQ(server->stats().bad_requests, 1u);
}

TEST_F(HttpServerTest, RequestWithABodyIsRefused) {
  start();
  auto c = client("GET /healthz HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello");
  ASSERT_TRUE(pump_until(io, [&] { return c->closed; }));
  EXPECT_EQ(c->received.rfind("HTTP/1.1 413", 0), 0u) << c->received;
}

TEST_F(HttpServerTest, GarbageIs400) {
  start();
  auto c = client("\x16\x03\x01 not http at all\r\n\r\n");
  ASSERT_TRUE(pump_until(io, [&] { return c->closed; }));
  EXPECT_EQ(c->received.rfind("HTTP/1.1 400", 0), 0u) << c->received;
}

TEST_F(HttpServerTest, SlowClientIsCutOffAtTheDeadlineWhileOthersAreServed) {
  HttpServerOptions options;
  options.read_timeout = std::chrono::milliseconds(200);
  start(options);
  auto slow = client("GET /healthz HTTP/1.1\r\nHost: t\r\n");  // never finishes its header
  auto idle = client("");                                      // says nothing at all
  auto quick = client("GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  ASSERT_TRUE(pump_until(io, [&] { return quick->closed; }));
  EXPECT_EQ(quick->received.rfind("HTTP/1.1 200", 0), 0u);
  EXPECT_FALSE(slow->closed);
  ASSERT_TRUE(pump_until(io, [&] { return slow->closed && idle->closed; }));
  EXPECT_EQ(slow->received, "");
  EXPECT_EQ(server->stats().timeouts, 2u);
}

TEST_F(HttpServerTest, ConnectionsOverTheCapAreClosedAtOnce) {
  HttpServerOptions options;
  options.max_connections = 2;
  start(options);
  auto a = client("");
  auto b = client("");
  ASSERT_TRUE(pump_until(io, [&] { return server->stats().accepted == 2; }));
  auto over = client("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n");
  ASSERT_TRUE(pump_until(io, [&] { return over->closed; }));
  EXPECT_EQ(over->received, "");
  EXPECT_EQ(server->stats().refused_full, 1u);
  // A slot freed is a slot usable again.
  a->socket.close();
  ASSERT_TRUE(pump_until(io, [&] { return server->open_connections() == 1; }));
  auto again = client("GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n");
  ASSERT_TRUE(pump_until(io, [&] { return again->closed; }));
  EXPECT_EQ(again->received.rfind("HTTP/1.1 200", 0), 0u);
}

TEST_F(HttpServerTest, StopClosesOpenConnections) {
  start();
  auto c = client("");
  ASSERT_TRUE(pump_until(io, [&] { return server->stats().accepted == 1; }));
  server->stop();
  ASSERT_TRUE(pump_until(io, [&] { return c->closed; }));
}

}  // namespace
}  // namespace vigil::http
