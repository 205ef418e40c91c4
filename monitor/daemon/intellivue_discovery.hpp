#pragma once
// IntelliVue discovery (vigild --intellivue-discover [HOST:]PORT, config
// intellivue_discover): a UDP socket on the daemon's io_context that hears the Connect
// Indications monitors broadcast to port 24005, and keeps the table `vigilctl devices` lists.
//
//   datagram ─► decode_connect_indication ─ ok ─► DiscoveredMonitors::seen ─ new? ─► log once
//                                          └ junk ─► counted; logged at most once a minute
//
// It only listens: nothing is ever sent, so a forged announcement costs a table row at
// most. Bounds: one datagram at a time in a fixed 1500-byte buffer (a Connect Indication
// is about 100 bytes; a longer datagram is cut and counted as junk); the table's bound is
// DiscoveredMonitors'.
//
// Threading: the daemon's io thread only.

#include <utility>  // before Asio (Boost 1.74 in C++20)

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/udp.hpp>

#include <array>
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "daemon/discovered_monitors.hpp"
#include "daemon/intellivue_spec.hpp"
#include "daemon/settings.hpp"
#include "events.pb.h"

namespace vigil::daemon {

struct IvDiscoveryCounters {
  std::uint64_t announcements = 0;  // Connect Indications decoded
  std::uint64_t junk = 0;           // datagrams that were not one
  std::uint64_t receive_errors = 0;
};

class IntelliVueDiscovery {
 public:
  using WallNow = std::function<std::int64_t()>;

  /// Binds `at` (UDP). Throws ConfigError when the port cannot be bound.
  IntelliVueDiscovery(boost::asio::io_context& io, const ListenAddress& at, WallNow wall_now,
                      std::vector<IntelliVueSpec> configured);

  void start();
  void stop();
  boost::asio::ip::udp::endpoint local_endpoint() const { return local_; }
  const IvDiscoveryCounters& counters() const { return counters_; }
  const DiscoveredMonitors& table() const { return table_; }
  /// The table as the stream carries it, each row with the chair configured for it, if any.
  std::vector<proto::DiscoveredMonitor> to_proto() const;

 private:
  void receive();
  void on_datagram(std::size_t size);
  void note_junk(std::string_view what);

  boost::asio::ip::udp::socket socket_;
  boost::asio::ip::udp::endpoint local_;
  boost::asio::ip::udp::endpoint from_;
  std::array<char, 1500> buf_{};
  WallNow wall_now_;
  std::vector<IntelliVueSpec> configured_;
  DiscoveredMonitors table_;
  IvDiscoveryCounters counters_;
  std::int64_t junk_logged_ms_ = 0;
  bool junk_logged_ = false;
  bool stopped_ = false;
};

}  // namespace vigil::daemon
