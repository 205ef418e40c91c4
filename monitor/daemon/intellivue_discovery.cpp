#include "daemon/intellivue_discovery.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/ip/address.hpp>

namespace vigil::daemon {

namespace asio = boost::asio;

namespace {

// One line a minute at most: a misconfigured neighbour broadcasting to 24005 must not
// fill the journal.
constexpr std::int64_t kJunkLogEveryMs = 60'000;

std::string discovery_endpoint_text(const asio::ip::udp::endpoint& e) {
  const auto a = e.address();
  return (a.is_v6() ? "[" + a.to_string() + "]" : a.to_string()) + ":" + std::to_string(e.port());
}

}  // namespace

IntelliVueDiscovery::IntelliVueDiscovery(asio::io_context& io, const ListenAddress& at, WallNow wall_now,
                                         std::vector<IntelliVueSpec> configured)
    : socket_(io), wall_now_(std::move(wall_now)), configured_(std::move(configured)) {
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(at.host, ec);
  if (ec)
    throw ConfigError("--intellivue-discover: '" + at.host + "' is not an IP address (e.g. 0.0.0.0:24005)");
  const asio::ip::udp::endpoint endpoint(address, at.port);
  socket_.open(endpoint.protocol(), ec);
  // Several listeners (another tool on the same host) may share the broadcast port.
  if (!ec) socket_.set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) socket_.bind(endpoint, ec);
  if (ec)
    throw ConfigError("--intellivue-discover: cannot listen on " + discovery_endpoint_text(endpoint) + ": " +
                      ec.message());
  local_ = socket_.local_endpoint();
}

void IntelliVueDiscovery::start() {
  spdlog::info("intellivue discovery: listening for Connect Indications on udp {}",
               discovery_endpoint_text(local_));
  receive();
}

void IntelliVueDiscovery::stop() {
  stopped_ = true;
  boost::system::error_code ignored;
  socket_.close(ignored);
}

void IntelliVueDiscovery::receive() {
  socket_.async_receive_from(asio::buffer(buf_), from_,
                             [this](const boost::system::error_code& ec, std::size_t n) {
                               if (stopped_ || ec == asio::error::operation_aborted) return;
                               if (ec) {
                                 // e.g. ICMP errors reported on a UDP socket: nothing to do but listen on.
                                 ++counters_.receive_errors;
                                 spdlog::debug("intellivue discovery: receive: {}", ec.message());
                               } else {
                                 on_datagram(n);
                               }
                               receive();
                             });
}

void IntelliVueDiscovery::note_junk(std::string_view what) {
  ++counters_.junk;
  const std::int64_t now = wall_now_();
  if (junk_logged_ && now - junk_logged_ms_ < kJunkLogEveryMs) return;
  junk_logged_ = true;
  junk_logged_ms_ = now;
  spdlog::warn("intellivue discovery: ignored a datagram from {} ({}); {} ignored so far",
               from_.address().to_string(), what, counters_.junk);
}

void IntelliVueDiscovery::on_datagram(std::size_t size) {
  if (size >= buf_.size()) return note_junk("too long for a Connect Indication");
  const auto result = intellivue::decode_connect_indication(std::string_view(buf_.data(), size));
  if (!result.ok())
    return note_junk("not a Connect Indication: " + std::string(intellivue::to_string(result.error)));
  ++counters_.announcements;
  const auto [row, fresh] =
      table_.seen(result.indication, from_.address().to_string(), from_.port(), wall_now_());
  if (!fresh) return;
  spdlog::info(
      "intellivue discovery: monitor {}:{}{} announced from {}; to monitor it: --intellivue BED={}:{}",
      row->address, row->port, row->model.empty() ? "" : " (" + row->model + ")", row->sender, row->address,
      row->port);
}

std::vector<proto::DiscoveredMonitor> IntelliVueDiscovery::to_proto() const {
  std::vector<proto::DiscoveredMonitor> out;
  for (const DiscoveredMonitor& m : table_.list()) {
    proto::DiscoveredMonitor p;
    p.set_address(m.address);
    p.set_port(m.port);
    p.set_sender(m.sender);
    p.set_model(m.model);
    if (m.system_type) p.set_system_type(*m.system_type);
    p.set_mac(m.mac);
    p.set_first_seen_ms(m.first_seen_ms);
    p.set_last_seen_ms(m.last_seen_ms);
    p.set_count(m.count);
    for (const IntelliVueSpec& spec : configured_)
      if (spec.host == m.address && spec.port == m.port) p.set_configured_bed(spec.bed);
    out.push_back(std::move(p));
  }
  return out;
}

}  // namespace vigil::daemon
