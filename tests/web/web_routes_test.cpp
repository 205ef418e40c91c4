// The web view's static routes and the WebSocket origin check, without sockets.
#include <gtest/gtest.h>

#include <set>

#include "web/web_routes.hpp"

namespace vigil::web {
namespace {

std::string header(const http::HttpAnswer& a, const std::string& name) {
  for (const auto& [n, v] : a.headers)
    if (n == name) return v;
  return "";
}

TEST(WebRoutes, EveryPageFileIsEmbeddedWithItsType) {
  std::set<std::string> paths;
  for (const auto& f : static_files()) {
    paths.insert(std::string(f.path));
    EXPECT_FALSE(f.bytes.empty()) << f.path;
  }
  for (const char* p :
       {"/index.html", "/app.js", "/app.css", "/ward.js", "/tones.js", "/stream_link.js", "/escalation.js"})
    EXPECT_TRUE(paths.count(p)) << p;
  EXPECT_EQ(content_type_for("/app.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(content_type_for("/app.css"), "text/css; charset=utf-8");
  EXPECT_EQ(content_type_for("/index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(content_type_for("/x.bin"), "application/octet-stream");
}

TEST(WebRoutes, RootIsTheIndexWithASelfOnlyPolicy) {
  const auto root = static_answer("/");
  ASSERT_TRUE(root);
  EXPECT_EQ(root->status, 200u);
  EXPECT_EQ(root->content_type, "text/html; charset=utf-8");
  EXPECT_NE(root->body.find("<script type=\"module\" src=\"/app.js\">"), std::string::npos);
  EXPECT_EQ(root->body, static_answer("/index.html")->body);
  const std::string csp = header(*root, "Content-Security-Policy");
  EXPECT_NE(csp.find("default-src 'self'"), std::string::npos) << csp;
  EXPECT_NE(csp.find("script-src 'self'"), std::string::npos) << csp;
  EXPECT_EQ(csp.find("unsafe"), std::string::npos) << csp;
  EXPECT_EQ(header(*root, "X-Content-Type-Options"), "nosniff");
  EXPECT_EQ(root->cache_control, "no-cache");
  EXPECT_FALSE(static_answer("/nope.js"));
  EXPECT_FALSE(static_answer("/../etc/passwd"));
}

TEST(WebRoutes, NoFileReachesOutsideThisOrigin) {
  // No CDN, no other host: nothing embedded names http(s):// (an SVG's own namespace aside).
  for (const auto& f : static_files()) {
    if (f.path == "/favicon.svg") continue;
    EXPECT_EQ(f.bytes.find("https://"), std::string::npos) << f.path;
    EXPECT_EQ(f.bytes.find("http://"), std::string::npos) << f.path;
  }
}

http::UpgradeRequest upgrade(const std::string& host, const std::string& origin) {
  http::UpgradeRequest r{boost::beast::http::verb::get, "/stream", 11};
  if (!host.empty()) r.set(boost::beast::http::field::host, host);
  if (!origin.empty()) r.set(boost::beast::http::field::origin, origin);
  return r;
}

TEST(WebRoutes, WebSocketOnlyFromItsOwnPage) {
  EXPECT_FALSE(vet_websocket_origin(upgrade("127.0.0.1:7421", "")));  // not a browser
  EXPECT_FALSE(vet_websocket_origin(upgrade("127.0.0.1:7421", "http://127.0.0.1:7421")));
  EXPECT_FALSE(vet_websocket_origin(upgrade("Vigil.Clinic:7421", "https://vigil.clinic:7421")));
  for (const char* other : {"http://evil.example", "http://127.0.0.1:8080", "null", "127.0.0.1:7421",
                            "https://127.0.0.1:7421.evil"}) {
    const auto refused = vet_websocket_origin(upgrade("127.0.0.1:7421", other));
    ASSERT_TRUE(refused) << other;
    EXPECT_EQ(refused->status, 403u);
  }
  EXPECT_TRUE(vet_websocket_origin(upgrade("", "http://127.0.0.1:7421")));  // no Host: nothing to match
}

}  // namespace
}  // namespace vigil::web
