#pragma once
// The dashboard's model of the ward: chairs, their latest readings, sessions, devices,
// active alerts, alert history and trends, fed by the daemon's stream messages. Protobuf
// stops here: snapshot(), trend() and history() return plain structs (model_views.hpp).
//
// Threading: none inside. One owner at a time; DashboardClient guards it with a mutex.
// Time: every call takes the local wall time (`now_ms`); tests pass a fake clock. The
// daemon's clock is tracked as an offset learnt from hello and snapshot_begin, so ages are
// measured on the daemon's clock like the daemon's own age_ms.
//
// Link and data validity:
//   Connecting --hello ok--> Connected, data invalid --snapshot_end--> data valid
//   any --link lost--> Lost: every value and alert is blanked until the next snapshot_end
//   (values from before the loss are not shown as current: silence is not calm).

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/model_views.hpp"
#include "stream.pb.h"

namespace vigil::dashboard {

class DashboardModel {
 public:
  // Bounds: outside bytes can name beds and alerts; the model never grows without limit.
  static constexpr std::size_t kMaxBeds = 64;
  static constexpr std::size_t kMaxAlertsPerBed = 64;
  static constexpr std::size_t kMaxHistoryPerBed = 1000;
  // Per line: three hours of 1 Hz values, so a whole session (baseline to discharge, ~2 h)
  // keeps its HR from the start; the trend plot draws per pixel column, so the count does
  // not cost frame time (docs/performance.md). Worst case 64 beds x 4 lines x 16 B = 44 MB.
  static constexpr std::size_t kMaxTrendPoints = 3 * 3600;

  explicit DashboardModel(std::string user = {});

  // The link as the stream client reports it.
  void on_link(LinkView link, const std::string& detail, std::int64_t now_ms);
  void on_hello(const proto::ServerHello& hello, std::int64_t now_ms);
  // Every other server message (heartbeats are ignored).
  void on_message(const proto::ServerMessage& message, std::int64_t now_ms);
  // A request the dashboard sent, so its result can be shown by name.
  void on_request_sent(std::uint64_t request_id, const std::string& what);
  // The request could not be handed to the link: say so instead of waiting for a result.
  void on_request_unsent(std::uint64_t request_id);

  // The whole screen at `now_ms`.
  DashboardSnapshot snapshot(std::int64_t now_ms) const;
  // A chair's session trend (empty when unknown).
  ChairTrend trend(const std::string& bed) const;
  // A chair's alert transitions, oldest first.
  std::vector<HistoryEntry> history(const std::string& bed) const;

  // Items dropped because a bound was reached or a bed had no name (for diagnostics).
  std::uint64_t dropped() const { return dropped_; }

 private:
  struct Vital {
    double value = 0;
    std::int64_t measured_ms = 0;  // daemon clock
    bool unverified = false;
  };
  struct Alert {
    std::string id, rule, state, kind, text, acknowledged_by;
    Priority priority = Priority::Low;
    std::int64_t onset_ms = 0;
  };
  struct Bed {
    std::map<std::string, Vital> vitals;  // "SYS", "DIA", "MAP", "HR", "SPO2"
    std::map<std::string, Alert> alerts;  // by id
    std::map<std::string, bool> devices;  // source -> connected
    std::optional<proto::SessionInfo> session;
    std::string phase = "monitoring";
    bool audio_paused = false;
    std::optional<double> baseline_sys, baseline_dia;
    ChairTrend trend;
    std::string trend_session;            // session id the trend belongs to
    std::deque<HistoryEntry> history;
  };

  Bed* bed(const std::string& name);  // nullptr when the bed bound is reached
  void apply_bed_state(const proto::BedState& state);
  void apply_reading(const proto::Reading& reading, bool add_to_trend);
  void apply_alert(const proto::AlertEvent& event, bool record_history);
  void apply_session(Bed& b, const proto::SessionInfo& session);
  ChairView chair_view(const std::string& name, const Bed& b, std::int64_t now_ms) const;
  VitalView vital_view(const Bed& b, const std::string& key, std::int64_t server_now) const;

  std::string user_;
  LinkView link_ = LinkView::Connecting;
  std::string link_detail_;
  bool data_valid_ = false;
  std::int64_t server_offset_ms_ = 0;  // daemon clock - local clock
  std::map<std::string, Bed> beds_;
  std::map<std::uint64_t, std::string> pending_;  // request id -> what, bounded
  std::string last_result_;
  std::uint64_t dropped_ = 0;
};

}  // namespace vigil::dashboard
