#pragma once
// The IntelliVue monitors heard announcing themselves (Connect Indications on the discovery
// port): what `vigilctl devices` lists so a biomedical engineer can find a monitor's address.
//
// Bound: at most `capacity` monitors (256 by default, more than a clinic's LAN holds); a new
// one past that evicts the one heard least recently, so a flood of forged announcements
// can push out real monitors but never grow the table. A monitor is one (address, port):
// the same monitor announcing again updates its row.
//
// Threading: none; the discovery socket's io thread owns it. Time comes in as arguments.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "intellivue/messages.hpp"

namespace vigil::daemon {

struct DiscoveredMonitor {
  std::string address;     // the announced IPv4 address; the sender's when none announced
  std::uint16_t port = 0;  // the announced association port; 24105 when none announced
  std::string sender;      // where the datagram came from, "IP:PORT"
  std::string model;       // "Philips M8007A"; empty when not announced
  std::optional<std::uint32_t> system_type;
  std::string mac;  // "00:09:fb:01:02:03"; empty when no address was announced
  std::int64_t first_seen_ms = 0;
  std::int64_t last_seen_ms = 0;
  std::uint64_t count = 0;  // announcements heard
};

class DiscoveredMonitors {
 public:
  static constexpr std::size_t kDefaultCapacity = 256;
  explicit DiscoveredMonitors(std::size_t capacity = kDefaultCapacity);

  /// Records one decoded announcement from `sender_ip`:`sender_port`; returns the row and
  /// whether it is new (not in the table before).
  std::pair<const DiscoveredMonitor*, bool> seen(const intellivue::ConnectIndication& indication,
                                                 const std::string& sender_ip, std::uint16_t sender_port,
                                                 std::int64_t now_ms);
  /// Every monitor, ordered by address then port.
  std::vector<DiscoveredMonitor> list() const;
  std::size_t size() const { return rows_.size(); }
  std::uint64_t evicted() const { return evicted_; }

 private:
  std::size_t capacity_;
  std::vector<DiscoveredMonitor> rows_;  // linear scans: at most capacity_ rows
  std::uint64_t evicted_ = 0;
};

/// The association port a Connect Indication names (application protocol 1, ACSE), else
/// the Data Export one (5), else nullopt.
std::optional<std::uint16_t> announced_association_port(const intellivue::ConnectIndication& indication);

}  // namespace vigil::daemon
