#pragma once
// Per-address backoff for failed stream logins: a guesser gets a few tries, then every
// further failure locks its address out for twice as long as the last (1 s, 2 s, 4 s ...
// up to a maximum). While locked out a login is refused without looking at the token, so
// guessing speed is bounded by the delay, not by how fast the daemon hashes. Pure: no
// sockets, no logging; time comes from an injected clock so tests step it exactly.
//
//   hello from A --check(A)--> Locked (refuse: "too many failed logins ...") | Open
//   Open + wrong credential --failed(A)--> count; past free_failures: locked for delay
//   Open + good credential --succeeded(A)--> A forgotten
//
// The table of addresses is bounded (max_addresses): when full, entries whose lockout has
// passed are dropped first, then the oldest; an evicted guesser starts again at its free
// tries, which only helps one that rotates through more addresses than the table holds.
//
// Threading: not thread-safe; the daemon uses it on its io thread only.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <string>

namespace vigil::daemon {

struct LoginBackoffOptions {
  std::uint32_t free_failures = 5;  // failures before the first lockout
  std::chrono::seconds first_delay{1};
  std::chrono::seconds max_delay{300};
  std::size_t max_addresses = 4096;
};

struct LoginBackoffCounters {
  std::uint64_t failures = 0;         // wrong credentials seen
  std::uint64_t locked_refusals = 0;  // logins refused because their address was locked out
  std::uint64_t evictions = 0;        // addresses dropped from a full table
};

class LoginBackoff {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  LoginBackoff(LoginBackoffOptions options, Clock now);

  // Zero when `address` may try now; else how long it is still locked out. Counts a
  // locked refusal.
  std::chrono::milliseconds check(const std::string& address);
  // A wrong credential from `address`; returns the lockout it now has (zero while its free
  // tries last).
  std::chrono::milliseconds failed(const std::string& address);
  // A good credential: the address starts afresh.
  void succeeded(const std::string& address);

  const LoginBackoffCounters& counters() const { return counters_; }
  std::size_t tracked() const { return addresses_.size(); }

 private:
  struct Entry {
    std::uint32_t failures = 0;
    std::chrono::steady_clock::time_point locked_until{};
    std::chrono::steady_clock::time_point last_failure{};
  };
  void make_room();

  LoginBackoffOptions options_;
  Clock now_;
  std::map<std::string, Entry> addresses_;
  LoginBackoffCounters counters_;
};

}  // namespace vigil::daemon
