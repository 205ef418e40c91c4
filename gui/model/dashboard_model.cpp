#include "model/dashboard_model.hpp"

#include <algorithm>
#include <cctype>

#include "common/vocabulary.hpp"
#include "model/view_rules.hpp"

namespace vigil::dashboard {

namespace {

constexpr std::size_t kMaxPendingRequests = 256;

// Times from the daemon are clamped to 1970..2096 before any arithmetic: a garbled value
// must not overflow a subtraction (it would show a nonsense age, never crash).
constexpr std::int64_t kMaxWallMs = 4'000'000'000'000;
std::int64_t sane(std::int64_t t) { return std::clamp<std::int64_t>(t, 0, kMaxWallMs); }

// The model's key for a vital kind; "" for kinds the dashboard does not show.
std::string vital_key(proto::VitalKind kind) {
  switch (kind) {
    case proto::NIBP_SYS: return "SYS";
    case proto::NIBP_DIA: return "DIA";
    case proto::NIBP_MEAN: return "MAP";
    case proto::HR: return "HR";
    case proto::SPO2: return "SPO2";
    default: return "";
  }
}

// "CHAIR2" before "CHAIR10": digits compare as numbers.
bool natural_less(const std::string& a, const std::string& b) {
  std::size_t i = 0, j = 0;
  while (i < a.size() && j < b.size()) {
    if (std::isdigit(static_cast<unsigned char>(a[i])) && std::isdigit(static_cast<unsigned char>(b[j]))) {
      std::size_t i2 = i, j2 = j;
      while (i2 < a.size() && std::isdigit(static_cast<unsigned char>(a[i2]))) ++i2;
      while (j2 < b.size() && std::isdigit(static_cast<unsigned char>(b[j2]))) ++j2;
      std::string_view na(a.data() + i, i2 - i), nb(b.data() + j, j2 - j);
      while (na.size() > 1 && na[0] == '0') na.remove_prefix(1);
      while (nb.size() > 1 && nb[0] == '0') nb.remove_prefix(1);
      if (na.size() != nb.size()) return na.size() < nb.size();
      if (na != nb) return na < nb;
      i = i2;
      j = j2;
    } else {
      if (a[i] != b[j]) return a[i] < b[j];
      ++i;
      ++j;
    }
  }
  return a.size() - i < b.size() - j;
}

void add_point(std::vector<TrendPoint>& line, std::int64_t t, double v) {
  // Snapshots replay the latest readings: keep a line strictly ordered in time.
  if (!line.empty() && t <= line.back().t_ms) return;
  if (line.size() >= DashboardModel::kMaxTrendPoints) line.erase(line.begin());
  line.push_back({t, v});
}

}  // namespace

DashboardModel::DashboardModel(std::string user) : user_(std::move(user)) {}

DashboardModel::Bed* DashboardModel::bed(const std::string& name) {
  auto it = beds_.find(name);
  if (it != beds_.end()) return &it->second;
  if (beds_.size() >= kMaxBeds || name.empty()) {
    ++dropped_;
    return nullptr;
  }
  return &beds_[name];
}

void DashboardModel::on_link(LinkView link, const std::string& detail, std::int64_t) {
  link_ = link;
  link_detail_ = detail;
  // Values stay invalid until a fresh snapshot has replaced everything we knew.
  if (link != LinkView::Connected) data_valid_ = false;
}

void DashboardModel::on_hello(const proto::ServerHello& hello, std::int64_t now_ms) {
  if (hello.server_time_ms() != 0) server_offset_ms_ = sane(hello.server_time_ms()) - sane(now_ms);
}

void DashboardModel::on_request_sent(std::uint64_t request_id, const std::string& what) {
  if (pending_.size() >= kMaxPendingRequests) pending_.erase(pending_.begin());
  pending_[request_id] = what;
}

void DashboardModel::on_request_unsent(std::uint64_t request_id) {
  auto it = pending_.find(request_id);
  if (it == pending_.end()) return;
  last_result_ = it->second + ": NOT SENT (no link to vigild)";
  pending_.erase(it);
}

void DashboardModel::on_message(const proto::ServerMessage& message, std::int64_t now_ms) {
  switch (message.body_case()) {
    case proto::ServerMessage::kSnapshotBegin:
      if (message.snapshot_begin().server_time_ms() != 0)
        server_offset_ms_ = sane(message.snapshot_begin().server_time_ms()) - sane(now_ms);
      data_valid_ = false;
      // The snapshot is the truth: forget current state, keep trends and history.
      for (auto& [name, b] : beds_) {
        b.vitals.clear();
        b.alerts.clear();
        b.devices.clear();
        b.session.reset();
        b.audio_paused = false;
      }
      break;
    case proto::ServerMessage::kBedState: apply_bed_state(message.bed_state()); break;
    case proto::ServerMessage::kSnapshotEnd:
      data_valid_ = link_ == LinkView::Connected;
      break;
    case proto::ServerMessage::kReading:
      // Every live reading carries the daemon's time of receipt: keep our idea of the
      // daemon's clock current (it runs faster than ours in a --time-scale demo).
      if (message.reading().received_at_ms() != 0)
        server_offset_ms_ = sane(message.reading().received_at_ms()) - sane(now_ms);
      apply_reading(message.reading(), true);
      break;
    case proto::ServerMessage::kAlert: apply_alert(message.alert(), true); break;
    case proto::ServerMessage::kSession:
      if (Bed* b = bed(message.session().bed()); b && message.session().has_session())
        apply_session(*b, message.session().session());
      break;
    case proto::ServerMessage::kDevice: {
      const auto& d = message.device();
      if (Bed* b = bed(d.bed())) {
        if (b->devices.size() < 16 || b->devices.count(d.source())) b->devices[d.source()] = d.state() == proto::connected;
      }
      break;
    }
    case proto::ServerMessage::kResult: {
      const auto& r = message.result();
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

void DashboardModel::apply_bed_state(const proto::BedState& state) {
  Bed* b = bed(state.bed());
  if (!b) return;
  if (state.phase() != proto::PHASE_UNSET) b->phase = word(state.phase());
  b->audio_paused = state.audio_paused();
  for (const auto& r : state.latest()) apply_reading(r, true);
  for (const auto& a : state.active_alerts()) apply_alert(a, true);
  for (const auto& d : state.devices())
    if (b->devices.size() < 16) b->devices[d.source()] = d.state() == proto::connected;
  if (state.has_session()) apply_session(*b, state.session());
}

void DashboardModel::apply_reading(const proto::Reading& r, bool add_to_trend) {
  const std::string key = vital_key(r.kind());
  if (key.empty()) return;
  Bed* b = bed(r.bed());
  if (!b) return;
  // Arrival on the daemon's clock places a value, not the monitor's stamp: a monitor clock
  // hours ahead must not pin its value as current, nor draw it off the session's trend.
  const std::int64_t t = sane(r.received_at_ms() != 0 ? r.received_at_ms() : r.measured_at_ms());
  auto& v = b->vitals[key];
  if (t >= v.measured_ms) v = {r.value(), t, !r.valid() || (r.has_verified() && !r.verified())};
  if (r.phase() != proto::PHASE_UNSET) b->phase = word(r.phase());
  if (r.has_baseline_sys_mmhg()) b->baseline_sys = r.baseline_sys_mmhg();
  if (r.has_baseline_dia_mmhg()) b->baseline_dia = r.baseline_dia_mmhg();
  if (!add_to_trend || !r.valid()) return;
  if (key == "SYS") add_point(b->trend.sys, t, r.value());
  else if (key == "DIA") add_point(b->trend.dia, t, r.value());
  else if (key == "MAP") add_point(b->trend.map, t, r.value());
  else if (key == "HR") add_point(b->trend.hr, t, r.value());
}

void DashboardModel::apply_alert(const proto::AlertEvent& e, bool record_history) {
  Bed* b = bed(e.bed());
  if (!b) return;
  const Priority priority = priority_from_string(word(e.priority()));
  if (record_history) {
    HistoryEntry h{sane(e.at_ms()), e.id(), word(e.rule()), priority, word(e.transition()), word(e.state()), display_text(e.message()),
                   !e.user().empty() ? e.user() : e.acknowledged_by()};
    // A snapshot repeats the last transition of each active alert: record it once.
    const bool seen = std::any_of(b->history.rbegin(), b->history.rbegin() + std::min<std::size_t>(b->history.size(), 64),
                                  [&](const HistoryEntry& x) {
                                    return x.id == h.id && x.at_ms == h.at_ms && x.state == h.state;
                                  });
    if (!seen) {
      if (b->history.size() >= kMaxHistoryPerBed) b->history.pop_front();
      b->history.push_back(h);
      if (e.transition() == proto::raised && b->trend.marks.size() < kMaxTrendPoints)
        b->trend.marks.push_back({sane(e.onset_ms() ? e.onset_ms() : e.at_ms()), word(e.rule()), priority});
    }
  }
  if (e.state() == proto::RESOLVED) {
    b->alerts.erase(e.id());
    return;
  }
  if (!b->alerts.count(e.id()) && b->alerts.size() >= kMaxAlertsPerBed) {
    ++dropped_;
    return;
  }
  Alert& a = b->alerts[e.id()];
  a = {e.id(), word(e.rule()), word(e.state()), word(e.kind()), display_text(e.message()), e.acknowledged_by(), priority,
       sane(e.onset_ms() ? e.onset_ms() : e.at_ms())};
}

void DashboardModel::apply_session(Bed& b, const proto::SessionInfo& s) {
  if (s.phase() != proto::PHASE_UNSET) b.phase = word(s.phase());
  if (s.phase() == proto::closed || s.ended_at_ms() != 0) {
    b.session.reset();
    return;
  }
  if (s.session_id() != b.trend_session) {
    // A new session: its trend starts when it began.
    auto keep = [&](std::vector<TrendPoint>& line) {
      std::erase_if(line, [&](const TrendPoint& p) { return p.t_ms < s.begun_at_ms(); });
    };
    keep(b.trend.sys);
    keep(b.trend.dia);
    keep(b.trend.map);
    keep(b.trend.hr);
    std::erase_if(b.trend.marks, [&](const TrendMark& m) { return m.t_ms < s.begun_at_ms(); });
    b.trend_session = s.session_id();
  }
  b.session = s;
  if (s.has_baseline() && s.baseline().has_sys_mmhg()) b.baseline_sys = s.baseline().sys_mmhg();
  if (s.has_baseline() && s.baseline().has_dia_mmhg()) b.baseline_dia = s.baseline().dia_mmhg();
}

VitalView DashboardModel::vital_view(const Bed& b, const std::string& key, std::int64_t server_now) const {
  VitalView v;
  auto it = b.vitals.find(key);
  if (it == b.vitals.end() || !data_valid_) return v;
  const bool device_lost = !b.devices.empty() &&
                           std::none_of(b.devices.begin(), b.devices.end(), [](auto& d) { return d.second; });
  if (device_lost) return v;  // a lost device's last value is not shown as if current
  v.value = it->second.value;
  v.unverified = it->second.unverified;
  v.age_ms = std::max<std::int64_t>(0, server_now - it->second.measured_ms);
  v.age_text = age_text(v.age_ms);
  v.freshness = v.age_ms > expected_cycle_ms(key, b.phase) ? Freshness::Stale : Freshness::Fresh;
  return v;
}

ChairView DashboardModel::chair_view(const std::string& name, const Bed& b, std::int64_t now_ms) const {
  const std::int64_t server_now = sane(sane(now_ms) + server_offset_ms_);
  ChairView c;
  c.bed = name;
  c.phase = b.phase;
  c.audio_paused = b.audio_paused;
  c.device_lost = !b.devices.empty() &&
                  std::none_of(b.devices.begin(), b.devices.end(), [](auto& d) { return d.second; });
  if (b.session) {
    const auto& s = *b.session;
    c.has_session = true;
    c.patient = s.patient();
  }
  if (!data_valid_) return c;  // names only: every value, clock and alert blank
  if (b.session) {
    const auto& s = *b.session;
    c.planned_minutes = s.planned_minutes();
    c.infusion_paused = s.infusion_paused();
    c.infusion_running = s.infusion_started_at_ms() != 0 && s.infusion_stopped_at_ms() == 0;
    c.infusion_elapsed_ms = sane(s.infusion_elapsed_ms());
    if (c.infusion_running && !c.infusion_paused && s.snapshot_at_ms() != 0)
      c.infusion_elapsed_ms += std::max<std::int64_t>(0, server_now - sane(s.snapshot_at_ms()));
    if (s.infusion_stopped_at_ms() != 0)
      c.recovery_ms = std::max<std::int64_t>(0, server_now - sane(s.infusion_stopped_at_ms()));
  }
  c.sys = vital_view(b, "SYS", server_now);
  c.dia = vital_view(b, "DIA", server_now);
  c.map = vital_view(b, "MAP", server_now);
  c.hr = vital_view(b, "HR", server_now);
  c.spo2 = vital_view(b, "SPO2", server_now);
  c.baseline_sys = b.baseline_sys;
  c.baseline_dia = b.baseline_dia;
  if (auto it = b.vitals.find("SYS"); it != b.vitals.end())
    c.next_nibp_in_ms = it->second.measured_ms + expected_cycle_ms("SYS", b.phase) - server_now;
  for (const auto& [id, a] : b.alerts) {
    AlertView v;
    v.id = a.id;
    v.bed = name;
    v.rule = a.rule;
    v.priority = a.priority;
    v.state = a.state;
    v.kind = a.kind;
    v.text = a.text;
    v.acknowledged_by = a.acknowledged_by;
    v.onset_ms = a.onset_ms;
    v.advisory = a.kind == "advisory" || a.state == "ADVISORY";
    v.colour = alert_colour(a.priority, v.advisory);
    v.flashing = alert_flashes(a.priority, a.state, v.advisory);
    v.lit = flash_lit(a.priority, a.state, v.advisory, now_ms);
    v.sounding = !v.advisory && !b.audio_paused && (a.state == "ACTIVE" || a.state == "LATCHED");
    if (!v.advisory && a.priority > c.top_priority) c.top_priority = a.priority;
    c.alerts.push_back(std::move(v));
  }
  sort_alerts(c.alerts);
  return c;
}

DashboardSnapshot DashboardModel::snapshot(std::int64_t now_ms) const {
  DashboardSnapshot s;
  s.now_ms = now_ms;
  s.server_now_ms = sane(sane(now_ms) + server_offset_ms_);
  s.link = link_;
  s.link_detail = link_detail_;
  s.data_valid = data_valid_;
  s.user = user_;
  s.last_result = last_result_;
  for (const auto& [name, b] : beds_) s.chairs.push_back(chair_view(name, b, now_ms));
  std::sort(s.chairs.begin(), s.chairs.end(), [](const ChairView& a, const ChairView& b) { return natural_less(a.bed, b.bed); });
  for (const auto& c : s.chairs) {
    for (const auto& a : c.alerts) {
      s.alerts.push_back(a);
      if (a.sounding && a.priority > s.sound) s.sound = a.priority;
    }
  }
  sort_alerts(s.alerts);
  // A dashboard that cannot see the daemon cannot know the alarms: it must not sound calm.
  if (link_ == LinkView::Lost && s.sound < Priority::Medium) s.sound = Priority::Medium;
  return s;
}

ChairTrend DashboardModel::trend(const std::string& name) const {
  auto it = beds_.find(name);
  if (it == beds_.end()) return {};
  ChairTrend t = it->second.trend;
  t.baseline_sys = it->second.baseline_sys;
  t.baseline_dia = it->second.baseline_dia;
  if (const auto& s = it->second.session) {
    if (s->infusion_started_at_ms() != 0) t.marks.push_back({sane(s->infusion_started_at_ms()), "start", Priority::None});
    if (s->infusion_stopped_at_ms() != 0) t.marks.push_back({sane(s->infusion_stopped_at_ms()), "stop", Priority::None});
  }
  return t;
}

std::vector<HistoryEntry> DashboardModel::history(const std::string& name) const {
  auto it = beds_.find(name);
  if (it == beds_.end()) return {};
  return {it->second.history.begin(), it->second.history.end()};
}

}  // namespace vigil::dashboard
