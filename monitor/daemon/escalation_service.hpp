#pragma once
// Escalation of unacknowledged alarms inside vigild (docs/alarms.md, "Escalation"): hears
// every logged alert transition (Journal hook) and the stream clients that signed in as on
// call, asks the pure EscalationPolicy what is due on a steady tick, and for each step
//
//   writes it to the escalation log and publishes it to every stream client (the Journal:
//   logged before shown), logs a journal line, hands it to the mail relay when one is
//   configured, and remembers it so snapshots show "escalated to X" on the alert.
//
//   Journal::announce ──alert_announced──► on_alert ─► EscalationPolicy::on_alarm
//   StreamServer hello/close ─────────────► on_client_live / on_client_gone ─► targets
//   250 ms tick ─► EscalationPolicy::due ─► Journal::write(escalations) ─► stream, log
//                                        └► mail(step) (SMTP relay, never blocks)
//
// Threading: io thread only, like the journal and the stream server it talks to.

#include <boost/asio/io_context.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "daemon/daemon_clock.hpp"
#include "daemon/journal.hpp"
#include "escalation/escalation_policy.hpp"
#include "net/periodic_timer.hpp"
#include "stream.pb.h"

namespace vigil::daemon {

class EscalationService {
 public:
  static constexpr auto kTickInterval = std::chrono::milliseconds(250);
  // Alarms tracked at once: far above the live alarms of the largest ward (the engine's own
  // chair cap bounds those); an alarm over it is counted and not escalated.
  static constexpr std::size_t kMaxAlarms = 4096;
  // Mail recipients are targets too; their ids sit above every stream client id.
  static constexpr std::uint64_t kMailTargetBase = std::uint64_t{1} << 62;

  struct Options {
    escalation::EscalationTimes times;
    std::size_t max_clients = 64;  // the stream client cap: bounds the on-call targets
    std::vector<std::string> mail_tier1, mail_tier2;
  };
  // Hands one step to the mail relay (recipients are the step's mail targets).
  using MailFn = std::function<void(const escalation::EscalationStep& step)>;

  EscalationService(boost::asio::io_context& io, const DaemonClock& clock, Journal& journal, Options options,
                    MailFn mail = {});

  void start();
  void stop();

  // Every alert transition, as announced.
  void on_alert(const proto::AlertEvent& event);
  // A stream client's hello was accepted: on call when its hello says so.
  void on_client_live(std::uint64_t client_id, const std::string& user, const proto::ClientHello& hello);
  void on_client_gone(std::uint64_t client_id);
  // Puts each live alert's last escalation (escalated_to, escalated_at_ms) into the snapshot.
  void fill_snapshot(std::vector<proto::BedState>& beds) const;

  std::size_t on_call() const { return on_call_; }
  std::uint64_t steps() const { return steps_; }

 private:
  void tick();

  const DaemonClock& clock_;
  Journal& journal_;
  MailFn mail_;
  escalation::EscalationPolicy policy_;
  net::PeriodicTimer ticker_;
  std::size_t on_call_ = 0;  // stream clients on call now
  std::uint64_t steps_ = 0;
  struct LastStep {
    std::string target;
    std::int64_t at_ms = 0;
  };
  // Per alert id while it is tracked (bounded like the policy's alarms).
  std::map<std::string, LastStep> last_;
};

// The EscalationEvent of a step, as logged and streamed.
proto::EscalationEvent escalation_event(const escalation::EscalationStep& step);

}  // namespace vigil::daemon
