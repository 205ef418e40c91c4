#include "sim/intellivue_announcer.hpp"

#include <stdexcept>

#include "intellivue/monitor_side.hpp"
#include "net/host_port.hpp"

namespace vigil::sim {

namespace asio = boost::asio;

IvAnnouncer::IvAnnouncer(asio::io_context& io, const std::string& target, const std::string& from_ip,
                         std::uint16_t association_port, std::uint64_t seed, std::chrono::milliseconds period)
    : socket_(io), timer_(io), period_(period) {
  const auto host_port = net::parse_host_port(target);
  boost::system::error_code ec;
  const auto address = host_port ? asio::ip::make_address(host_port->first, ec) : asio::ip::address();
  if (!host_port || ec) throw std::runtime_error("--iv-announce must be IP:PORT, got '" + target + "'");
  target_ = asio::ip::udp::endpoint(address, host_port->second);
  const auto from = asio::ip::make_address(from_ip, ec);
  socket_.open(target_.protocol());
  // From the monitor's own address, so vigild sees the sender a LAN would show it.
  if (!ec && from.is_v4() == target_.address().is_v4()) socket_.bind(asio::ip::udp::endpoint(from, 0));
  intellivue::NetAddressInfo info;
  // Philips' OUI (00:09:FB) and three bytes from the chair's seed: distinct per chair.
  info.mac = {0x00,
              0x09,
              0xFB,
              static_cast<std::uint8_t>(seed >> 16),
              static_cast<std::uint8_t>(seed >> 8),
              static_cast<std::uint8_t>(seed)};
  if (!ec && from.is_v4()) info.ip = from.to_v4().to_bytes();  // 0.0.0.0: "none", vigild uses the sender
  info.subnet_mask = {255, 255, 255, 0};
  message_ = intellivue::encode_connect_indication(info, association_port, {"Philips", "M8007A vigil-sim"});
}

void IvAnnouncer::start() { tick(); }

void IvAnnouncer::stop() {
  stopped_ = true;
  boost::system::error_code ignored;
  timer_.cancel();
  socket_.close(ignored);
}

void IvAnnouncer::tick() {
  if (stopped_) return;
  boost::system::error_code ec;
  // A datagram of ~120 bytes: the send completes at once or fails (no listener is not an
  // error for UDP, an ICMP answer at most); either way the next one comes in a period.
  socket_.send_to(asio::buffer(message_), target_, 0, ec);
  if (!ec) ++sent_;
  timer_.expires_after(period_);
  timer_.async_wait([this](const boost::system::error_code& e) {
    if (!e) tick();
  });
}

}  // namespace vigil::sim
