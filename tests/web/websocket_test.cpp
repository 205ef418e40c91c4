// The web view's WebSocket over loopback, in-process: an HttpServer with the web routes and
// a StreamServer, the daemon's loop in a thread, a Beast WebSocket client in the test thread
// playing the page: hello, snapshot, a nurse request with its identity, live fan-out, and the
// refusals (another site's Origin, an oversized or unreadable message before the hello).
#include <gtest/gtest.h>

// clang-format off
#include <utility>
#include <boost/beast/core.hpp>
#include <boost/beast/websocket.hpp>
// clang-format on

#include <functional>
#include <future>
#include <mutex>
#include <thread>

#include "http/http_server.hpp"
#include "stream/json_wire.hpp"
#include "stream/stream_server.hpp"
#include "support/asio_pump.hpp"
#include "web/web_routes.hpp"

namespace vigil::web {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace ws = boost::beast::websocket;
using asio::ip::tcp;

class WebSocketTest : public ::testing::Test {
 protected:
  void SetUp() override {
    stream::StreamServer::Handlers handlers;
    handlers.request = [this](std::uint64_t client, const stream::StreamServer::ClientIdentity& who,
                              const proto::ClientMessage& m) {
      std::lock_guard lock(mutex);
      requests.push_back({client, who.user, m});
    };
    stream::StreamServer::Options options;
    options.heartbeat_interval = std::chrono::hours(1);  // no heartbeats between the messages we check
    options.link_timeout = std::chrono::seconds(30);
    options.max_queue_bytes = 256 * 1024;  // so a browser that stops reading overflows soon
    options.wall_now_ms = [] { return std::int64_t{1765000000000}; };
    server = std::make_unique<stream::StreamServer>(
        io, options,
        [] {
          proto::BedState bed;
          bed.set_bed("CHAIR1");
          auto* r = bed.add_latest();
          r->set_bed("CHAIR1");
          r->set_kind(proto::NIBP_SYS);
          r->set_value(142);
          r->set_received_at_ms(1764999990000);
          return std::vector<proto::BedState>{bed};
        },
        std::move(handlers));
    server->listen(test::loopback_any());
    http::HttpRoutes routes;
    add_web_routes(routes, *server);
    http_server = std::make_unique<http::HttpServer>(io, http::HttpServerOptions{}, std::move(routes));
    at = http_server->listen(test::loopback_any());
    worker = std::thread([this] {
      auto guard = asio::make_work_guard(io);
      io.run();
    });
  }
  void TearDown() override {
    std::promise<void> stopped;
    asio::post(io, [&] {
      http_server->stop();
      server->stop();
      io.stop();
      stopped.set_value();
    });
    stopped.get_future().wait();
    worker.join();
  }

  // Runs `f` on the daemon's loop and waits for it.
  template <typename F>
  auto on_loop(F f) {
    std::packaged_task<decltype(f())()> task(f);
    auto result = task.get_future();
    asio::post(io, [&task] { task(); });
    return result.get();
  }

  std::unique_ptr<ws::stream<tcp::socket>> page(const std::string& origin) {
    auto client = std::make_unique<ws::stream<tcp::socket>>(client_io);
    client->next_layer().connect(at);
    const std::string host = "127.0.0.1:" + std::to_string(at.port());
    client->set_option(ws::stream_base::decorator([origin](ws::request_type& r) {
      if (!origin.empty()) r.set(beast::http::field::origin, origin);
    }));
    client->handshake(host, "/stream");
    client->text(true);
    return client;
  }

  proto::ServerMessage next(ws::stream<tcp::socket>& client) {
    beast::flat_buffer buffer;
    client.read(buffer);
    EXPECT_TRUE(client.got_text());
    proto::ServerMessage m;
    EXPECT_TRUE(stream::parse_server_message_json(beast::buffers_to_string(buffer.data()), m))
        << beast::buffers_to_string(buffer.data());
    return m;
  }

  struct Seen {
    std::uint64_t client;
    std::string user;
    proto::ClientMessage message;
  };
  asio::io_context io;
  asio::io_context client_io;
  std::unique_ptr<stream::StreamServer> server;
  std::unique_ptr<http::HttpServer> http_server;
  tcp::endpoint at;
  std::thread worker;
  std::mutex mutex;
  std::vector<Seen> requests;
};

TEST_F(WebSocketTest, APageGetsTheStreamAsJsonAndItsRequestsCarryItsUser) {
  auto client = page("http://127.0.0.1:" + std::to_string(at.port()));
  client->write(asio::buffer(
      std::string(R"({"hello":{"protocol_version":1,"client_name":"vigil-web","user":"nurse.kim"}})")));
  const auto hello = next(*client);
  ASSERT_TRUE(hello.has_hello());
  EXPECT_TRUE(hello.hello().accepted());
  EXPECT_TRUE(next(*client).has_snapshot_begin());
  const auto bed = next(*client);
  ASSERT_TRUE(bed.has_bed_state());
  EXPECT_EQ(bed.bed_state().latest(0).age_ms(), 10000);  // filled in as for any stream client
  EXPECT_TRUE(next(*client).has_snapshot_end());

  client->write(asio::buffer(std::string(
      R"({"request":{"request_id":"4","bed":"CHAIR1","acknowledge":{"alert_id":"CHAIR1-P1-1"}}})")));
  ASSERT_TRUE(test::pump_until(client_io, [&] {
    std::lock_guard lock(mutex);
    return !requests.empty();
  }));
  Seen seen;
  {
    std::lock_guard lock(mutex);
    seen = requests.front();
  }
  EXPECT_EQ(seen.user, "nurse.kim");
  EXPECT_EQ(seen.message.request().acknowledge().alert_id(), "CHAIR1-P1-1");

  // A reply to this client, then a live event to everyone.
  on_loop([&] {
    proto::ServerMessage result;
    result.mutable_result()->set_request_id(4);
    result.mutable_result()->set_ok(true);
    return server->send_to(seen.client, result);
  });
  const auto result = next(*client);
  ASSERT_TRUE(result.has_result());
  EXPECT_EQ(result.result().request_id(), 4u);
  EXPECT_TRUE(result.result().ok());
  on_loop([&] {
    proto::ServerMessage alert;
    alert.mutable_alert()->set_id("CHAIR1-P1-1");
    alert.mutable_alert()->set_priority(proto::HIGH);
    server->publish(alert);
    return true;
  });
  const auto alert = next(*client);
  ASSERT_TRUE(alert.has_alert());
  EXPECT_EQ(alert.alert().priority(), proto::HIGH);
  EXPECT_EQ(on_loop([&] { return server->stats().clients; }), 1u);
}

// Sends the hello and reads through the snapshot.
void log_in(ws::stream<tcp::socket>& client, const std::function<proto::ServerMessage()>& next_message) {
  client.write(asio::buffer(std::string(R"({"hello":{"protocol_version":1,"user":"x"}})")));
  while (!next_message().has_snapshot_end()) {
  }
}

TEST_F(WebSocketTest, ABrowserThatStopsReadingIsDroppedAndTheOthersGoOn) {
  const std::string origin = "http://127.0.0.1:" + std::to_string(at.port());
  auto stuck = page(origin);
  auto reader = page(origin);
  log_in(*stuck, [&] { return next(*stuck); });
  log_in(*reader, [&] { return next(*reader); });
  proto::ServerMessage big;
  big.mutable_alert()->set_message(std::string(60 * 1024, 'x'));
  // 24 MB in all: more than the stuck page's socket buffers and its 256 KiB queue hold.
  for (int i = 0; i < 400; ++i) {
    big.mutable_alert()->set_id("A" + std::to_string(i));
    on_loop([&] {
      server->publish(big);
      return true;
    });
    const auto m = next(*reader);  // the reader gets every message, in order
    ASSERT_EQ(m.alert().id(), "A" + std::to_string(i));
  }
  const auto stats = on_loop([&] { return server->stats(); });
  EXPECT_EQ(stats.dropped_slow, 1u);
  EXPECT_EQ(stats.clients, 1u);
}

TEST_F(WebSocketTest, AnotherSitesPageIsRefused) {
  try {
    page("http://evil.example");
    FAIL() << "handshake accepted";
  } catch (const boost::system::system_error& e) {
    EXPECT_EQ(e.code(), ws::error::upgrade_declined) << e.what();
  }
  EXPECT_EQ(on_loop([&] { return server->stats().accepted; }), 0u);
}

TEST_F(WebSocketTest, OversizedOrUnreadableFirstMessagesClose) {
  for (const std::string& first :
       {std::string(5000, ' '), std::string("{not json"), std::string(R"({"heartbeat":{}})")}) {
    auto client = page("");
    client->write(asio::buffer(first));
    beast::flat_buffer buffer;
    boost::system::error_code ec;
    client->read(buffer, ec);
    EXPECT_TRUE(ec) << "still open after " << first.substr(0, 20);
  }
  EXPECT_EQ(on_loop([&] { return server->stats().protocol_errors; }), 3u);
}

}  // namespace
}  // namespace vigil::web
