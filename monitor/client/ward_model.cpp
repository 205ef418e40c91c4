// The ward model's input side: server messages into chair state. The views are built in
// ward_snapshot.cpp.
#include "client/ward_model.hpp"

#include <algorithm>

#include "client/stream_client.hpp"
#include "client/ward_time.hpp"
#include "common/vocabulary.hpp"

namespace vigil::client {

namespace {

constexpr std::size_t kMaxPendingRequests = 256;

bool nibp_kind(proto::VitalKind kind) {
  return kind == proto::NIBP_SYS || kind == proto::NIBP_DIA || kind == proto::NIBP_MEAN;
}

// The session trend's line of a kind, if it draws one. A pulse rate goes on the HR line, and
// only where the engine judges it as HR (apply_reading).
std::vector<TrendPoint>* trend_line(ChairTrend& trend, proto::VitalKind kind) {
  switch (kind) {
    case proto::NIBP_SYS: return &trend.sys;
    case proto::NIBP_DIA: return &trend.dia;
    case proto::NIBP_MEAN: return &trend.map;
    case proto::HR:
    case proto::PULSE: return &trend.hr;
    default: return nullptr;
  }
}

void add_point(std::vector<TrendPoint>& line, TrendPoint p, std::size_t cap) {
  // Snapshots replay the latest readings: keep a line strictly ordered in time.
  if (!line.empty() && p.t_ms <= line.back().t_ms) return;
  if (line.size() >= cap) line.erase(line.begin());
  line.push_back(p);
}

std::optional<NibpCycles> cycles_of(const proto::NibpSchedule& s) {
  auto ms = [](double seconds) {
    return static_cast<std::int64_t>(std::clamp(seconds, 0.0, 86400.0) * 1000);
  };
  NibpCycles c{ms(s.infusion_cycle_s()), ms(s.recovery_early_cycle_s()), ms(s.recovery_early_span_s()),
               ms(s.recovery_late_cycle_s())};
  // All zero: a daemon that does not know it; any zero cycle would grey every value at once.
  if (c.infusion_ms <= 0 || c.recovery_early_ms <= 0 || c.recovery_late_ms <= 0) return std::nullopt;
  return c;
}

std::int64_t hr_from_pulse_after_ms(const proto::NibpSchedule& s) {
  const double seconds = s.hr_from_pulse_after_s();
  // 0: a vigild that does not send it (NaN and negatives: nonsense, the same).
  if (!(seconds > 0)) return kHrFromPulseAfterFallbackMs;
  return static_cast<std::int64_t>(std::min(seconds, 86400.0) * 1000);
}

}  // namespace

LinkView to_view(LinkState state) {
  switch (state) {
    case LinkState::Connected: return LinkView::Connected;
    case LinkState::Connecting: return LinkView::Connecting;
    case LinkState::Lost: break;
  }
  return LinkView::Lost;
}

WardModel::WardModel(std::string user) : user_(std::move(user)) {}

WardModel::Bed* WardModel::bed(const std::string& name) {
  auto it = beds_.find(name);
  if (it != beds_.end()) return &it->second;
  if (beds_.size() >= kMaxChairs || name.empty()) {
    ++dropped_;
    return nullptr;
  }
  return &beds_[name];
}

std::int64_t WardModel::server_now_ms(std::int64_t now_ms) const {
  return sane_ms(sane_ms(now_ms) + server_offset_ms_);
}

void WardModel::learn_server_now(std::int64_t server_ms, std::int64_t now_ms) {
  if (server_ms == 0) return;
  server_offset_ms_ = sane_ms(server_ms) - sane_ms(now_ms);
  server_time_known_ = true;
}

void WardModel::learn_lower_bound(std::int64_t server_ms, std::int64_t now_ms) {
  if (server_ms == 0) return;
  const std::int64_t offset = sane_ms(server_ms) - sane_ms(now_ms);
  server_offset_ms_ = server_time_known_ ? std::max(server_offset_ms_, offset) : offset;
  server_time_known_ = true;
}

void WardModel::on_link(LinkView link, const std::string& detail, std::int64_t) {
  link_ = link;
  link_detail_ = detail;
  // Values stay invalid until a fresh snapshot has replaced everything we knew.
  if (link != LinkView::Connected) data_valid_ = false;
  if (link == LinkView::Lost) {
    // Answers in flight are gone with the link, and the gap is not in the record: ask again
    // after the reconnect (the merge keeps what is already here once).
    history_pending_.clear();
    for (auto& [name, b] : beds_) b.history_load = {};
  }
}

void WardModel::on_hello(const proto::ServerHello& hello, std::int64_t now_ms) {
  learn_server_now(hello.server_time_ms(), now_ms);
  nurses_.clear();
  for (const auto& n : hello.nurses()) {
    if (nurses_.size() >= kMaxNurses) {
      ++dropped_;
      break;
    }
    if (!n.empty() && n.size() <= 128) nurses_.push_back(n);
  }
  pin_required_ = hello.pin_required();
}

void WardModel::on_request_sent(std::uint64_t request_id, const std::string& what) {
  if (pending_.size() >= kMaxPendingRequests) pending_.erase(pending_.begin());
  pending_[request_id] = what;
}

void WardModel::on_request_unsent(std::uint64_t request_id) {
  if (auto h = history_pending_.find(request_id); h != history_pending_.end()) {
    if (auto b = beds_.find(h->second); b != beds_.end()) b->second.history_load = {};
    history_pending_.erase(h);
    return;
  }
  auto it = pending_.find(request_id);
  if (it == pending_.end()) return;
  last_result_ = it->second + ": NOT SENT (no link to vigild)";
  pending_.erase(it);
}

void WardModel::on_message(const proto::ServerMessage& message, std::int64_t now_ms) {
  switch (message.body_case()) {
    case proto::ServerMessage::kSnapshotBegin:
      learn_server_now(message.snapshot_begin().server_time_ms(), now_ms);
      data_valid_ = false;
      // The snapshot is the truth: forget current state, keep trends and history.
      for (auto& [name, b] : beds_) {
        b.vitals.clear();
        b.last_data_ms.reset();
        b.alerts.clear();
        b.devices.clear();
        b.session.reset();
        b.audio_paused = false;
        b.nibp.reset();
        b.hr_from_pulse_after_ms = kHrFromPulseAfterFallbackMs;
      }
      break;
    case proto::ServerMessage::kBedState: apply_bed_state(message.bed_state()); break;
    case proto::ServerMessage::kSnapshotEnd: data_valid_ = link_ == LinkView::Connected; break;
    case proto::ServerMessage::kReading:
      learn_lower_bound(message.reading().received_at_ms(), now_ms);
      apply_reading(message.reading());
      break;
    case proto::ServerMessage::kAlert:
      learn_lower_bound(message.alert().at_ms(), now_ms);
      apply_alert(message.alert());
      break;
    case proto::ServerMessage::kSession: {
      const proto::SessionEvent& e = message.session();
      learn_lower_bound(e.at_ms(), now_ms);
      Bed* b = bed(e.bed().empty() ? e.session().bed() : e.bed());
      if (!b) break;
      if (e.has_nibp()) {
        b->nibp = cycles_of(e.nibp());
        b->hr_from_pulse_after_ms = hr_from_pulse_after_ms(e.nibp());
      }
      if (e.has_session()) apply_session(*b, e.session(), e.event() == proto::ended);
      break;
    }
    case proto::ServerMessage::kEscalation:
      learn_lower_bound(message.escalation().at_ms(), now_ms);
      apply_escalation(message.escalation());
      break;
    case proto::ServerMessage::kDevice:
      learn_lower_bound(message.device().at_ms(), now_ms);
      apply_device(message.device());
      break;
    case proto::ServerMessage::kResult: {
      const auto& r = message.result();
      if (on_history_result(r)) break;
      auto it = pending_.find(r.request_id());
      if (it == pending_.end()) break;  // another client's, or already answered
      last_result_ = it->second + (r.ok() ? ": ok" : ": refused: " + r.reason());
      if (r.ok() && !r.report_path().empty()) last_result_ = "Report saved: " + r.report_path();
      pending_.erase(it);
      break;
    }
    default: break;
  }
}

void WardModel::apply_bed_state(const proto::BedState& state) {
  Bed* b = bed(state.bed());
  if (!b) return;
  b->audio_paused = state.audio_paused();
  if (state.has_nibp()) {
    b->nibp = cycles_of(state.nibp());
    b->hr_from_pulse_after_ms = hr_from_pulse_after_ms(state.nibp());
  }
  for (const auto& r : state.latest()) {
    // The daemon fills each reading's chair; a reading without one is the state's.
    if (r.bed().empty() || r.bed() == state.bed()) {
      proto::Reading copy = r;
      copy.set_bed(state.bed());
      apply_reading(copy, false);
    }
  }
  for (const auto& a : state.active_alerts()) apply_alert(a);
  for (const auto& d : state.devices()) apply_device(d);
  // The chair's phase and baseline are the state's, never its last reading's: a chair whose
  // session ended is not shown in infusion against the last patient's baseline.
  if (state.phase() != proto::PHASE_UNSET) b->phase = state.phase();
  b->baseline_sys.reset();
  b->baseline_dia.reset();
  if (state.has_session()) apply_session(*b, state.session(), false);
}

void WardModel::apply_reading(const proto::Reading& r, bool live) {
  if (!proto::VitalKind_IsValid(r.kind()) || r.kind() == proto::VITAL_KIND_UNSPECIFIED) return;
  Bed* b = bed(r.bed());
  if (!b) return;
  // Arrival on the daemon's clock places a value, not the monitor's stamp: a monitor clock
  // hours ahead must not pin its value as current, nor draw it off the session's trend.
  const std::int64_t t = sane_ms(r.received_at_ms() != 0 ? r.received_at_ms() : r.measured_at_ms());
  if (!b->last_data_ms || t > *b->last_data_ms) b->last_data_ms = t;
  // A late reading (an old result sent again) is history: neither the
  // current value nor a trend point drawn at its arrival. The chair's history lists it.
  if (r.late()) return;
  if (r.withdrawn()) {
    withdraw(*b, r);
    return;
  }
  Vital& v = b->vitals[r.kind()];
  if (t >= v.arrived_ms)
    v = {r.value(), t, !r.valid() || (r.has_verified() && !r.verified()), r.measured_at_ms(), r.source()};
  if (live) {
    if (r.phase() != proto::PHASE_UNSET) b->phase = r.phase();
    if (r.has_baseline_sys_mmhg()) b->baseline_sys = r.baseline_sys_mmhg();
    if (r.has_baseline_dia_mmhg()) b->baseline_dia = r.baseline_dia_mmhg();
  }
  if (!r.valid()) return;
  // The engine counts valid ECG HRs only (a flagged or implausible one is not judged).
  if (r.kind() == proto::HR && (!b->last_ecg_hr_ms || t > *b->last_ecg_hr_ms)) b->last_ecg_hr_ms = t;
  const bool pulse = r.kind() == proto::PULSE;
  // A monitor without ECG (a spot-check cuff, an oximeter) has a heart-rate line all the same,
  // and a chair streaming both draws its ECG HR alone: the line is what P6/P7 judge.
  if (pulse && !pulse_counts_as_hr(b->last_ecg_hr_ms, t, b->hr_from_pulse_after_ms)) return;
  const std::size_t cap = nibp_kind(r.kind()) ? kMaxNibpTrendPoints : kMaxTrendPoints;
  if (std::vector<TrendPoint>* line = trend_line(b->trend, r.kind()))
    add_point(*line, {t, r.value(), r.id(), pulse, source_hash(r.source()), r.measured_at_ms()}, cap);
}

void WardModel::withdraw(Bed& b, const proto::Reading& w) {
  const std::int64_t at = sane_ms(w.received_at_ms() != 0 ? w.received_at_ms() : w.measured_at_ms());
  const std::uint32_t source = source_hash(w.source());
  for (const proto::VitalKind kind : withdrawn_kinds(w.kind())) {
    auto it = b.vitals.find(kind);
    if (it != b.vitals.end() && it->second.measured_ms == w.measured_at_ms() &&
        it->second.source == w.source() && it->second.arrived_ms <= at)
      b.vitals.erase(it);
    // The session's chart must not keep a number the device disowned; a value sent again
    // after the withdrawal (a correction with the same stamp) stays. On the HR line, a pulse
    // rate's withdrawal takes a pulse point, never the ECG HR's of the same instant.
    if (std::vector<TrendPoint>* line = trend_line(b.trend, kind)) {
      std::erase_if(*line, [&](const TrendPoint& p) {
        return p.measured_ms == w.measured_at_ms() && p.source_hash == source && p.t_ms <= at &&
               p.from_pulse == (kind == proto::PULSE);
      });
    }
  }
}

void WardModel::apply_alert(const proto::AlertEvent& e) {
  Bed* b = bed(e.bed());
  if (!b) return;
  const Priority priority = to_view(e.priority());
  add_history_entry(*b, e);
  if (e.state() == proto::RESOLVED) {
    b->alerts.erase(e.id());
    return;
  }
  if (!b->alerts.count(e.id()) && b->alerts.size() >= kMaxAlertsPerChair) {
    ++dropped_;
    return;
  }
  Alert& a = b->alerts[e.id()];
  // Transitions do not repeat the escalation: the fields the escalation events set are kept.
  // A snapshot's alert carries the last step that reached someone.
  a.id = e.id();
  a.rule = e.rule();
  a.state = e.state();
  a.kind = e.kind();
  a.message = e.message();
  a.subject = e.subject();
  a.acknowledged_by = e.acknowledged_by();
  a.priority = priority;
  a.onset_ms = sane_ms(e.onset_ms() ? e.onset_ms() : e.at_ms());
  if (!e.escalated_to().empty()) {
    a.escalated_to = e.escalated_to();
    a.escalated_at_ms = sane_ms(e.escalated_at_ms());
  }
}

void WardModel::apply_escalation(const proto::EscalationEvent& e) {
  auto bed_it = beds_.find(e.bed());
  if (bed_it == beds_.end()) return;
  auto it = bed_it->second.alerts.find(e.alert_id());
  if (it == bed_it->second.alerts.end()) return;  // acknowledged or over already
  Alert& a = it->second;
  if (e.no_one_on_call() || e.target().empty()) {
    a.unreached_tier = e.tier();
    a.unreached_at_ms = sane_ms(e.at_ms());
    return;
  }
  a.escalated_to = e.target();
  a.escalated_at_ms = sane_ms(e.at_ms());
  a.unreached_tier = 0;
}

void WardModel::apply_device(const proto::DeviceStatus& d) {
  Bed* b = bed(d.bed());
  if (!b) return;
  if (!b->devices.count(d.source()) && b->devices.size() >= kMaxDevicesPerChair) {
    ++dropped_;
    return;
  }
  b->devices[d.source()] = {d.source(), d.transport(), d.state(), d.detail()};
}

void WardModel::apply_session(Bed& b, const proto::SessionInfo& s, bool ended) {
  if (s.phase() != proto::PHASE_UNSET) b.phase = s.phase();
  if (ended || s.phase() == proto::closed || s.ended_at_ms() != 0) {
    b.session.reset();
    b.phase = proto::closed;
    b.baseline_sys.reset();  // the next patient's, not this one's, once a session begins
    b.baseline_dia.reset();
    return;
  }
  if (s.session_id() != b.trend_session) {
    // A new session: its trend starts when it began.
    const std::int64_t begun = sane_ms(s.begun_at_ms());
    auto keep = [&](std::vector<TrendPoint>& line) {
      std::erase_if(line, [&](const TrendPoint& p) { return p.t_ms < begun; });
    };
    keep(b.trend.sys);
    keep(b.trend.dia);
    keep(b.trend.map);
    keep(b.trend.hr);
    std::erase_if(b.trend.marks, [&](const TrendMark& m) { return m.t_ms < begun; });
    b.trend_session = s.session_id();
  }
  b.session = s;
  if (s.has_baseline() && s.baseline().has_sys_mmhg()) b.baseline_sys = s.baseline().sys_mmhg();
  if (s.has_baseline() && s.baseline().has_dia_mmhg()) b.baseline_dia = s.baseline().dia_mmhg();
}

}  // namespace vigil::client
