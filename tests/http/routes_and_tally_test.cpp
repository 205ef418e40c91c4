// Routing without sockets, the bounded ACK tally, the config field and the loop-lag probe.
#include <gtest/gtest.h>

#include <stdexcept>

#include "daemon/ack_tally.hpp"
#include "daemon/settings.hpp"
#include "http/http_routes.hpp"
#include "http/loop_lag.hpp"
#include "net/asio.hpp"
#include "support/asio_pump.hpp"

namespace vigil {
namespace {

namespace bhttp = boost::beast::http;

TEST(HttpRoutes, MethodsPathsQueryAndAThrowingEndpoint) {
  http::HttpRoutes routes;
  routes.add("/metrics", [] {
    http::HttpAnswer a;
    a.body = "m";
    return a;
  });
  routes.add("/boom", []() -> http::HttpAnswer { throw std::runtime_error("gather failed"); });
  EXPECT_EQ(routes.answer(bhttp::verb::get, "/metrics").body, "m");
  EXPECT_EQ(routes.answer(bhttp::verb::head, "/metrics?x").status, 200u);
  EXPECT_EQ(routes.answer(bhttp::verb::get, "/metrics/").status, 404u);
  EXPECT_EQ(routes.answer(bhttp::verb::get, "").status, 404u);
  const auto put = routes.answer(bhttp::verb::put, "/metrics");
  EXPECT_EQ(put.status, 405u);
  EXPECT_EQ(put.allow, "GET, HEAD");
  EXPECT_EQ(routes.answer(bhttp::verb::options, "/nope").status, 405u);
  const auto boom = routes.answer(bhttp::verb::get, "/boom");
  EXPECT_EQ(boom.status, 500u);
  EXPECT_NE(boom.body.find("gather failed"), std::string::npos);
}

TEST(AckTally, CountsByCodeAndSourceWithinItsBounds) {
  daemon::AckTally tally;
  tally.count("EfficiaCM", 0);
  tally.count("EfficiaCM", 0);
  tally.count("EfficiaCM", 2);
  tally.count("", 1);
  EXPECT_EQ(tally.by_source().at("EfficiaCM"), (daemon::AckTally::Counts{2, 0, 1}));
  EXPECT_EQ(tally.by_source().at("unknown"), (daemon::AckTally::Counts{0, 1, 0}));
  for (std::size_t i = 0; i < daemon::AckTally::kMaxSources + 10; ++i)
    tally.count("mon" + std::to_string(i), 0);
  // 256 named (EfficiaCM, unknown and 254 more), then "other" for the rest.
  EXPECT_EQ(tally.by_source().size(), daemon::AckTally::kMaxSources + 1);
  EXPECT_EQ(tally.by_source().at("other")[0], 12u);
  tally.count("EfficiaCM", 1);  // a known source still counts by name
  EXPECT_EQ(tally.by_source().at("EfficiaCM")[1], 1u);
}

TEST(AckTally, LongNamesAreClippedOnACharacterBoundary) {
  const std::string name = std::string(63, 'a') + "\xC3\xA9" + "tail";  // 'é' straddles byte 64
  EXPECT_EQ(daemon::clip_utf8(name, 64), std::string(63, 'a'));
  EXPECT_EQ(daemon::clip_utf8("short", 64), "short");
  daemon::AckTally tally;
  tally.count(std::string(100, 'b'), 0);
  EXPECT_EQ(tally.by_source().begin()->first.size(), daemon::AckTally::kMaxSourceBytes);
}

TEST(HttpSettings, ConfigFieldSetsTheAddressAndBadOnesAreRefused) {
  daemon::Settings settings;
  EXPECT_FALSE(settings.http_listen.has_value());
  daemon::apply_config_text("http_listen: \"127.0.0.1:9100\"", "t.conf", settings);
  ASSERT_TRUE(settings.http_listen.has_value());
  EXPECT_EQ(settings.http_listen->host, "127.0.0.1");
  EXPECT_EQ(settings.http_listen->port, 9100);
  daemon::Settings bad;
  try {
    daemon::apply_config_text("http_listen: \"nonsense\"", "t.conf", bad);
    FAIL() << "accepted a bad http_listen";
  } catch (const daemon::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("http_listen"), std::string::npos) << e.what();
  }
}

TEST(LoopLag, ABlockedLoopShowsAsLag) {
  boost::asio::io_context io;
  http::LoopLagProbe probe(io, std::chrono::milliseconds(10));
  probe.start();
  ASSERT_TRUE(test::pump_until(io, [&] { return probe.max_lag_ms() >= 0 && probe.lag_ms() < 50; }));
  // A handler that holds the loop: the probe's next wake-up comes late by about that much.
  boost::asio::post(io, [] {
    const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(120);
    while (std::chrono::steady_clock::now() < until) {
    }
  });
  ASSERT_TRUE(test::pump_until(io, [&] { return probe.max_lag_ms() >= 80; }));
  probe.stop();
}

}  // namespace
}  // namespace vigil
