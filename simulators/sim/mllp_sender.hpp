#pragma once
// One simulated monitor's HL7 link: an MLLP client that behaves like a GE B40.
//
//   connect ──ok──> idle ──message queued──> send ──ACK AA──> idle (next message)
//      ^  \                                   │ ├─AE──> resend after backoff; drop after
//      │   refused/dropped: reconnect         │ │       max_attempts in all (logged)
//      │   after backoff (doubling, jitter)   │ ├─AR──> drop, disconnect, reconnect later
//      └──────────────────────────────────────┘ └─no ACK──> resend; after max_attempts
//                                                           disconnect (message kept)
//
// The connection stays open between messages; exactly one message is in flight; each
// message has its own MSH-10 (the caller's). Wire faults are injected on request.
// The socket work is vigild's own: net::Dialer connects (within connect_timeout) and
// net::MllpPeer reads, deframes and writes; this class is the B40's behaviour around them.
//
// Threading: not thread-safe. All calls and all handlers run on the io_context's thread;
// many senders share one io_context. Create with std::make_shared (handlers keep it alive).

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <random>
#include <string>

#include "net/dialer.hpp"
#include "net/mllp_peer.hpp"
#include "sim/ack_reader.hpp"
#include "sim/wire_faults.hpp"

namespace vigil::sim {

/// Timeouts, retry policy and faults for one sender.
struct SenderOptions {
  boost::asio::ip::tcp::endpoint endpoint;
  std::string name = "monitor";  // in log lines
  std::chrono::milliseconds ack_timeout{10000};
  std::chrono::milliseconds connect_timeout{5000};
  int max_attempts = 3;  // sends per message, AE or no ACK
  std::chrono::milliseconds backoff_initial{500};
  std::chrono::milliseconds backoff_max{30000};
  std::size_t max_queue = 2000;  // oldest waiting messages dropped beyond
  FaultOptions faults;
  std::uint64_t seed = 1;  // jitter and fault choice
};

/// What happened on the link so far.
struct SenderCounters {
  std::uint64_t sent = 0;              // frames written, retries included
  std::uint64_t acked_aa = 0;          // AA or CA
  std::uint64_t acked_ae = 0;          // AE or CE (or an unknown code)
  std::uint64_t acked_ar = 0;          // AR or CR
  std::uint64_t retries = 0;           // resends of the same message
  std::uint64_t timeouts = 0;          // no ACK within ack_timeout
  std::uint64_t connects = 0;          // successful connections
  std::uint64_t reconnects = 0;        // successful connections after the first
  std::uint64_t connect_failures = 0;  // refused or timed out
  std::uint64_t dropped = 0;           // given up (AE max attempts) or queue overflow
  std::uint64_t rejected = 0;          // not resent because of AR
  std::uint64_t faults_injected = 0;
  std::uint64_t stray_acks = 0;  // ACKs for nothing in flight (e.g. after a duplicate)
};

/// An MLLP client sending queued messages one at a time and waiting for each ACK.
class MllpSender : public std::enable_shared_from_this<MllpSender> {
 public:
  /// Called for every ACK matching the message in flight: code and time since the send.
  using AckHook = std::function<void(const std::string& code, std::chrono::steady_clock::duration latency)>;
  /// Called with one line of log text (no newline).
  using LogHook = std::function<void(const std::string& line)>;

  MllpSender(boost::asio::io_context& io, SenderOptions options);

  /// Starts connecting. Messages queued before the connection wait for it.
  void start();
  /// Queues a message (no MLLP framing); `control_id` must equal its MSH-10.
  void enqueue(std::string message, std::string control_id);
  /// Unplugs: closes the connection and stays away until resume(). The queue is kept.
  void suspend();
  /// Plugs back in: reconnects at once.
  void resume();
  /// Closes everything; pending handlers become no-ops.
  void stop();

  /// Nothing queued and nothing in flight.
  bool idle() const { return queue_.empty(); }
  bool connected() const { return connected_; }
  std::size_t queued() const { return queue_.size(); }
  const SenderCounters& counters() const { return counters_; }

  void set_ack_hook(AckHook hook) { ack_hook_ = std::move(hook); }
  void set_log_hook(LogHook hook) { log_hook_ = std::move(hook); }

 private:
  struct Outgoing {
    std::string text;
    std::string control_id;
  };

  void connect();
  void on_connected();
  void schedule_reconnect(std::chrono::milliseconds delay);
  std::chrono::milliseconds next_backoff();
  void drop_connection(const std::string& why, bool reconnect);
  void pump();
  void send_front();
  void write(std::shared_ptr<std::string> bytes, std::function<void()> then);
  void arm_ack_deadline();
  void on_reply(std::string_view payload);
  void on_ack(const Ack& ack);
  void on_ack_timeout();
  void retry_later();
  void finish_front();
  void log(const std::string& line);
  std::string fault_bytes(WireFault fault, const std::string& frame);

  boost::asio::io_context& io_;
  SenderOptions opt_;
  std::shared_ptr<net::Dialer> dialer_;
  std::shared_ptr<net::MllpPeer> peer_;  // while connected
  boost::asio::steady_timer deadline_;   // ACK deadline
  boost::asio::steady_timer retry_;      // reconnect, resend and stall pauses
  std::mt19937_64 rng_;
  std::deque<Outgoing> queue_;
  SenderCounters counters_;
  AckHook ack_hook_;
  LogHook log_hook_;
  std::uint64_t generation_ = 0;  // bumped on every close; stale handlers compare it
  bool connected_ = false;
  bool connecting_ = false;
  bool in_flight_ = false;  // the front message is being sent or awaits its ACK
  bool awaiting_ack_ = false;
  bool suspended_ = false;
  bool stopped_ = false;
  int attempts_ = 0;  // sends of the front message on this connection
  std::chrono::milliseconds backoff_;
  std::chrono::steady_clock::time_point sent_at_;
};

}  // namespace vigil::sim
