#pragma once
// The alert engine inside vigild: feeds it readings, timer ticks, nurse requests and daemon
// health; turns what it decides into log records that the pipeline writes before anyone is
// told; and adds each chair's session and live alerts to the connect-time snapshot.
//
//   readings ──enrich()──► AlertEngine::on_reading ──► batch.alerts/sessions ──► store ──► stream
//   250 ms tick ─────────► AlertEngine::tick_some ───┘  (in slices of kBedsPerSlice chairs)
//   RequestRouter::route ─► act: session_action / acknowledge / pause_audio ──► store ──► stream,
//                          then the RequestResult to the client that asked
//
// Every record goes through the Journal (journal.hpp). After a restart, open sessions come
// back from the session log and alerts that were live when the daemon died go into the
// engine (restore_alert): they stay listed until a nurse acknowledges them, through the same
// acknowledge() as a live alert, so an alarm a nurse may have seen never silently
// disappears.
//
// Threading: io thread only, like the engine it owns.

#include <boost/asio/io_context.hpp>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "alerts/alert_engine.hpp"
#include "daemon/daemon_clock.hpp"
#include "daemon/journal.hpp"
#include "net/periodic_timer.hpp"
#include "store/store.hpp"
#include "stream.pb.h"

namespace vigil::daemon {

class AlertService {
 public:
  static constexpr auto kTickInterval = std::chrono::milliseconds(250);
  // A round of the tick is cut into slices of this many chairs, each its own handler on the
  // io thread: at ~2 us a chair, a slice holds the thread ~0.1 ms, where a whole round at
  // 10,000 chairs held it ~23 ms and every ACK and alert behind it waited that long.
  static constexpr std::size_t kBedsPerSlice = 48;

  AlertService(boost::asio::io_context& io, const DaemonClock& clock, Journal& journal,
               std::vector<alerts::RuleProfile> profiles);

  // Start-up: open sessions, live alerts and alert numbering from the log. Returns a
  // one-line summary for the daemon's log (no patient data).
  std::string restore(store::Store& store);
  // Start-up: one config_log row per rule profile in force.
  store::WriteBatch profile_records() const;

  void start();
  void stop();

  // Producers call this before Journal::write: the engine sees each reading before it is
  // stored, and its verdicts and outputs go into the same batch.
  void enrich(store::WriteBatch& batch);
  // Adds sessions, live and restored alerts and phases to the snapshot, and chairs known
  // only here.
  void fill_snapshot(std::vector<proto::BedState>& beds) const;
  // Gives each chair's state the NIBP cadence of its profile (its session's, else the
  // default), as every session event does: screens grey values by it. Last, after every
  // chair is listed.
  void add_nibp_schedules(std::vector<proto::BedState>& beds) const;
  // A nurse action (not `report`) by `user`, already authorised (RequestRouter). Refused
  // at once: the reason. Otherwise nullopt, and `answer` gets the RequestResult once the
  // log has the action's effects and they were published.
  using Answer = std::function<void(proto::RequestResult result)>;
  std::optional<std::string> act(const proto::NurseRequest& request, const std::string& user, Answer answer);
  // Puts the chair's session, if any, into a result (every answer carries it).
  void attach_session(proto::RequestResult& result, const std::string& bed) const;
  void on_display_heartbeat();
  void on_store_health(bool ok, const std::string& error);
  // The database's free space fell below its minimum (low) or is enough again: T8 "disk".
  void on_disk_space(bool low, const std::string& detail);
  // HL7 forwarding health (monitor/forward/link_watch.hpp): the hospital link alarm and the
  // forwarding warning, both T8 on every chair; called on every change.
  void on_forward_health(bool link_down, const std::string& link_detail, bool warning,
                         const std::string& warning_detail);

  // The chair cap (ChairBounds): `full` raises T8 "too many chairs ..." on every chair,
  // false ends it.
  void on_chairs_full(bool full, const std::string& detail);
  // The SMTP relay did not take an escalation mail (`failed`, with why) or took one again:
  // T8 "escalation mail failed" on every chair.
  void on_escalation_mail(bool failed, const std::string& detail);
  // vigild came back after an abnormal stop (previous_stop.hpp): T8 "restart" on every chair
  // the restore brought back, for `hold`, then it ends by itself.
  void on_restarted(const std::string& detail, std::chrono::milliseconds hold);
  // Forgets an idle chair's alert state; false (nothing forgotten) while
  // it has a session or any live or restored alert.
  bool forget_bed(const std::string& bed);

  // What a monitor reports about its own measurements. `nibp_failures` are one-off failed
  // NIBP results (T4); `spo2_trouble` is true while the oximeter reports no valid value (T6).
  void on_device_conditions(const std::string& bed, const std::string& source,
                            const std::vector<std::string>& nibp_failures, bool spo2_trouble,
                            const std::string& detail);

  // A monitor sent observations Vigil cannot read (T8 "unreadable:<source>"): `detail`
  // names the first, e.g. "OBX-3 101^HR".
  void on_unreadable(const std::string& bed, const std::string& source, const std::string& detail);
  // A link vigild opens itself (IntelliVue) stopped delivering (`down`, with why) or delivers
  // again: T8 "link:<source>" once it has been down for 30 s, even if it never delivered.
  void on_link(const std::string& bed, const std::string& source, bool down, const std::string& detail);

  const alerts::AlertEngine& engine() const { return engine_; }

  // Read-only view for the health and metrics port: live alerts (restored ones included)
  // by priority, and the live T8 alerts (the daemon's own trouble; restored ones excluded,
  // they are a past run's) with their distinct texts, at most kMaxTechnicalTexts.
  struct AlertCounts {
    std::uint64_t low = 0, medium = 0, high = 0;
    std::uint64_t technical = 0;
    std::vector<std::string> technical_texts;
  };
  static constexpr std::size_t kMaxTechnicalTexts = 8;
  AlertCounts alert_counts() const;
  // NIBP readings left out of storage because the monitor had sent that result before.
  std::uint64_t nibp_resends() const { return nibp_resends_; }
  std::uint64_t late_readings() const { return late_readings_; }

 private:
  void tick();
  void tick_slice();
  void append(store::WriteBatch& batch, const alerts::EngineOutput& out) const;
  std::string session_id(const std::string& bed) const;
  // The NIBP cadence of a profile by name; the default profile's for "" or an unknown name.
  proto::NibpSchedule nibp_schedule(const std::string& profile_name) const;
  alerts::ActionResult engine_action(const proto::NurseRequest& request, const std::string& user,
                                     alerts::Now now);

  const DaemonClock& clock_;
  Journal& journal_;
  std::vector<std::string> configured_profiles_;
  alerts::AlertEngine engine_;
  boost::asio::io_context& io_;
  net::PeriodicTimer ticker_;
  alerts::AlertEngine::TickRound round_;
  // Held by every queued slice: a slice that runs after stop() or the destructor finds it
  // expired and does nothing.
  std::shared_ptr<int> alive_ = std::make_shared<int>(0);
  std::optional<alerts::MonoTime> restart_notice_until_;  // T8 "restart" ends at this tick
  void log(const alerts::EngineOutput& out);

  std::uint64_t nibp_resends_ = 0;   // NIBP readings left out as a result sent again
  std::uint64_t late_readings_ = 0;  // old results sent again: stored, never current

  // SpO2 trouble last reported per (bed, source): T6 hears only changes.
  std::map<std::pair<std::string, std::string>, bool> probe_off_;
};

}  // namespace vigil::daemon
