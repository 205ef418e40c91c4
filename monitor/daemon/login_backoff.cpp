#include "daemon/login_backoff.hpp"

#include <algorithm>

namespace vigil::daemon {

namespace {
using std::chrono::duration_cast;
using std::chrono::milliseconds;
}  // namespace

LoginBackoff::LoginBackoff(LoginBackoffOptions options, Clock now)
    : options_(options), now_(std::move(now)) {}

milliseconds LoginBackoff::check(const std::string& address) {
  auto it = addresses_.find(address);
  if (it == addresses_.end()) return milliseconds(0);
  const auto now = now_();
  if (now >= it->second.locked_until) return milliseconds(0);
  ++counters_.locked_refusals;
  // Rounded up: "retry in 0 s" would invite an immediate retry that is refused again.
  return std::max(milliseconds(1), duration_cast<milliseconds>(it->second.locked_until - now));
}

milliseconds LoginBackoff::failed(const std::string& address) {
  ++counters_.failures;
  if (!addresses_.count(address)) make_room();
  Entry& e = addresses_[address];
  const auto now = now_();
  e.last_failure = now;
  ++e.failures;
  if (e.failures <= options_.free_failures) return milliseconds(0);
  // Doubling per failure past the free ones; the shift is capped so it cannot overflow.
  const std::uint32_t steps = std::min<std::uint32_t>(e.failures - options_.free_failures - 1, 30);
  const auto delay =
      std::min<std::chrono::seconds>(options_.max_delay, options_.first_delay * (1LL << steps));
  e.locked_until = now + delay;
  return duration_cast<milliseconds>(delay);
}

void LoginBackoff::succeeded(const std::string& address) { addresses_.erase(address); }

void LoginBackoff::make_room() {
  if (addresses_.size() < options_.max_addresses) return;
  const auto now = now_();
  // An address whose lockout has passed and that has been quiet for a whole maximum delay
  // has lost nothing worth keeping.
  for (auto it = addresses_.begin(); it != addresses_.end();) {
    const bool stale = now >= it->second.locked_until && now - it->second.last_failure >= options_.max_delay;
    if (stale) {
      it = addresses_.erase(it);
      ++counters_.evictions;
    } else {
      ++it;
    }
  }
  if (addresses_.size() < options_.max_addresses || addresses_.empty()) return;
  auto oldest = std::min_element(addresses_.begin(), addresses_.end(), [](const auto& a, const auto& b) {
    return a.second.last_failure < b.second.last_failure;
  });
  addresses_.erase(oldest);
  ++counters_.evictions;
}

}  // namespace vigil::daemon
