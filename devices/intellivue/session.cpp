#include "intellivue/session.hpp"

#include <algorithm>
#include <type_traits>
#include <utility>
#include <variant>

#include "intellivue/data_export_encoder.hpp"

namespace vigil::intellivue {

std::string_view to_string(SessionState state) {
  switch (state) {
    case SessionState::Idle: return "idle";
    case SessionState::Associating: return "associating";
    case SessionState::WaitingMdsCreate: return "waiting_mds_create";
    case SessionState::Associated: return "associated";
    case SessionState::Backoff: return "backoff";
  }
  return "unknown";
}

std::string_view to_string(SessionEndReason reason) {
  switch (reason) {
    case SessionEndReason::None: return "none";
    case SessionEndReason::Refused: return "refused";
    case SessionEndReason::NoAssociationAnswer: return "no_association_answer";
    case SessionEndReason::NoMdsCreate: return "no_mds_create";
    case SessionEndReason::Aborted: return "aborted";
    case SessionEndReason::Released: return "released";
    case SessionEndReason::PollTimeout: return "poll_timeout";
    case SessionEndReason::TransportLost: return "transport_lost";
  }
  return "unknown";
}

std::string describe(SessionEndReason reason, std::chrono::milliseconds timeout) {
  const std::string ms = std::to_string(timeout.count()) + " ms";
  switch (reason) {
    case SessionEndReason::None: return {};
    case SessionEndReason::Refused:
      return "the monitor refused the Data Export association: Data Export may be disabled on this "
             "interface, the interface or port may be wrong (LAN: UDP 24105; serial: the MIB port "
             "set to Data Export), or another client is already connected";
    case SessionEndReason::NoAssociationAnswer:
      return "no answer to the association request within " + ms +
             ": check the monitor's address and port (LAN: UDP 24105), the cable, that the monitor is "
             "on, and that Data Export is enabled on this interface";
    case SessionEndReason::NoMdsCreate:
      return "the monitor accepted the association but sent no MDS Create Event within " + ms;
    case SessionEndReason::Aborted:
      return "the monitor aborted the association (restarted, settings changed, or it stopped hearing "
             "from us)";
    case SessionEndReason::Released: return "the monitor released the association";
    case SessionEndReason::PollTimeout:
      return "no poll result within " + ms + ": the monitor stopped answering";
    case SessionEndReason::TransportLost: return "the link to the monitor closed";
  }
  return {};
}

Session::Session(SessionOptions options) : options_(std::move(options)), backoff_(options_.initial_backoff) {
  if (options_.initial_backoff.count() <= 0) options_.initial_backoff = std::chrono::milliseconds(1'000);
  options_.max_backoff = std::max(options_.max_backoff, options_.initial_backoff);
  backoff_ = options_.initial_backoff;
}

std::uint16_t Session::next_invoke_id() {
  ++invoke_id_;
  if (invoke_id_ == 0) invoke_id_ = 1;
  return invoke_id_;
}

void Session::set_state(SessionState state, SessionOutput& out) {
  if (state == state_) return;
  state_ = state;
  out.state_changed = true;
}

void Session::start(SessionTime now, SessionOutput& out) {
  out = {};
  send_association_request(now, out);
}

void Session::send_association_request(SessionTime now, SessionOutput& out) {
  assembler_.reset();
  invoke_id_ = 0;
  poll_number_ = 0;
  keep_alive_invoke_ = 0;
  got_result_since_association_ = false;
  ++counters_.attempts;
  out.send.push_back(encode_association_request(options_.association));
  phase_deadline_ = now + options_.association_timeout;
  set_state(SessionState::Associating, out);
}

void Session::end(SessionEndReason reason, bool send_abort, SessionTime now, SessionOutput& out) {
  if (send_abort) out.send.push_back(encode_abort());
  std::chrono::milliseconds timeout{0};
  if (reason == SessionEndReason::NoAssociationAnswer) timeout = options_.association_timeout;
  if (reason == SessionEndReason::NoMdsCreate) timeout = options_.mds_create_timeout;
  if (reason == SessionEndReason::PollTimeout) timeout = options_.poll_timeout;
  if (reason == SessionEndReason::NoAssociationAnswer || reason == SessionEndReason::NoMdsCreate ||
      reason == SessionEndReason::PollTimeout)
    ++counters_.timeouts;
  end_reason_ = reason;
  end_detail_ = describe(reason, timeout);
  assembler_.reset();
  if (!got_result_since_association_) {
    // Never got data this time: back off further (a monitor refusing because another
    // client holds it must not be hammered).
    if (failed_attempts_ > 0) backoff_ = std::min(backoff_ * 2, options_.max_backoff);
    ++failed_attempts_;
  } else {
    backoff_ = options_.initial_backoff;
    failed_attempts_ = 0;
  }
  phase_deadline_ = now + backoff_;
  set_state(SessionState::Backoff, out);
  out.state_changed = true;  // a new reason is news even in the same state
}

void Session::on_transport_lost(SessionTime now, SessionOutput& out) {
  out = {};
  if (state_ == SessionState::Idle) return;
  end(SessionEndReason::TransportLost, false, now, out);
  // The transport reconnects on its own schedule and calls start() again.
  set_state(SessionState::Idle, out);
}

void Session::stop(SessionOutput& out) {
  out = {};
  if (state_ == SessionState::Associated || state_ == SessionState::WaitingMdsCreate)
    out.send.push_back(encode_release_request());
  set_state(SessionState::Idle, out);
}

std::optional<SessionTime> Session::next_deadline() const {
  switch (state_) {
    case SessionState::Idle: return std::nullopt;
    case SessionState::Associating:
    case SessionState::WaitingMdsCreate:
    case SessionState::Backoff: return phase_deadline_;
    case SessionState::Associated:
      return std::min({next_poll_, next_keep_alive_, last_result_ + options_.poll_timeout});
  }
  return std::nullopt;
}

void Session::on_tick(SessionTime now, SessionOutput& out) {
  out = {};
  switch (state_) {
    case SessionState::Idle: return;
    case SessionState::Associating:
      if (now >= phase_deadline_) end(SessionEndReason::NoAssociationAnswer, false, now, out);
      return;
    case SessionState::WaitingMdsCreate:
      if (now >= phase_deadline_) end(SessionEndReason::NoMdsCreate, true, now, out);
      return;
    case SessionState::Backoff:
      if (now >= phase_deadline_) send_association_request(now, out);
      return;
    case SessionState::Associated:
      if (now >= last_result_ + options_.poll_timeout) {
        end(SessionEndReason::PollTimeout, true, now, out);
        return;
      }
      if (now >= next_poll_) send_poll(now, out);
      if (now >= next_keep_alive_) send_keep_alive(now, out);
      return;
  }
}

void Session::send_poll(SessionTime now, SessionOutput& out) {
  ++counters_.polls;
  out.send.push_back(encode_extended_poll_request(next_invoke_id(), ++poll_number_));
  next_poll_ = now + options_.poll_interval;
}

void Session::send_keep_alive(SessionTime now, SessionOutput& out) {
  ++counters_.keep_alives;
  keep_alive_invoke_ = next_invoke_id();
  out.send.push_back(encode_keep_alive(keep_alive_invoke_, ++poll_number_));
  next_keep_alive_ = now + options_.keep_alive_interval;
}

void Session::on_message(std::string_view bytes, SessionTime now, SessionOutput& out) {
  out = {};
  if (state_ == SessionState::Idle) return;
  const MessageResult decoded = decode_message(bytes);
  if (!decoded.ok()) {
    ++counters_.decode_errors;
    return;
  }
  ++counters_.messages;
  handle(decoded.message, now, out);
}

void Session::handle(const Message& message, SessionTime now, SessionOutput& out) {
  const bool live = state_ == SessionState::WaitingMdsCreate || state_ == SessionState::Associated;
  if (std::holds_alternative<AssociationAccept>(message)) {
    if (state_ != SessionState::Associating) return;  // a late duplicate
    phase_deadline_ = now + options_.mds_create_timeout;
    set_state(SessionState::WaitingMdsCreate, out);
  } else if (std::holds_alternative<AssociationRefuse>(message)) {
    if (state_ != SessionState::Associating) return;
    ++counters_.refused;
    end(SessionEndReason::Refused, false, now, out);
  } else if (std::holds_alternative<AssociationAbort>(message)) {
    if (state_ == SessionState::Backoff) return;
    ++counters_.aborted;
    end(SessionEndReason::Aborted, false, now, out);
  } else if (std::holds_alternative<ReleaseRequest>(message) ||
             std::holds_alternative<ReleaseResult>(message)) {
    if (state_ == SessionState::Backoff) return;
    end(SessionEndReason::Released, false, now, out);
  } else if (const auto* report = std::get_if<MdsCreateEventReport>(&message)) {
    if (!live) return;
    // The monitor repeats the report until it hears the result: answer every copy.
    out.send.push_back(encode_mds_create_result(*report));
    if (state_ == SessionState::WaitingMdsCreate) {
      ++counters_.associations;
      out.mds_create = *report;
      last_result_ = now;  // the poll timeout counts from here
      next_keep_alive_ = now + options_.keep_alive_interval;
      set_state(SessionState::Associated, out);
      send_poll(now, out);
    }
  } else if (const auto* part = std::get_if<PollResultPart>(&message)) {
    if (state_ == SessionState::Associated) on_poll_part(*part, now, out);
  } else if (std::holds_alternative<RemoteError>(message)) {
    ++counters_.remote_errors;
    // An answer all the same: the association is alive.
    if (state_ == SessionState::Associated) last_result_ = now;
  }
}

void Session::on_poll_part(PollResultPart part, SessionTime now, SessionOutput& out) {
  last_result_ = now;
  if (!got_result_since_association_) {
    got_result_since_association_ = true;
    backoff_ = options_.initial_backoff;
    failed_attempts_ = 0;
    if (end_reason_ != SessionEndReason::None) {
      end_reason_ = SessionEndReason::None;
      end_detail_.clear();
      out.state_changed = true;
    }
  }
  if (part.polled_obj_code != kMocVmoMetricNu) return;  // the keep-alive's answer
  std::optional<PollResultPart> complete = assembler_.add(std::move(part));
  if (!complete) return;
  ++counters_.results;
  out.results.push_back(std::move(*complete));
}

}  // namespace vigil::intellivue
