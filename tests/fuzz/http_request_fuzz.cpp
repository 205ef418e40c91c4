// libFuzzer target: the health port's request handling on arbitrary bytes: Beast's request
// parser set up as HttpServer sets it (header limit, no body), then HttpRoutes on whatever
// method and target it yields. Every input must end as a parse error or an answer with a
// status the server sends (200, 404, 405); nothing else (no crash, no exception).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

// clang-format off
#include <utility>
#include <boost/beast/http.hpp>
// clang-format on

#include "http/http_routes.hpp"
#include "http/http_server.hpp"

namespace {

const vigil::http::HttpRoutes& fuzz_routes() {
  static const vigil::http::HttpRoutes routes = [] {
    vigil::http::HttpRoutes r;
    r.add("/healthz", [] { return vigil::http::HttpAnswer{}; });
    r.add("/metrics", [] { return vigil::http::HttpAnswer{}; });
    return r;
  }();
  return routes;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace bhttp = boost::beast::http;
  bhttp::request_parser<bhttp::empty_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(vigil::http::HttpServerOptions{}.header_limit));
  // Fed in two pieces, as a socket might deliver it (the split point comes from the input);
  // unconsumed bytes are presented again with the next piece, as async_read does.
  const std::size_t split = size > 0 ? data[0] % (size + 1) : 0;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string pending;
  boost::beast::error_code ec;
  for (const std::string_view piece : {input.substr(0, split), input.substr(split)}) {
    pending.append(piece);
    while (!pending.empty() && !parser.is_done()) {
      ec = {};
      const std::size_t n = parser.put(boost::asio::buffer(pending), ec);
      pending.erase(0, n);
      if (ec == bhttp::error::need_more) {
        ec = {};
        break;
      }
      if (ec) return 0;
      if (n == 0) break;
    }
  }
  if (!parser.is_done()) return 0;
  const auto& request = parser.get();
  const auto target = request.target();
  const auto answer = fuzz_routes().answer(request.method(), std::string_view(target.data(), target.size()));
  if (answer.status != 200 && answer.status != 404 && answer.status != 405) __builtin_trap();
  return 0;
}
