#pragma once
// The ward as a client sees it: chairs, their latest readings, sessions, monitor links,
// active alerts, alert history and trends, fed by the daemon's stream messages. One model,
// two faces: `vigilctl board` renders its snapshot as a text table, vigil-dashboard draws it
// with ImGui. Protobuf stops here: snapshot(), trend() and history() return plain structs
// (ward_views.hpp).
//
// Threading: none inside. One owner at a time (the dashboard guards it with a mutex).
// Time: every call takes the local wall time (`now_ms`); tests pass a fake clock.
//
// The daemon's clock: ages, infusion clocks and "now" are the daemon's, so a value is as
// old as the daemon says and a --time-scale demo shows simulated minutes. The model keeps
// an offset (daemon - local): set from the instants the daemon states as its "now" (hello,
// snapshot begin), and moved forward by every live event's stamp (a reading's receipt, an
// alert's or session's transition, a link change), which is never later than the daemon's
// now. Between events it runs on the local clock.
//
// Link and data validity (the same on both faces):
//   Connecting --hello ok--> Connected, data invalid --snapshot_end--> data valid
//   any --link lost--> Lost: every value, clock and alert is blanked until the next
//   snapshot_end (names and phases stay; values from before the loss are not shown as
//   current: silence is not calm, and a screen that cannot see the daemon says NO DATA).
//
// Sessions: shown while open. An "ended" event, or a state whose phase is closed, removes
// the patient label and clocks at once; the chair shows phase "closed" until the daemon says
// otherwise (its next reading or snapshot: "monitoring"). The trend stays until the chair's
// next session begins.
//
// Bounds (outside bytes can name chairs, alerts and devices; the model never grows without
// limit): kMaxChairs chairs, per chair kMaxAlertsPerChair alerts, kMaxDevicesPerChair links,
// kMaxHistoryPerChair history lines, trend lines of kMaxTrendPoints (HR: three hours of
// 1 Hz, so a whole session keeps its HR from the start; a pulse rate standing in for the ECG
// HR is a point of that line, never a second one) and kMaxNibpTrendPoints (NIBP). What
// a bound turns away is counted and shown (WardSnapshot::dropped). Worst case per chair
// about 0.8 MB (trend 3 x 1,000 + 10,800 points of 40 B, history 1,000 lines of ~250 B);
// a 16-chair clinic with 2-hour sessions holds a few MB.

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "client/ward_rules.hpp"
#include "client/ward_views.hpp"
#include "stream.pb.h"

namespace vigil::client {

enum class LinkState;
// The stream client's link state as a screen shows it.
LinkView to_view(LinkState state);

class WardModel {
 public:
  static constexpr std::size_t kMaxChairs = 512;
  static constexpr std::size_t kMaxAlertsPerChair = 64;
  static constexpr std::size_t kMaxDevicesPerChair = 16;
  static constexpr std::size_t kMaxHistoryPerChair = 1000;
  static constexpr std::size_t kMaxTrendPoints = 3 * 3600;
  static constexpr std::size_t kMaxNibpTrendPoints = 1000;
  static constexpr std::size_t kMaxNurses = 256;  // names from the hello, each <= 128 bytes

  explicit WardModel(std::string user = {});

  // The link as the stream client reports it.
  void on_link(LinkView link, const std::string& detail, std::int64_t now_ms);
  void on_hello(const proto::ServerHello& hello, std::int64_t now_ms);
  // Every other server message (heartbeats carry nothing the model needs).
  void on_message(const proto::ServerMessage& message, std::int64_t now_ms);
  // A request this client sent, so its result can be shown by name.
  void on_request_sent(std::uint64_t request_id, const std::string& what);
  // The request could not be handed to the link: say so instead of waiting for a result.
  void on_request_unsent(std::uint64_t request_id);

  // A history request (NurseRequest.history) for `bed` was sent; its answer is merged into the
  // chair's trend and history (ward_history.cpp) instead of becoming the last result.
  void on_history_requested(std::uint64_t request_id, const std::string& bed);
  // Where the chair's stored history stands (NotAsked for an unknown chair).
  HistoryStatus history_status(const std::string& bed) const;

  // The whole ward at `now_ms`.
  WardSnapshot snapshot(std::int64_t now_ms) const;
  // A chair's session trend (empty when unknown).
  ChairTrend trend(const std::string& bed) const;
  // A chair's alert transitions, oldest first.
  std::vector<HistoryEntry> history(const std::string& bed) const;
  // `now_ms` on the daemon's clock.
  std::int64_t server_now_ms(std::int64_t now_ms) const;
  // Items a bound turned away, and messages naming no chair.
  std::uint64_t dropped() const { return dropped_; }
  std::size_t chairs() const { return beds_.size(); }

 private:
  struct Vital {
    double value = 0;
    std::int64_t arrived_ms = 0;  // daemon clock: when the daemon received it
    bool unverified = false;
    std::int64_t measured_ms = 0;  // the device's stamp and name: what a withdrawal names
    std::string source;
  };
  struct Alert {
    std::string id;
    proto::AlertRule rule = proto::ALERT_RULE_UNSET;
    proto::AlertState state = proto::ALERT_STATE_UNSET;
    proto::AlertKind kind = proto::ALERT_KIND_UNSET;
    std::string message, acknowledged_by;
    std::string subject;  // which instance: the monitor's source for T1
    Priority priority = Priority::Low;
    std::int64_t onset_ms = 0;
    // The last step that reached someone, and a later one that found no one on call.
    std::string escalated_to;
    std::int64_t escalated_at_ms = 0;
    unsigned unreached_tier = 0;
    std::int64_t unreached_at_ms = 0;
  };
  struct Bed {
    std::map<proto::VitalKind, Vital> vitals;   // NIBP_SYS, NIBP_DIA, NIBP_MEAN, HR, PULSE, SPO2 ...
    std::map<std::string, Alert> alerts;        // by id
    std::map<std::string, DeviceView> devices;  // by source
    std::optional<proto::SessionInfo> session;
    proto::Phase phase = proto::monitoring;
    bool audio_paused = false;
    std::optional<NibpCycles> nibp;
    // The engine's HR switch for this chair (its profile's, from NibpSchedule), and when the
    // newest valid ECG HR arrived (daemon clock): together they say whether the engine judges
    // the ECG HR or the pulse rate, for the HR cell and the trend's HR line.
    std::int64_t hr_from_pulse_after_ms = kHrFromPulseAfterFallbackMs;
    std::optional<std::int64_t> last_ecg_hr_ms;
    // The newest reading of any sort from the chair's devices (a withdrawal or a late result
    // too): the board's LINK "data ok" is about the monitor sending, not about a value.
    std::optional<std::int64_t> last_data_ms;
    std::optional<double> baseline_sys, baseline_dia;
    ChairTrend trend;
    std::string trend_session;  // session id the trend belongs to
    std::deque<HistoryEntry> history;
    HistoryStatus history_load;
  };

  Bed* bed(const std::string& name);  // nullptr when the chair bound is reached
  void learn_server_now(std::int64_t server_ms, std::int64_t now_ms);
  void learn_lower_bound(std::int64_t server_ms, std::int64_t now_ms);
  void apply_bed_state(const proto::BedState& state);
  // `live`: a reading as it arrives, whose phase and baseline are the chair's now. A
  // snapshot's latest readings are values only: the state beside them says the phase and
  // the session (they may be from a session that has ended since).
  void apply_reading(const proto::Reading& reading, bool live = true);
  // A withdrawal: the values and trend points it takes back leave the chair (ward_rules.hpp).
  static void withdraw(Bed& b, const proto::Reading& withdrawal);
  void apply_alert(const proto::AlertEvent& event);
  void apply_device(const proto::DeviceStatus& device);
  void apply_escalation(const proto::EscalationEvent& event);
  void apply_session(Bed& b, const proto::SessionInfo& session, bool ended);
  void add_history_entry(Bed& b, const proto::AlertEvent& e);
  bool on_history_result(const proto::RequestResult& result);
  void merge_history(Bed& b, const proto::ChairHistory& history);
  ChairView chair_view(const std::string& name, const Bed& b, std::int64_t now_ms) const;
  static bool sent_since(const Bed& b, const std::string& source, std::int64_t since_ms);
  VitalView vital_view(const Bed& b, proto::VitalKind kind, std::int64_t server_now,
                       std::optional<std::int64_t> recovery_ms) const;
  VitalView heart_rate_view(const Bed& b, std::int64_t server_now,
                            std::optional<std::int64_t> recovery_ms) const;

  std::string user_;
  std::vector<std::string> nurses_;
  bool pin_required_ = false;
  LinkView link_ = LinkView::Connecting;
  std::string link_detail_;
  bool data_valid_ = false;
  std::int64_t server_offset_ms_ = 0;  // daemon clock - local clock
  bool server_time_known_ = false;
  std::map<std::string, Bed> beds_;
  std::map<std::uint64_t, std::string> pending_;          // request id -> what, bounded
  std::map<std::uint64_t, std::string> history_pending_;  // request id -> chair, bounded
  std::string last_result_;
  std::uint64_t dropped_ = 0;
};

}  // namespace vigil::client
