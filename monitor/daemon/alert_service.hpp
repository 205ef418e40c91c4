#pragma once
// The alert engine inside vigild: feeds it readings, timer ticks, nurse requests and daemon
// health; turns what it decides into log records that the pipeline writes before anyone is
// told; and adds each chair's session and live alerts to the connect-time snapshot.
//
//   readings ──enrich()──► AlertEngine::on_reading ──► batch.alerts/sessions ──► store ──► stream
//   250 ms tick ─────────► AlertEngine::tick ────────┘
//   NurseRequest ────────► session_action / acknowledge / pause_audio ──► store ──► stream,
//                          then the RequestResult to the client that asked
//
// After a restart, open sessions come back from the session log (restore) and alerts that
// were live when the daemon died stay listed until a nurse acknowledges them: an alarm a
// nurse may have seen never silently disappears.
//
// Threading: io thread only, like the engine it owns.

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "alerts/alert_engine.hpp"
#include "daemon/daemon_clock.hpp"
#include "daemon/ingest_pipeline.hpp"
#include "store/store.hpp"
#include "stream.pb.h"
#include "stream/stream_server.hpp"

namespace vigil::daemon {

class AlertService {
 public:
  static constexpr auto kTickInterval = std::chrono::milliseconds(250);

  AlertService(boost::asio::io_context& io, const DaemonClock& clock, IngestPipeline& pipeline,
               stream::StreamServer& stream, std::vector<alerts::RuleProfile> profiles);

  // Start-up: open sessions, live alerts and alert numbering from the log. Returns a
  // one-line summary for the daemon's log (no patient data).
  std::string restore(store::Store& store);
  // Start-up: one config_log row per rule profile in force.
  store::WriteBatch profile_records() const;

  void start();
  void stop();

  // The pipeline's enricher: the engine sees each reading before it is stored.
  void enrich(store::WriteBatch& batch);
  // Adds sessions, live alerts and phases to the snapshot, and chairs known only here.
  // Each chair's state carries the NIBP cadence of its profile (its session's, else the
  // default), as every session event does: screens grey values by it.
  void fill_snapshot(std::vector<proto::BedState>& beds) const;
  void on_request(std::uint64_t client_id, const proto::ClientMessage& message);
  // Who answers `report` requests (ReportService); they pass the role check and the user
  // resolution of on_request first.
  using ReportHandler =
      std::function<void(std::uint64_t client_id, const proto::NurseRequest& request, const std::string& user)>;
  void set_report_handler(ReportHandler handler) { report_handler_ = std::move(handler); }
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
  // Forgets an idle chair's alert state and device status; false (nothing forgotten) while
  // it has a session or any live or restored alert.
  bool forget_bed(const std::string& bed);

  // A monitor link changed state (serial port opened, lost, silent): shown on the stream and
  // in snapshots at once; the engine's own silence rule (T1) raises the alarm.
  void on_device_link(const std::string& bed, const std::string& source, const std::string& transport,
                      proto::DeviceLinkState state, const std::string& detail);
  // What a monitor reports about its own measurements. `nibp_failures` are one-off failed
  // NIBP results (T4); `spo2_trouble` is true while the oximeter reports no valid value (T6).
  void on_device_conditions(const std::string& bed, const std::string& source,
                            const std::vector<std::string>& nibp_failures, bool spo2_trouble,
                            const std::string& detail);

  // A monitor sent observations Vigil cannot read (T8 "unreadable:<source>"): `detail`
  // names the first, e.g. "OBX-3 101^HR".
  void on_unreadable(const std::string& bed, const std::string& source, const std::string& detail);

  const alerts::AlertEngine& engine() const { return engine_; }

 private:
  void tick();
  void arm_timer();
  void append(store::WriteBatch& batch, const alerts::EngineOutput& out) const;
  std::string session_id(const std::string& bed) const;
  // The NIBP cadence of a profile by name; the default profile's for "" or an unknown name.
  proto::NibpSchedule nibp_schedule(const std::string& profile_name) const;
  void reply(std::uint64_t client_id, proto::RequestResult result, const std::string& bed);
  bool acknowledge_restored(const std::string& bed, const std::string& alert_id, const std::string& user,
                            store::WriteBatch& batch);

  const DaemonClock& clock_;
  IngestPipeline& pipeline_;
  stream::StreamServer& stream_;
  std::vector<std::string> configured_profiles_;
  alerts::AlertEngine engine_;
  boost::asio::steady_timer timer_;
  bool running_ = false;
  void log(const alerts::EngineOutput& out);

  // Alerts that were live in the log when the daemon restarted, by id.
  std::map<std::string, proto::AlertEvent> restored_;
  // Latest link state per (bed, source), for snapshots.
  std::map<std::pair<std::string, std::string>, proto::DeviceStatus> devices_;
  std::map<std::pair<std::string, std::string>, bool> probe_off_;
  ReportHandler report_handler_;
};

}  // namespace vigil::daemon
