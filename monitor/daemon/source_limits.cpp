#include "daemon/source_limits.hpp"

#include <algorithm>
#include <stdexcept>

namespace vigil::daemon {

namespace ip = boost::asio::ip;

namespace {

// The first `bits` bits of two equal-sized byte arrays agree.
template <typename Bytes>
bool same_prefix(const Bytes& a, const Bytes& b, unsigned bits) {
  std::size_t whole = bits / 8;
  for (std::size_t i = 0; i < whole; ++i) {
    if (a[i] != b[i]) return false;
  }
  unsigned rest = bits % 8;
  if (rest == 0) return true;
  const auto mask = static_cast<unsigned char>(0xFFu << (8 - rest));
  return (a[whole] & mask) == (b[whole] & mask);
}

template <typename Bytes>
bool host_bits_zero(const Bytes& a, unsigned bits) {
  for (std::size_t i = 0; i < a.size(); ++i) {
    const unsigned first_bit = static_cast<unsigned>(i) * 8;
    if (first_bit + 8 <= bits) continue;
    const unsigned keep = bits > first_bit ? bits - first_bit : 0;
    const auto host_mask = static_cast<unsigned char>(0xFFu >> keep);
    if (a[i] & host_mask) return false;
  }
  return true;
}

}  // namespace

ip::address source_address(const ip::address& address) {
  if (address.is_v6() && address.to_v6().is_v4_mapped())
    return ip::make_address_v4(ip::v4_mapped, address.to_v6());
  return address;
}

bool is_loopback(const ip::address& address) { return source_address(address).is_loopback(); }

bool AddressPrefix::contains(const ip::address& address) const {
  const ip::address a = source_address(address);
  if (a.is_v4() != network.is_v4()) return false;
  if (a.is_v4()) return same_prefix(a.to_v4().to_bytes(), network.to_v4().to_bytes(), length);
  return same_prefix(a.to_v6().to_bytes(), network.to_v6().to_bytes(), length);
}

AddressPrefix parse_address_prefix(const std::string& text) {
  const auto slash = text.find('/');
  const std::string host = text.substr(0, slash);
  boost::system::error_code ec;
  ip::address address = ip::make_address(host, ec);
  if (ec)
    throw std::invalid_argument("'" + text + "' is not an IP address or CIDR prefix (e.g. 10.1.2.0/24)");
  if (address.is_v6() && address.to_v6().scope_id() != 0)
    throw std::invalid_argument("'" + text + "': zone ids (%eth0) are not supported");
  address = source_address(address);
  const unsigned max_bits = address.is_v4() ? 32 : 128;
  unsigned length = max_bits;
  if (slash != std::string::npos) {
    const std::string bits = text.substr(slash + 1);
    if (bits.empty() || bits.size() > 3 ||
        !std::all_of(bits.begin(), bits.end(), [](char c) { return c >= '0' && c <= '9'; }))
      throw std::invalid_argument("'" + text + "': prefix length must be a number");
    length = static_cast<unsigned>(std::stoul(bits));
    if (length > max_bits)
      throw std::invalid_argument("'" + text + "': prefix length must be 0.." + std::to_string(max_bits));
  }
  const bool zero = address.is_v4() ? host_bits_zero(address.to_v4().to_bytes(), length)
                                    : host_bits_zero(address.to_v6().to_bytes(), length);
  // A typo such as 10.1.2.7/16 would silently allow a network nobody meant: say so.
  if (!zero) throw std::invalid_argument("'" + text + "': address has bits set beyond the prefix length");
  return AddressPrefix{address, length};
}

std::string to_string(const AddressPrefix& prefix) {
  return prefix.network.to_string() + "/" + std::to_string(prefix.length);
}

const char* to_string(Admission admission) {
  switch (admission) {
    case Admission::Admitted: return "admitted";
    case Admission::NotAllowed: return "not in hl7_allow";
    case Admission::TooManyConnections: return "too many connections";
  }
  return "?";
}

SourceLimits::SourceLimits(SourceLimitOptions options, Clock now)
    : options_(std::move(options)), now_(std::move(now)) {}

const SourceLimit& SourceLimits::limit_for(const ip::address& address) const {
  return is_loopback(address) ? options_.loopback : options_.remote;
}

SourceLimits::Source* SourceLimits::find_or_add(const ip::address& address) {
  auto it = sources_.find(address);
  if (it != sources_.end()) return &it->second;
  if (sources_.size() >= options_.max_tracked_sources) {
    // Forget idle sources (no open connection). Their buckets refill and their warnings
    // restart, which only matters to a source that reconnects after this many others.
    for (auto i = sources_.begin(); i != sources_.end();) {
      i = i->second.connections == 0 ? sources_.erase(i) : std::next(i);
    }
    if (sources_.size() >= options_.max_tracked_sources) return nullptr;
  }
  Source& s = sources_[address];
  const auto rate = limit_for(address).max_messages_per_second;
  s.tokens = rate;  // a full bucket: one second's worth of burst
  s.refilled = now_();
  return &s;
}

Verdict SourceLimits::breach(Source* source) {
  Verdict v;
  v.ok = false;
  if (source == nullptr) return v;  // untracked (table full): counted, not logged
  const auto now = now_();
  if (!source->warned || now - source->last_warn >= options_.warn_interval) {
    v.warn = true;
    v.suppressed = source->suppressed;
    source->warned = true;
    source->last_warn = now;
    source->suppressed = 0;
  } else {
    ++source->suppressed;
  }
  return v;
}

Admission SourceLimits::admit(const ip::address& raw, Verdict* verdict) {
  const ip::address address = source_address(raw);
  Verdict local;
  Verdict& out = verdict ? *verdict : local;
  if (!options_.allow.empty() && std::none_of(options_.allow.begin(), options_.allow.end(),
                                              [&](const AddressPrefix& p) { return p.contains(address); })) {
    ++counters_.not_allowed;
    out = breach(find_or_add(address));
    return Admission::NotAllowed;
  }
  Source* source = find_or_add(address);
  const std::size_t max = limit_for(address).max_connections;
  if (source == nullptr || (max != 0 && source->connections >= max)) {
    ++counters_.too_many_connections;
    out = breach(source);
    return Admission::TooManyConnections;
  }
  ++source->connections;
  out = Verdict{};
  return Admission::Admitted;
}

void SourceLimits::release(const ip::address& raw) {
  auto it = sources_.find(source_address(raw));
  if (it != sources_.end() && it->second.connections > 0) --it->second.connections;
}

Verdict SourceLimits::take_message(const ip::address& raw) {
  const ip::address address = source_address(raw);
  const std::uint32_t rate = limit_for(address).max_messages_per_second;
  if (rate == 0) return {};
  Source* source = find_or_add(address);
  if (source == nullptr) return {};  // only admitted sources send, and they are tracked
  const auto now = now_();
  const double elapsed = std::chrono::duration<double>(now - source->refilled).count();
  source->refilled = now;
  if (elapsed > 0) source->tokens = std::min<double>(rate, source->tokens + elapsed * rate);
  if (source->tokens >= 1.0) {
    source->tokens -= 1.0;
    return {};
  }
  ++counters_.rate_limited;
  return breach(source);
}

std::size_t SourceLimits::connections(const ip::address& address) const {
  auto it = sources_.find(source_address(address));
  return it == sources_.end() ? 0 : it->second.connections;
}

SourceLease::SourceLease(std::shared_ptr<SourceLimits> limits, ip::address address)
    : limits_(std::move(limits)), address_(std::move(address)) {}

SourceLease::~SourceLease() {
  if (limits_) limits_->release(address_);
}

SourceLease::SourceLease(SourceLease&& other) noexcept
    : limits_(std::move(other.limits_)), address_(other.address_) {
  other.limits_.reset();
}

SourceLease& SourceLease::operator=(SourceLease&& other) noexcept {
  if (this != &other) {
    if (limits_) limits_->release(address_);
    limits_ = std::move(other.limits_);
    address_ = other.address_;
    other.limits_.reset();
  }
  return *this;
}

Verdict SourceLease::take_message() { return limits_ ? limits_->take_message(address_) : Verdict{}; }

}  // namespace vigil::daemon
