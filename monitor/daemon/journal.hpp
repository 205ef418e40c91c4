#pragma once
// The one write path of vigild: every producer (the HL7 receiver, serial S/5 monitors, the
// alert engine's transitions and nurse actions, start-up records) hands a WriteBatch here.
//
//   write(batch, done) --(outbox rows added, same transaction)--> Store::submit
//        [store queue full] --> held in `waiting_`, retried every 5 ms, order kept
//        --> [writer thread commits] --post to io (one per group commit)-->
//        announce: BedBoard::update + publish readings, alerts, session events, escalations
//        --> done(outcome)       (an HL7 ACK, a nurse's RequestResult: only after the commit)
//
// Ordering: batches reach the store, and are announced, in the order write() was called,
// also while the store's queue is full. Back-pressure: a producer that waits for `done`
// (an HL7 sender waiting for its ACK) is slowed to the store's pace; one that does not (the
// engine's tick) is bounded by the store's queue plus `waiting_` (held, never dropped: an
// alarm is never lost for a busy disk).
//
// Commit failure: alerts and session events are still announced from memory (a nurse must
// see an alarm even when the log is broken), readings are not (their sender resends them);
// the health hook hears every change between working and failing commits (T8).
//
// Device link states (show_device) are shown at once and kept on the board, not stored.
//
// Threading: every member runs on the daemon's io thread; the store's completions are
// posted back to it.

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>

#include "common/brief_spin.hpp"
#include "daemon/bed_board.hpp"
#include "daemon/daemon_clock.hpp"
#include "forward/outbox_filler.hpp"
#include "store/store.hpp"
#include "stream/stream_server.hpp"

namespace vigil::daemon {

struct JournalStats {
  std::uint64_t readings = 0;  // stored and announced
  std::uint64_t unmapped = 0;
  std::uint64_t alerts = 0;  // alert transitions announced (stored or not)
  std::uint64_t store_retries = 0;
  std::uint64_t store_failures = 0;
};

class Journal {
 public:
  // Learns how a written batch ended (the batch may have been empty).
  using Done = std::function<void(const store::WriteOutcome&)>;
  struct Hooks {
    // Adds forwarding outbox rows to every batch just before it is stored (same
    // transaction: monitor/forward/outbox_filler.hpp). Null: forwarding is off.
    forward::OutboxFiller* outbox = nullptr;
    // Told whether the last commit worked, on every change (false -> T8 "alarm log write
    // failure").
    std::function<void(bool ok, const std::string& error)> health;
    // Each alert transition just after it was published (logged first, or failed to be):
    // the escalation service's view of every alarm.
    std::function<void(const proto::AlertEvent&)> alert_announced;
  };

  // `commit_spin`: how long the io thread may spin for a commit's result (io_loop.hpp).
  Journal(boost::asio::io_context& io, const DaemonClock& clock, store::Store& store, BedBoard& board,
          stream::StreamServer& stream, Hooks hooks,
          std::chrono::microseconds commit_spin = std::chrono::microseconds(0));
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  // Stores `batch` (readings already carry bed, received_at and measured_at; the engine's
  // verdicts are in already), announces it, then calls `done`. Never dropped for a full
  // queue: held and retried in order.
  void write(store::WriteBatch batch, Done done);

  // A monitor link's state: kept on the board for snapshots and published at once.
  void show_device(const proto::DeviceStatus& status);

  const JournalStats& stats() const { return stats_; }
  // Batches held because the store's queue was full (the metrics port's writer queue).
  std::size_t waiting() const { return waiting_.size(); }

  // For the io loop: batches are with the writer and their results have lately come back
  // within the spin limit, so waiting for the next one by spinning is worth it.
  bool commit_due_soon() const { return in_flight_ > 0 && commit_spin_.worth_it(); }
  // A commit's results are posted to the io thread and not yet delivered (any thread).
  bool commit_posted() const;
  const BriefSpin& commit_spin() const { return commit_spin_; }

 private:
  struct Pending;
  struct Completions;
  void submit(std::shared_ptr<Pending> pending);
  void deliver_completions();
  void drain_waiting();
  void committed(const std::shared_ptr<Pending>& pending, store::WriteOutcome outcome);
  void announce(const store::WriteBatch& batch, const store::WriteOutcome& outcome);

  boost::asio::io_context& io_;
  const DaemonClock& clock_;
  store::Store& store_;
  BedBoard& board_;
  stream::StreamServer& stream_;
  Hooks hooks_;
  JournalStats stats_;
  bool last_commit_ok_ = true;
  std::size_t in_flight_ = 0;                                // submitted to the store, not yet delivered
  std::chrono::steady_clock::time_point in_flight_since_{};  // the io thread's wait began
  BriefSpin commit_spin_;
  proto::ServerMessage scratch_;  // announce()'s event, reused (see there)

  // Batches the store could not take yet, oldest first; retried by the timer. Bounded by
  // the producers: HL7 senders wait for their ACKs (at most kMaxInFlight each), serial
  // monitors send one record per 5 s, the engine a few transitions per tick.
  std::deque<std::shared_ptr<Pending>> waiting_;
  boost::asio::steady_timer retry_timer_;
  bool retry_armed_ = false;
  // Filled by the writer thread, emptied on the io thread (shared: it outlives us there).
  std::shared_ptr<Completions> completions_;
  // Completions can still be queued on the writer thread when the daemon shuts down.
  std::shared_ptr<std::atomic<bool>> alive_ = std::make_shared<std::atomic<bool>>(true);
};

}  // namespace vigil::daemon
