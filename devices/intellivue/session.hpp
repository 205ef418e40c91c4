#pragma once
// The client side of one IntelliVue Data Export association, as a pure state machine: it
// is told the time and the messages that arrived, and says what to send and what was
// received. No sockets, no timers: the transport (UDP or MIB serial) asks next_deadline()
// and calls on_tick() then.
//
//   start ─► Associating ──Association Result──► WaitingMdsCreate ──MDS Create Event──► Associated
//              │  (Association Request sent)        │                 (Result sent,      │ poll every
//              │                                    │                  first poll sent)  │ poll_interval,
//              │ refuse / no answer                 │ no MDS create                      │ keep-alive every
//              ▼ in association_timeout             ▼ in mds_create_timeout               ▼
//              keep_alive_interval
//            Backoff ◄──────────────────────────────┴────── abort, release, no poll result in poll_timeout,
//              │ (retry after backoff; it doubles up to max_backoff, and          transport lost
//              └──► Associating     resets once a poll result arrived)
//
// The monitor serves one Data Export client per interface and drops an association that
// stays silent (PIPG "Keep Alive"): the keep-alive is a short single poll of the alert
// monitor object. Numerics are asked for with one Extended Poll Data Request per
// poll_interval (answered once each), so a lost answer costs one interval, never a stream.
//
// When the association ends for a reason the monitor gave or we decided (timeout), an Abort
// is sent when we were past Associating, so the monitor frees its one client slot at once.
//
// Threading: none; one session per monitor, used from one thread.

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "intellivue/association.hpp"
#include "intellivue/messages.hpp"
#include "intellivue/poll_assembler.hpp"

namespace vigil::intellivue {

using SessionClock = std::chrono::steady_clock;
using SessionTime = SessionClock::time_point;

enum class SessionState : std::uint8_t {
  Idle,              // not started, or stopped
  Associating,       // Association Request sent, waiting for the result
  WaitingMdsCreate,  // accepted, waiting for the MDS Create Event Report
  Associated,        // polling
  Backoff,           // the association ended; a new one is tried at next_deadline()
};

/// Why the session left Associated (or never got there); None while all is well.
enum class SessionEndReason : std::uint8_t {
  None,
  Refused,              // the monitor refused the association
  NoAssociationAnswer,  // no answer to the Association Request in association_timeout
  NoMdsCreate,          // accepted, but no MDS Create Event Report in mds_create_timeout
  Aborted,              // the monitor aborted the association
  Released,             // the monitor released it (or answered our release)
  PollTimeout,          // associated, but no poll result in poll_timeout
  TransportLost,        // the port closed or the socket failed
};

/// Stable lower-case names, e.g. "no_association_answer".
std::string_view to_string(SessionState state);
std::string_view to_string(SessionEndReason reason);
/// A sentence for the nurse/technician: what happened and the likely cause.
std::string describe(SessionEndReason reason, std::chrono::milliseconds timeout);

struct SessionOptions {
  std::chrono::milliseconds association_timeout{5'000};
  std::chrono::milliseconds mds_create_timeout{5'000};
  std::chrono::milliseconds poll_interval{1'000};
  std::chrono::milliseconds keep_alive_interval{5'000};
  std::chrono::milliseconds poll_timeout{8'000};  // no poll result this long: the association is dead
  std::chrono::milliseconds initial_backoff{1'000};
  std::chrono::milliseconds max_backoff{30'000};
  AssociationRequestOptions association;
};

/// What one call produced; cleared by the session at the start of every call.
struct SessionOutput {
  std::vector<std::string> send;                   // messages to send, in order (at most 3)
  std::vector<PollResultPart> results;             // complete numerics results (at most 1)
  std::optional<MdsCreateEventReport> mds_create;  // the monitor's clock anchor, once per association
  bool state_changed = false;
};

struct SessionCounters {
  std::uint64_t associations = 0;  // reached Associated
  std::uint64_t attempts = 0;      // Association Requests sent
  std::uint64_t refused = 0;
  std::uint64_t aborted = 0;        // by the monitor
  std::uint64_t timeouts = 0;       // association, MDS create or poll timeouts
  std::uint64_t messages = 0;       // decoded messages
  std::uint64_t decode_errors = 0;  // messages decode_message rejected
  std::uint64_t results = 0;        // complete numerics results handed out
  std::uint64_t polls = 0;          // poll requests sent
  std::uint64_t keep_alives = 0;
  std::uint64_t remote_errors = 0;  // ROER answers
};

class Session {
 public:
  explicit Session(SessionOptions options = {});

  /// The transport is usable: send the Association Request.
  void start(SessionTime now, SessionOutput& out);
  /// One message from the monitor (a datagram, or the user data of one MIB frame).
  void on_message(std::string_view bytes, SessionTime now, SessionOutput& out);
  /// Timers: call at or after next_deadline().
  void on_tick(SessionTime now, SessionOutput& out);
  /// The port closed or the socket failed: nothing can be sent; wait for start() again.
  void on_transport_lost(SessionTime now, SessionOutput& out);
  /// Ends the session politely (Release Request when associated); Idle afterwards.
  void stop(SessionOutput& out);

  /// When on_tick() wants to run next; nullopt when Idle.
  std::optional<SessionTime> next_deadline() const;

  SessionState state() const { return state_; }
  SessionEndReason end_reason() const { return end_reason_; }
  /// describe(end_reason()) with the timeout that applied; empty while None.
  const std::string& end_detail() const { return end_detail_; }
  /// Refused / no-answer attempts since the last association (0 while associated).
  std::uint32_t failed_attempts() const { return failed_attempts_; }
  std::chrono::milliseconds current_backoff() const { return backoff_; }
  const SessionCounters& counters() const { return counters_; }
  const PollAssemblerCounters& assembler_counters() const { return assembler_.counters(); }

 private:
  void send_association_request(SessionTime now, SessionOutput& out);
  void end(SessionEndReason reason, bool send_abort, SessionTime now, SessionOutput& out);
  void set_state(SessionState state, SessionOutput& out);
  void handle(const Message& message, SessionTime now, SessionOutput& out);
  void on_poll_part(PollResultPart part, SessionTime now, SessionOutput& out);
  void send_poll(SessionTime now, SessionOutput& out);
  void send_keep_alive(SessionTime now, SessionOutput& out);
  std::uint16_t next_invoke_id();

  SessionOptions options_;
  SessionState state_ = SessionState::Idle;
  SessionEndReason end_reason_ = SessionEndReason::None;
  std::string end_detail_;
  SessionTime phase_deadline_{};  // association / MDS create timeout, or backoff end
  SessionTime next_poll_{};
  SessionTime next_keep_alive_{};
  SessionTime last_result_{};
  std::chrono::milliseconds backoff_;
  std::uint32_t failed_attempts_ = 0;
  std::uint16_t invoke_id_ = 0;
  std::uint16_t poll_number_ = 0;
  std::uint16_t keep_alive_invoke_ = 0;  // answers to this are liveness, not numerics
  bool got_result_since_association_ = false;
  PollResultAssembler assembler_;
  SessionCounters counters_;
};

}  // namespace vigil::intellivue
