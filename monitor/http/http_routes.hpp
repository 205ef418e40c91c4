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
#include <boost/beast/http/verb.hpp>
// clang-format on

#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace vigil::http {

struct HttpAnswer {
  unsigned status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  std::string allow;  // the Allow header, set on 405
};

class HttpRoutes {
 public:
  using Endpoint = std::function<HttpAnswer()>;

  void add(std::string path, Endpoint endpoint);
  // Never throws for outside input: an endpoint that throws answers 500.
  HttpAnswer answer(boost::beast::http::verb method, std::string_view target) const;

 private:
  std::map<std::string, Endpoint, std::less<>> endpoints_;
};

}  // namespace vigil::http
