#pragma once
// Per-source accounting for the HL7 listener: who may connect (an allow-list of addresses
// and CIDR prefixes), how many connections each source address may hold, and how many
// messages per second it may send (a token bucket per address). Pure: no sockets, no
// logging; time comes from an injected clock so tests step it exactly.
//
//   accept --admit(addr)--> Admitted | NotAllowed | TooManyConnections
//   each message --take_message(addr)--> allowed, or over the rate (answered AR by the caller)
//   close --release(addr)
//
// A source is an IP address (IPv4-mapped IPv6 addresses count as the IPv4 address): every
// connection from one monitor, or from one NAT gateway, shares its limits.
//
// Threading: not thread-safe; the daemon uses it on its io thread only.

#include <boost/asio/ip/address.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace vigil::daemon {

/// An address prefix: "10.1.2.0/24", "fd00::/8", or one address ("10.1.2.7" = /32).
struct AddressPrefix {
  boost::asio::ip::address network;
  unsigned length = 0;  // prefix bits
  /// True if `address` (v4-mapped v6 taken as v4) lies inside this prefix.
  bool contains(const boost::asio::ip::address& address) const;
};

/// Parses an address or CIDR prefix; throws std::invalid_argument with a one-line reason
/// (bad address, length out of range, host bits set).
AddressPrefix parse_address_prefix(const std::string& text);

/// "10.1.2.0/24", "fd00::/8".
std::string to_string(const AddressPrefix& prefix);

/// The address a source is known by: v4-mapped v6 (::ffff:10.1.2.3) becomes 10.1.2.3.
boost::asio::ip::address source_address(const boost::asio::ip::address& address);

/// 127.0.0.0/8, ::1, or either v4-mapped.
bool is_loopback(const boost::asio::ip::address& address);

/// Limits for one class of source. 0 means unlimited.
struct SourceLimit {
  std::size_t max_connections = 0;
  std::uint32_t max_messages_per_second = 0;
};

struct SourceLimitOptions {
  std::vector<AddressPrefix> allow;  // empty: any source may connect
  SourceLimit remote;                // sources beyond this host
  SourceLimit loopback;              // 127.0.0.0/8 and ::1 (local tools, SSH tunnels)
  // At most one warning per source this often; breaches in between are only counted.
  std::chrono::steady_clock::duration warn_interval = std::chrono::seconds(10);
  // Bound on remembered sources; must exceed the listener's connection limit.
  std::size_t max_tracked_sources = 65536;
};

/// Breaches, counted since start.
struct SourceLimitCounters {
  std::uint64_t not_allowed = 0;           // connections from outside the allow-list
  std::uint64_t too_many_connections = 0;  // connections over the per-source limit
  std::uint64_t rate_limited = 0;          // messages over the per-source rate (answered AR)
};

enum class Admission { Admitted, NotAllowed, TooManyConnections };

/// "admitted", "not in hl7_allow", "too many connections".
const char* to_string(Admission admission);

/// A breach and whether the caller should log it now.
struct Verdict {
  bool ok = true;
  bool warn = false;             // first breach from this source in warn_interval
  std::uint64_t suppressed = 0;  // breaches from this source not logged since the last warning
};

class SourceLimits {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  SourceLimits(SourceLimitOptions options, Clock now);

  /// A new connection from `address`: counted against its source when admitted.
  Admission admit(const boost::asio::ip::address& address, Verdict* verdict = nullptr);
  /// A connection admitted earlier has closed.
  void release(const boost::asio::ip::address& address);
  /// One message from `address`: ok=false when over its rate (nothing is consumed then).
  Verdict take_message(const boost::asio::ip::address& address);

  const SourceLimitCounters& counters() const { return counters_; }
  const SourceLimitOptions& options() const { return options_; }
  /// Connections currently counted for `address`.
  std::size_t connections(const boost::asio::ip::address& address) const;
  std::size_t tracked_sources() const { return sources_.size(); }

 private:
  struct Source {
    std::size_t connections = 0;
    double tokens = 0;
    std::chrono::steady_clock::time_point refilled{};
    std::chrono::steady_clock::time_point last_warn{};
    bool warned = false;
    std::uint64_t suppressed = 0;
  };
  const SourceLimit& limit_for(const boost::asio::ip::address& address) const;
  Source* find_or_add(const boost::asio::ip::address& address);
  Verdict breach(Source* source);

  SourceLimitOptions options_;
  Clock now_;
  std::map<boost::asio::ip::address, Source> sources_;
  SourceLimitCounters counters_;
};

/// One admitted connection's hold on its source: releases it when destroyed. Move-only.
class SourceLease {
 public:
  SourceLease() = default;
  SourceLease(std::shared_ptr<SourceLimits> limits, boost::asio::ip::address address);
  ~SourceLease();
  SourceLease(SourceLease&& other) noexcept;
  SourceLease& operator=(SourceLease&& other) noexcept;
  SourceLease(const SourceLease&) = delete;
  SourceLease& operator=(const SourceLease&) = delete;

  /// take_message for this connection's source; always ok for an empty lease.
  Verdict take_message();
  const boost::asio::ip::address& address() const { return address_; }

 private:
  std::shared_ptr<SourceLimits> limits_;
  boost::asio::ip::address address_;
};

}  // namespace vigil::daemon
