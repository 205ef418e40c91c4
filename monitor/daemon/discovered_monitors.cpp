#include "daemon/discovered_monitors.hpp"

#include <algorithm>
#include <cstdio>
#include <tuple>

#include "daemon/intellivue_spec.hpp"

namespace vigil::daemon {

namespace {

std::string dotted_quad(const std::array<std::uint8_t, 4>& ip) {
  return std::to_string(ip[0]) + "." + std::to_string(ip[1]) + "." + std::to_string(ip[2]) + "." +
         std::to_string(ip[3]);
}

std::string mac_text(const std::array<std::uint8_t, 6>& mac) {
  char out[18];
  std::snprintf(out, sizeof out, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4],
                mac[5]);
  return out;
}

}  // namespace

std::optional<std::uint16_t> announced_association_port(const intellivue::ConnectIndication& indication) {
  constexpr std::uint16_t kAcse = 1, kDataExport = 5;
  for (const std::uint16_t wanted : {kAcse, kDataExport}) {
    for (const auto& p : indication.protocols)
      if (p.application_protocol == wanted && p.port_number != 0) return p.port_number;
  }
  return std::nullopt;
}

DiscoveredMonitors::DiscoveredMonitors(std::size_t capacity) : capacity_(std::max<std::size_t>(capacity, 1)) {
  rows_.reserve(std::min<std::size_t>(capacity_, kDefaultCapacity));
}

std::pair<const DiscoveredMonitor*, bool> DiscoveredMonitors::seen(
    const intellivue::ConnectIndication& indication, const std::string& sender_ip, std::uint16_t sender_port,
    std::int64_t now_ms) {
  // An all-zero address is a monitor that has none yet (DHCP pending): the sender's is real.
  const bool has_address =
      indication.address && indication.address->ip != std::array<std::uint8_t, 4>{0, 0, 0, 0};
  const std::string address = has_address ? dotted_quad(indication.address->ip) : sender_ip;
  const std::uint16_t port = announced_association_port(indication).value_or(kIntelliVueDefaultPort);
  auto row = std::find_if(rows_.begin(), rows_.end(),
                          [&](const DiscoveredMonitor& m) { return m.address == address && m.port == port; });
  const bool fresh = row == rows_.end();
  if (fresh) {
    if (rows_.size() >= capacity_) {
      auto oldest = std::min_element(rows_.begin(), rows_.end(), [](const auto& a, const auto& b) {
        return a.last_seen_ms < b.last_seen_ms;
      });
      rows_.erase(oldest);
      ++evicted_;
    }
    DiscoveredMonitor m;
    m.address = address;
    m.port = port;
    m.first_seen_ms = now_ms;
    rows_.push_back(std::move(m));
    row = rows_.end() - 1;
  }
  row->sender = sender_ip + ":" + std::to_string(sender_port);
  if (indication.model) {
    const auto& md = *indication.model;
    row->model = md.manufacturer.empty()   ? md.model_number
                 : md.model_number.empty() ? md.manufacturer
                                           : md.manufacturer + " " + md.model_number;
  }
  if (indication.system_type) row->system_type = indication.system_type;
  if (indication.address) row->mac = mac_text(indication.address->mac);
  row->last_seen_ms = now_ms;
  ++row->count;
  return {&*row, fresh};
}

std::vector<DiscoveredMonitor> DiscoveredMonitors::list() const {
  std::vector<DiscoveredMonitor> out = rows_;
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return std::tie(a.address, a.port) < std::tie(b.address, b.port);
  });
  return out;
}

}  // namespace vigil::daemon
