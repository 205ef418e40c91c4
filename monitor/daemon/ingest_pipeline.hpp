#pragma once
// The write-ahead path every record takes: decode, name the chair, let the alert engine see
// it, store durably, and only then acknowledge and announce.
//
//   HL7 message --ingest_message--> readings --enrich (alert engine)--> WriteBatch
//        --Store::submit--> [writer thread commits] --post to io (one per commit)-->
//        BedBoard::update, publish readings, alerts, session events --> reply(AA)
//
// Messages that cannot be used get their AE/AR at once: nothing of them is stored. The
// exception is a message whose observations could not be read (AE with ERR per
// observation): they are logged as unmapped (vigilctl unmapped) and raise T8 "unreadable"
// on the chair before the AE is sent; a mixed message stores its readings and the
// unreadable rest, and is answered AA with ERR segments of severity W. If
// storage fails the sender gets AR ("receiver trouble, resend later"), never AA; alerts and
// session events are still shown (a nurse must see an alarm even when the log is broken),
// and the health callback raises T8.
//
// Batches reach the store in the order they were made, even when its queue is full and they
// wait: alerts are logged and delivered in order.
//
// Threading: every member runs on the daemon's io thread; the store's completion is posted
// back to it.

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>

#include "daemon/bed_board.hpp"
#include "daemon/bed_resolver.hpp"
#include "daemon/daemon_clock.hpp"
#include "hl7/ingest.hpp"
#include "store/store.hpp"
#include "stream/stream_server.hpp"

namespace vigil::daemon {

struct IngestStats {
  std::uint64_t messages = 0;
  std::uint64_t acked_aa = 0;
  std::uint64_t acked_ae = 0;
  std::uint64_t acked_ar = 0;
  std::uint64_t readings = 0;
  std::uint64_t unmapped = 0;
  std::uint64_t alerts = 0;
  std::uint64_t duplicates = 0;
  std::uint64_t store_retries = 0;
  std::uint64_t store_failures = 0;
  std::uint64_t rejected = 0;  // answered AR by reject() (rate limits), never read
  // Text encoding (hl7/charset.hpp): bytes replaced by U+FFFD, messages that had any, and
  // messages whose MSH-18 named a set we do not honour (read as UTF-8, else 8859/1).
  std::uint64_t replaced_characters = 0;
  std::uint64_t messages_with_replacements = 0;
  std::uint64_t unknown_charsets = 0;
};

class IngestPipeline {
 public:
  // Gets the MLLP-framed ACK once it may be sent. Runs on the io thread.
  using Reply = std::function<void(std::string framed_ack)>;
  // Learns how a stored batch ended (may be empty).
  using Stored = std::function<void(const store::WriteOutcome&)>;
  // Sees every batch before it is stored (the alert engine adds its verdicts and outputs).
  using Enricher = std::function<void(store::WriteBatch&)>;
  // Told whether the last commit worked (false -> T8 "alarm log write failure").
  using Health = std::function<void(bool ok, const std::string& error)>;

  IngestPipeline(boost::asio::io_context& io, const DaemonClock& clock, store::Store& store,
                 BedBoard& board, stream::StreamServer& stream, BedResolver resolver,
                 hl7::MapOptions options);
  ~IngestPipeline();
  IngestPipeline(const IngestPipeline&) = delete;
  IngestPipeline& operator=(const IngestPipeline&) = delete;

  void set_enricher(Enricher enricher) { enricher_ = std::move(enricher); }
  void set_health(Health health) { health_ = std::move(health); }
  // Told when a monitor reports a failed NIBP measurement (bed, source, detail): rule T4.
  using NibpFailed = std::function<void(const std::string& bed, const std::string& source, const std::string& detail)>;
  void set_nibp_failed(NibpFailed fn) { nibp_failed_ = std::move(fn); }
  // Told when a message held observations Vigil cannot read (bed, source, which): T8.
  void set_unreadable(NibpFailed fn) { unreadable_ = std::move(fn); }
  // Adds forwarding outbox rows to every batch just before it is stored (same transaction:
  // monitor/forward/outbox_filler.hpp). Unset: forwarding is off.
  void set_outbox(Enricher fn) { outbox_ = std::move(fn); }

  void handle(std::string_view message, Reply reply);

  // HL7 table 0357 code for a message refused because its source sends too fast.
  static constexpr int kRateLimitedError = 207;  // application internal error: resend later

  // Answers `message` AR with `why` at once, without storing anything (e.g. over its
  // source's rate). Counted in stats (messages, acked_ar, rejected).
  void reject(std::string_view message, std::string_view why, int error_code, Reply reply);

  // Readings from a device without acknowledgements (a serial monitor), with `bed`,
  // `received_at_ms` and `measured_at_ms` set; or engine outputs alone. Enriched, stored,
  // then announced. Never dropped for a full queue: held and retried in order.
  void store_and_announce(store::WriteBatch batch, Stored done);

  // Like store_and_announce, without the enricher (the batch is engine output already).
  void log_and_announce(store::WriteBatch batch, Stored done);

  const IngestStats& stats() const { return stats_; }

  // Asked for each message's chair before anything is stored: a text means the chair may
  // not be added (the message is answered AR with it, nothing stored). ChairBounds.
  using ChairGate = std::function<std::optional<std::string>(const std::string& bed)>;
  void set_chair_gate(ChairGate gate) { chair_gate_ = std::move(gate); }
  // Drops what is remembered about `source` (duplicate detection), for a forgotten chair.
  void forget_source(const std::string& source) { recent_.erase(source); }

 private:
  struct Pending;
  struct Completions;
  void submit(std::shared_ptr<Pending> pending);
  void deliver_completions();
  void drain_waiting();
  void committed(const std::shared_ptr<Pending>& pending, store::WriteOutcome outcome);
  void announce(const store::WriteBatch& batch, const store::WriteOutcome& outcome);
  bool is_duplicate(const std::string& source, const std::string& control_id, std::size_t digest) const;
  void remember(const std::string& source, const std::string& control_id, std::size_t digest);
  std::string ack_for(const hl7::IngestResult& result, hl7::AckCode code, std::string_view text,
                      int error_code, bool with_observation_errors = false);
  void note_text_problems(const hl7::IngestResult& result);

  boost::asio::io_context& io_;
  const DaemonClock& clock_;
  store::Store& store_;
  BedBoard& board_;
  stream::StreamServer& stream_;
  BedResolver resolver_;
  hl7::MapOptions options_;
  Enricher enricher_;
  Health health_;
  NibpFailed nibp_failed_;
  NibpFailed unreadable_;
  Enricher outbox_;
  ChairGate chair_gate_;
  IngestStats stats_;
  std::uint64_t ack_counter_ = 0;
  bool last_commit_ok_ = true;

  // Batches the store could not take yet, oldest first; retried by the timer.
  std::deque<std::shared_ptr<Pending>> waiting_;
  boost::asio::steady_timer retry_timer_;
  bool retry_armed_ = false;
  // Filled by the writer thread, emptied on the io thread (shared: it outlives us there).
  std::shared_ptr<Completions> completions_;

  // Recently committed (MSH-10, message digest) per source. A monitor that missed our ACK
  // resends the same message; storing it twice would put a phantom repeat reading on the
  // chart (and could "confirm" an NIBP alarm by itself). Bounded per source and in sources.
  struct SeenMessage {
    std::string control_id;
    std::size_t digest = 0;
  };
  std::unordered_map<std::string, std::deque<SeenMessage>> recent_;

  // Completions can still be queued on the writer thread when the daemon shuts down.
  std::shared_ptr<std::atomic<bool>> alive_ = std::make_shared<std::atomic<bool>>(true);
};

}  // namespace vigil::daemon
