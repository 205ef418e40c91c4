#include "http/http_routes.hpp"

#include <exception>

namespace vigil::http {

namespace verb_ns = boost::beast::http;

void HttpRoutes::add(std::string path, Endpoint endpoint) {
  endpoints_[std::move(path)] = std::move(endpoint);
}

void HttpRoutes::add_upgrade(std::string path, Upgrade upgrade) {
  upgrades_[std::move(path)] = std::move(upgrade);
}

const Upgrade* HttpRoutes::upgrade_for(std::string_view target) const {
  const auto it = upgrades_.find(target.substr(0, target.find('?')));
  return it == upgrades_.end() ? nullptr : &it->second;
}

HttpAnswer HttpRoutes::answer(verb_ns::verb method, std::string_view target) const {
  if (method != verb_ns::verb::get && method != verb_ns::verb::head) {
    HttpAnswer refused;
    refused.status = 405;
    refused.body = "method not allowed: this port serves GET and HEAD only\n";
    refused.allow = "GET, HEAD";
    return refused;
  }
  const std::string_view path = target.substr(0, target.find('?'));
  const auto it = endpoints_.find(path);
  if (it == endpoints_.end()) {
    HttpAnswer missing;
    missing.status = 404;
    missing.body = "not found: try /healthz or /metrics\n";
    return missing;
  }
  try {
    return it->second();
  } catch (const std::exception& e) {
    // A gatherer that fails (a bug) must not take the daemon down with it.
    HttpAnswer failed;
    failed.status = 500;
    failed.body = std::string("internal error: ") + e.what() + "\n";
    return failed;
  }
}

}  // namespace vigil::http
