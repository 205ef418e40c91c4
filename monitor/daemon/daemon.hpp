#pragma once
// vigild assembled: storage, the stream server, the journal and its producers (HL7
// receiver, serial feeds, alert service), the request router; all on one io_context thread
// (plus the store's writer thread, the report and the history worker).
// monitor/daemon/README.md draws who owns what.
//
// Shutdown order matters: stop accepting, let the store commit what it holds, deliver the
// ACKs and announcements those commits release, then close every connection.

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "daemon/alert_service.hpp"
#include "daemon/bed_board.hpp"
#include "daemon/chair_bounds.hpp"
#include "daemon/daemon_clock.hpp"
#include "daemon/disk_space_watch.hpp"
#include "daemon/escalation_service.hpp"
#include "daemon/health_port.hpp"
#include "daemon/history_service.hpp"
#include "daemon/hl7_listener.hpp"
#include "daemon/hl7_receiver.hpp"
#include "daemon/intellivue_discovery.hpp"
#include "daemon/intellivue_feed.hpp"
#include "daemon/journal.hpp"
#include "daemon/login_backoff.hpp"
#include "daemon/report_service.hpp"
#include "daemon/request_router.hpp"
#include "daemon/retention_schedule.hpp"
#include "daemon/serial_feed.hpp"
#include "daemon/service_notify.hpp"
#include "daemon/settings.hpp"
#include "forward/forwarder.hpp"
#include "forward/outbox_filler.hpp"
#include "mail/smtp_client.hpp"
#include "store/store.hpp"
#include "stream/stream_server.hpp"

namespace vigil::daemon {

struct BoundAddresses {
  boost::asio::ip::tcp::endpoint hl7;
  boost::asio::ip::tcp::endpoint stream;
  // /healthz and /metrics (health_port.hpp); unset when the default port was taken.
  std::optional<boost::asio::ip::tcp::endpoint> http;
  // IntelliVue discovery (UDP); unset when off.
  std::optional<boost::asio::ip::udp::endpoint> discover;
};

class Daemon {
 public:
  // Opens the database and binds both ports; throws ConfigError / store::StoreError /
  // boost::system::system_error with a message an operator can act on.
  explicit Daemon(const Settings& settings);
  ~Daemon();

  const BoundAddresses& addresses() const { return addresses_; }

  // Runs until SIGINT/SIGTERM (or stop()); returns the process exit code.
  int run();
  void stop();

 private:
  void shutdown();
  void start_forwarding();
  void start_escalation();
  // The connect-time snapshot: readings and link states (board), sessions and alerts.
  std::vector<proto::BedState> snapshot() const;

  Settings settings_;
  DaemonClock clock_;
  boost::asio::io_context io_;
  boost::asio::signal_set signals_;
  std::unique_ptr<store::Store> store_;
  BedBoard board_;
  std::unique_ptr<stream::StreamServer> stream_;
  // HL7 forwarding (null when not configured): rows are added by the filler in the store's
  // transactions (through the journal); the forwarder reads and sends them.
  std::unique_ptr<forward::OutboxFiller> outbox_filler_;
  std::unique_ptr<Journal> journal_;  // every write: order, back-pressure, completions
  std::unique_ptr<AlertService> alerts_;
  // Unacknowledged alarms to on-call clients and mail; fed by the journal and the stream.
  std::unique_ptr<EscalationService> escalation_;
  std::unique_ptr<mail::SmtpClient> mail_;  // the escalation mail relay; null when not configured
  // Reports for stream clients; its worker is joined before the stream server goes.
  std::unique_ptr<ReportService> reports_;
  // Chair histories for late-connecting screens; its worker is joined like the reports'.
  std::unique_ptr<HistoryService> history_;
  std::unique_ptr<ActingUser> acting_;     // who a request is done by (stations naming nurses)
  std::unique_ptr<RequestRouter> router_;  // nurse and report requests from the stream
  std::unique_ptr<ChairBounds> chairs_;    // chair cap and idle chairs forgotten
  std::unique_ptr<Hl7Receiver> receiver_;
  std::unique_ptr<Hl7Listener> hl7_;
  std::unique_ptr<forward::Forwarder> forwarder_;
  // After the journal: destroyed first, since their callbacks write through it.
  std::vector<std::unique_ptr<SerialFeed>> serials_;
  std::vector<std::unique_ptr<IntelliVueFeed>> intellivues_;  // LAN and MIB serial
  std::unique_ptr<IntelliVueDiscovery> discovery_;            // null when off
  // Free space of the database's filesystem (T8 "disk"); reports into alerts_.
  std::unique_ptr<DiskSpaceWatch> disk_watch_;
  // Hourly: expired rows to the monthly archive (store/retention.hpp).
  std::unique_ptr<RetentionSchedule> retention_;
  // /healthz and /metrics; declared last: destroyed first, it reads every part above.
  std::unique_ptr<HealthPort> health_;
  BoundAddresses addresses_;
  // systemd: READY=1 when run() starts (ports bound, database open), the watchdog after.
  std::unique_ptr<ServiceNotify> notify_;
  std::shared_ptr<LoginBackoff> login_backoff_;  // failed stream logins per address
  bool stopping_ = false;
};

// "127.0.0.1:2575", "[::1]:2575"
std::string to_string(const boost::asio::ip::tcp::endpoint& endpoint);
std::string to_string(const boost::asio::ip::udp::endpoint& endpoint);

}  // namespace vigil::daemon
