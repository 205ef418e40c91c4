#pragma once
// Store-and-forward to the hospital's integration engine: reads pending outbox rows (its own
// read connection on a reader thread), sends them in row order over one MLLP connection,
// one at a time, and records each answer through the Store's writer thread.
//
//   pending rows ──fetch (reader thread)──► queue ──send front──► engine
//        AA/CA ──► mark 'sent'       AE/CE ──► mark 'skipped', log, warning
//        AR/CR ──► resend after backoff      no ACK in ack_timeout / disconnect ──► reconnect
//                                            after backoff (capped exponential), resend
//
// Duplicates: a row that may have reached the engine before (a retry after a timeout or a
// disconnect, or one of the first kResendWindow pending rows after a start: at most that
// many were ACKed or in flight while their 'sent' mark was still uncommitted) is sent with
// the same MSH-10 and a `ZRS|Y|<attempt>` segment (hl7/oru_r01_builder.hpp). Sending stops
// while kMaxUnmarked answered rows wait for their mark, which bounds that window.
//
// Health: a LinkWatch turns "nothing delivered for link_alert" into the hospital-link alarm
// and AE answers or dropped readings into a warning; on_health hears every change.
//
// Threading: io thread, except the outbox reads (reader thread, results posted back).

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "forward/forward_options.hpp"
#include "forward/link_watch.hpp"
#include "forward/mllp_link.hpp"
#include "store/store.hpp"

namespace vigil::forward {

struct ForwardStats {
  std::uint64_t sent = 0, skipped = 0, rejected = 0, timeouts = 0, disconnects = 0, resends = 0;
  std::uint64_t readings_dropped = 0;
};

class Forwarder {
 public:
  static constexpr std::size_t kMaxUnmarked = 64;
  static constexpr std::size_t kResendWindow = kMaxUnmarked + 1;
  static constexpr std::size_t kFetchRows = 256;

  using OnHealth = std::function<void(const LinkWatch::View&)>;
  // The daemon's wall clock: it stamps the outbox marks and decides which unsent rows are
  // past the outbox's age bound, so both follow --time-scale and tests inject their own.
  using WallClock = std::function<WallMillis()>;

  /// Throws std::invalid_argument when options.tls_ca_file cannot be used.
  Forwarder(boost::asio::io_context& io, store::Store& store, std::string db_path, ForwardOptions options,
            WallClock wall_clock, OnHealth on_health);
  ~Forwarder();
  Forwarder(const Forwarder&) = delete;
  Forwarder& operator=(const Forwarder&) = delete;

  void start();
  /// Stops sending and closes the connection; an unanswered row stays pending (resent later).
  void stop();
  const ForwardStats& stats() const { return stats_; }
  // Rows fetched now are still marked as maybe sent before (the first after a start), until a
  // fetch finds the outbox empty. Call on the io thread.
  bool startup_window_open() const { return startup_window_ > 0; }
  /// The outbox's pending rows and the oldest one's creation time, as last read (every
  /// kGaugeEveryTicks s, on the reader thread): for the metrics port, never a query on io.
  struct OutboxGauge {
    std::uint64_t pending = 0;
    std::optional<WallMillis> oldest_pending_ms;
  };
  const OutboxGauge& outbox_gauge() const { return gauge_; }

 private:
  struct Item {
    store::OutboxRow row;
    std::uint32_t attempts = 0;  // this run
    bool maybe_sent = false;
  };
  void connect();
  void on_connected();
  void on_closed(const std::string& why);
  void on_ack(const std::string& message);
  void pump();
  void fetch();
  void tick();
  void trim();
  void retry_after_backoff(bool reconnect);
  void mark(const Item& item, const std::string& state, const std::string& error);
  void record_failure(Item& item, const std::string& error);
  void submit_update(store::WriteBatch batch, bool counts, std::chrono::milliseconds delay);
  void publish_health();
  void read_gauge();
  WallMillis wall_now() const { return wall_clock_(); }

  boost::asio::io_context& io_;
  store::Store& store_;
  std::string db_path_;
  ForwardOptions options_;
  WallClock wall_clock_;
  OnHealth on_health_;
  MllpLink link_;
  boost::asio::steady_timer ack_timer_, retry_timer_, fetch_timer_, tick_timer_;
  boost::asio::thread_pool reader_{1};
  LinkWatch watch_;
  LinkWatch::View shown_;
  ForwardStats stats_;
  OutboxGauge gauge_;
  bool gauge_reading_ = false;

  std::deque<Item> queue_;
  std::uint64_t cursor_ = 0;
  std::size_t startup_window_ = kResendWindow;
  bool running_ = false;
  bool fetching_ = false;
  bool idle_ = false;  // the last fetch found nothing new
  bool in_flight_ = false;
  bool waiting_retry_ = false;
  std::size_t unmarked_ = 0;  // answered rows whose mark is not committed yet
  std::chrono::milliseconds backoff_;
  std::uint64_t ticks_ = 0;
  std::string last_logged_failure_;
  std::shared_ptr<std::atomic<bool>> alive_ = std::make_shared<std::atomic<bool>>(true);
};

}  // namespace vigil::forward
