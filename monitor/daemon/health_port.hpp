#pragma once
// vigild's health and metrics port (config http_listen, --http-listen): GET /healthz and
// GET /metrics over monitor/http's server, and the web view (monitor/web, docs/web.md), answered from what
// the daemon's parts already count (docs/operations.md). Gathering reads only in-memory stats and two cheap
// system calls (stat of the database, statvfs of its filesystem): nothing blocks the io loop.
//
// Threading: io thread only; the loop-lag probe is its own timer on the same loop.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "daemon/alert_service.hpp"
#include "daemon/hl7_listener.hpp"
#include "daemon/hl7_receiver.hpp"
#include "daemon/intellivue_feed.hpp"
#include "daemon/journal.hpp"
#include "daemon/serial_feed.hpp"
#include "forward/forwarder.hpp"
#include "http/http_server.hpp"
#include "http/loop_lag.hpp"
#include "http/vigil_metrics.hpp"
#include "store/store.hpp"
#include "stream/stream_server.hpp"

namespace vigil::daemon {

class HealthPort {
 public:
  // Everything it reads; all outlive the port (the daemon destroys the port first).
  struct Sources {
    const store::Store* store = nullptr;
    const Journal* journal = nullptr;
    const Hl7Receiver* receiver = nullptr;
    Hl7Listener* hl7 = nullptr;
    // Counted for /metrics; the web view's WebSocket clients join it (web/web_routes.hpp).
    stream::StreamServer* stream = nullptr;
    const std::vector<std::unique_ptr<SerialFeed>>* serials = nullptr;
    const std::vector<std::unique_ptr<IntelliVueFeed>>* intellivues = nullptr;
    const AlertService* alerts = nullptr;
    const forward::Forwarder* forwarder = nullptr;  // null: forwarding is off
    std::string db_path;
    std::function<WallMillis()> wall_now_ms;  // the daemon's clock (outbox ages)
  };
  // /healthz fails while the io loop runs its timers this late.
  static constexpr std::chrono::milliseconds kLagLimit{1000};
  static constexpr std::chrono::milliseconds kLagPeriod{250};

  // `tls` null: plain HTTP (loopback); else HTTPS with the stream's certificate.
  HealthPort(boost::asio::io_context& io, Sources sources, std::shared_ptr<boost::asio::ssl::context> tls);
  boost::asio::ip::tcp::endpoint listen(const boost::asio::ip::tcp::endpoint& at);
  void stop();

  http::HttpAnswer healthz() const;
  http::HttpAnswer metrics() const;
  http::VigilFigures figures() const;

 private:
  Sources sources_;
  http::LoopLagProbe lag_;
  std::unique_ptr<http::HttpServer> server_;
};

}  // namespace vigil::daemon
