#include "web/web_routes.hpp"

#include <algorithm>
#include <cctype>

#include "web/websocket_session.hpp"

namespace vigil::web {

namespace {

// Only this origin: scripts, styles, the WebSocket ('self' covers ws:/wss: to the same host
// in CSP level 3), no plugins, no framing by another site.
constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

bool ends_with_text(std::string_view text, std::string_view tail) {
  return text.size() >= tail.size() && text.substr(text.size() - tail.size()) == tail;
}

std::string lower_text(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
  return out;
}

}  // namespace

std::string_view content_type_for(std::string_view path) {
  if (ends_with_text(path, ".html")) return "text/html; charset=utf-8";
  if (ends_with_text(path, ".js")) return "text/javascript; charset=utf-8";
  if (ends_with_text(path, ".css")) return "text/css; charset=utf-8";
  if (ends_with_text(path, ".svg")) return "image/svg+xml";
  if (ends_with_text(path, ".json") || ends_with_text(path, ".webmanifest")) return "application/json";
  return "application/octet-stream";
}

std::optional<http::HttpAnswer> static_answer(std::string_view path) {
  if (path == "/") path = "/index.html";
  for (const StaticFile& file : static_files()) {
    if (file.path != path) continue;
    http::HttpAnswer answer;
    answer.content_type = std::string(content_type_for(path));
    answer.body = std::string(file.bytes);
    answer.cache_control = "no-cache";
    answer.headers = {{"Content-Security-Policy", std::string(kContentSecurityPolicy)},
                      {"X-Content-Type-Options", "nosniff"},
                      {"Referrer-Policy", "no-referrer"}};
    return answer;
  }
  return std::nullopt;
}

std::optional<http::HttpAnswer> vet_websocket_origin(const http::UpgradeRequest& request) {
  const auto origin_field = request[boost::beast::http::field::origin];
  if (origin_field.empty()) return std::nullopt;
  std::string origin = lower_text(std::string_view(origin_field.data(), origin_field.size()));
  const auto host_field = request[boost::beast::http::field::host];
  const std::string host = lower_text(std::string_view(host_field.data(), host_field.size()));
  for (std::string_view scheme : {"http://", "https://"}) {
    if (origin.rfind(scheme, 0) == 0) {
      origin.erase(0, scheme.size());
      if (!host.empty() && origin == host) return std::nullopt;
      break;
    }
  }
  http::HttpAnswer refused;
  refused.status = 403;
  refused.body = "forbidden: a WebSocket to this daemon must come from its own page\n";
  return refused;
}

void add_web_routes(http::HttpRoutes& routes, stream::StreamServer& stream) {
  for (const StaticFile& file : static_files()) {
    const std::string path(file.path);
    routes.add(path, [path] { return *static_answer(path); });
    if (path == "/index.html") routes.add("/", [path] { return *static_answer(path); });
  }
  routes.add("/stream", [] {
    http::HttpAnswer answer;
    answer.status = 426;
    answer.body = "upgrade required: /stream is the web view's WebSocket\n";
    answer.headers = {{"Upgrade", "websocket"}};
    return answer;
  });
  http::Upgrade upgrade;
  upgrade.vet = vet_websocket_origin;
  upgrade.take = [&stream](net::LinkSocket socket, http::UpgradeRequest request) {
    boost::system::error_code ec;
    const auto remote = socket.tcp().remote_endpoint(ec);
    const std::string from = ec ? std::string("unknown") : remote.address().to_string();
    // The factory runs inside adopt(): the socket and request are moved in exactly once.
    const bool adopted = stream.adopt(from, [&](std::uint64_t id, const stream::StreamPeer::Limits& limits,
                                                stream::StreamPeer::Callbacks callbacks) {
      return std::make_shared<WebSocketSession>(std::move(socket), std::move(request), id, limits,
                                                std::move(callbacks));
    });
    if (!adopted) socket.close();
  };
  routes.add_upgrade("/stream", std::move(upgrade));
}

}  // namespace vigil::web
