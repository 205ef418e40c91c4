#pragma once
// What the daemon's HTTP port answers, without sockets: a request line in, a response out.
//
//   GET|HEAD <known path>[?query]  ──► the endpoint's answer (HEAD: same headers, no body)
//   GET|HEAD <other path>          ──► 404
//   any other method               ──► 405, Allow: GET, HEAD
//
// The query string is ignored (Prometheus sends none; a browser may add one).
//
// Threading: endpoints run on the caller's thread (the daemon's io thread): each must be
// quick and must not block (no database query, no file read beyond a stat).

// <ostream> first: Boost 1.74's beast/http/verb.hpp streams a string_view without including it.
// clang-format off
#include <ostream>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/verb.hpp>
// clang-format on

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "net/link_socket.hpp"

namespace vigil::http {

struct HttpAnswer {
  unsigned status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::string allow;  // the Allow header, set on 405
  // Dynamic answers must never be cached; static files may be revalidated (web/).
  std::string cache_control = "no-store";
  std::vector<std::pair<std::string, std::string>> headers;  // more: Content-Security-Policy, ...
};

// A request that asks to switch protocols (WebSocket): the route takes over the connection.
using UpgradeRequest = boost::beast::http::request<boost::beast::http::empty_body>;
struct Upgrade {
  // Checked first (the Origin of a browser's WebSocket, ...): an answer refuses the upgrade
  // with it; nullopt lets it through. May be empty.
  std::function<std::optional<HttpAnswer>(const UpgradeRequest&)> vet;
  // Takes over the connection (TLS already done) and the request.
  std::function<void(net::LinkSocket socket, UpgradeRequest request)> take;
};

class HttpRoutes {
 public:
  using Endpoint = std::function<HttpAnswer()>;

  void add(std::string path, Endpoint endpoint);
  // A path whose GET with "Upgrade: websocket" hands the connection and the request to
  // `upgrade` (unless its vet refuses), on the io thread; the HTTP server forgets the
  // connection. A GET without the upgrade header is answered by add()'s endpoint, if any.
  void add_upgrade(std::string path, Upgrade upgrade);
  // The upgrade route for a request target (query ignored), or null.
  const Upgrade* upgrade_for(std::string_view target) const;
  // Never throws for outside input: an endpoint that throws answers 500.
  HttpAnswer answer(boost::beast::http::verb method, std::string_view target) const;

 private:
  std::map<std::string, Endpoint, std::less<>> endpoints_;
  std::map<std::string, Upgrade, std::less<>> upgrades_;
};

}  // namespace vigil::http
