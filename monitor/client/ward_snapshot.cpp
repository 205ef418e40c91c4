// The ward model's output side: chair state into the plain views both faces read.
#include <algorithm>
#include <cctype>
#include <cmath>

#include "client/ward_model.hpp"
#include "client/ward_time.hpp"

namespace vigil::client {

namespace {

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

// A link that brings nothing: closed, or open without a valid record for its timeout.
bool down(const DeviceView& d) { return d.state == proto::lost || d.state == proto::silent; }

}  // namespace

VitalView WardModel::vital_view(const Bed& b, proto::VitalKind kind, std::int64_t server_now,
                                std::optional<std::int64_t> recovery_ms) const {
  VitalView v;
  auto it = b.vitals.find(kind);
  if (it == b.vitals.end() || !data_valid_) return v;
  const bool device_lost = !b.devices.empty() && std::all_of(b.devices.begin(), b.devices.end(),
                                                             [](const auto& d) { return down(d.second); });
  if (device_lost) return v;  // a lost monitor's last value is not shown as if current
  // Rounded half away from zero, as the engine judges it: 199.5 is "200" and met ">= 200".
  // printf's "%.0f" would round half to even and show 80.5 as "80".
  v.value = std::round(it->second.value);
  v.unverified = it->second.unverified;
  v.age_ms = std::max<std::int64_t>(0, server_now - it->second.arrived_ms);
  v.age_text = age_text(v.age_ms);
  v.freshness =
      v.age_ms > expected_cycle_ms(kind, b.phase, b.nibp, recovery_ms) ? Freshness::Stale : Freshness::Fresh;
  return v;
}

// The chair's HR cell: the heart rate the alert engine judges P6/P7 on. A monitor without ECG
// (a spot-check cuff, many oximeters) sends its heart rate as pulse rate (PULSE), and the
// engine takes it once no valid ECG HR has come for the profile's switch delay
// (pulse_counts_as_hr); a cell keeping the ECG HR until it is a minute old showed 72 beside
// "HR 140 >= 130" for 50 s after the leads came off. The rule (ward.js heartRateView states
// the same): the ECG HR while a valid one came within the switch delay; after that the pulse
// rate when one came since the last valid ECG HR (stale or not: then shown stale, as any
// value); but the HR when neither is current and the HR arrived later, or no pulse rate came
// since it.
VitalView WardModel::heart_rate_view(const Bed& b, std::int64_t server_now,
                                     std::optional<std::int64_t> recovery_ms) const {
  VitalView hr = vital_view(b, proto::HR, server_now, recovery_ms);
  const bool ecg_judged = b.last_ecg_hr_ms && server_now - *b.last_ecg_hr_ms <= b.hr_from_pulse_after_ms;
  if (hr.value && ecg_judged) return hr;
  VitalView pulse = vital_view(b, proto::PULSE, server_now, recovery_ms);
  if (!pulse.value) return hr;
  const std::int64_t pulse_at = b.vitals.at(proto::PULSE).arrived_ms;
  if (hr.value && b.last_ecg_hr_ms && pulse_at <= *b.last_ecg_hr_ms) return hr;
  if (pulse.freshness != Freshness::Fresh && hr.value && hr.age_ms < pulse.age_ms) return hr;
  pulse.from_pulse = true;
  return pulse;
}

// Whether `source` (empty, or the restart's stand-in "any monitor": any device) sent a value
// this chair shows after `since_ms` (daemon clock).
bool WardModel::sent_since(const Bed& b, const std::string& source, std::int64_t since_ms) {
  const bool any = source.empty() || source == "any monitor";
  if (any && b.last_data_ms && *b.last_data_ms > since_ms) return true;
  return std::any_of(b.vitals.begin(), b.vitals.end(), [&](const auto& kv) {
    return (any || kv.second.source == source) && kv.second.arrived_ms > since_ms;
  });
}

ChairView WardModel::chair_view(const std::string& name, const Bed& b, std::int64_t now_ms) const {
  const std::int64_t server_now = server_now_ms(now_ms);
  ChairView c;
  c.bed = name;
  c.phase = b.phase;
  c.audio_paused = b.audio_paused;
  for (const auto& [source, d] : b.devices) c.devices.push_back(d);
  c.device_lost = !c.devices.empty() && std::all_of(c.devices.begin(), c.devices.end(), down);
  if (b.session) {
    c.has_session = true;
    c.patient = b.session->patient();
  }
  if (!data_valid_) return c;  // names only: every value, clock and alert blank
  if (b.session) {
    const auto& s = *b.session;
    c.planned_minutes = s.planned_minutes();
    c.infusion_paused = s.infusion_paused();
    c.infusion_running = s.infusion_started_at_ms() != 0 && s.infusion_stopped_at_ms() == 0;
    c.infusion_elapsed_ms = sane_ms(s.infusion_elapsed_ms());
    if (c.infusion_running && !c.infusion_paused && s.snapshot_at_ms() != 0)
      c.infusion_elapsed_ms += std::max<std::int64_t>(0, server_now - sane_ms(s.snapshot_at_ms()));
    if (s.infusion_stopped_at_ms() != 0)
      c.recovery_ms = std::max<std::int64_t>(0, server_now - sane_ms(s.infusion_stopped_at_ms()));
  }
  c.sys = vital_view(b, proto::NIBP_SYS, server_now, c.recovery_ms);
  c.dia = vital_view(b, proto::NIBP_DIA, server_now, c.recovery_ms);
  c.map = vital_view(b, proto::NIBP_MEAN, server_now, c.recovery_ms);
  // The BP cell is one cuff result: a part of an older one, which the newer result lacked (a
  // monitor that could not give the SBP), is not shown beside it: "120/126" was the old SBP
  // next to the new DBP. ward.js states the same.
  const Vital* newest = nullptr;
  for (proto::VitalKind k : {proto::NIBP_SYS, proto::NIBP_DIA, proto::NIBP_MEAN}) {
    auto it = b.vitals.find(k);
    if (it != b.vitals.end() && (newest == nullptr || it->second.arrived_ms > newest->arrived_ms))
      newest = &it->second;
  }
  auto blank_other_result = [&](proto::VitalKind k, VitalView& view) {
    auto it = b.vitals.find(k);
    if (it != b.vitals.end() && newest != nullptr &&
        (it->second.measured_ms != newest->measured_ms || it->second.source != newest->source))
      view = VitalView{};
  };
  blank_other_result(proto::NIBP_SYS, c.sys);
  blank_other_result(proto::NIBP_DIA, c.dia);
  blank_other_result(proto::NIBP_MEAN, c.map);
  c.hr = heart_rate_view(b, server_now, c.recovery_ms);
  c.spo2 = vital_view(b, proto::SPO2, server_now, c.recovery_ms);
  c.baseline_sys = b.baseline_sys;
  c.baseline_dia = b.baseline_dia;
  if (auto it = b.vitals.find(proto::NIBP_SYS); it != b.vitals.end())
    c.next_nibp_in_ms = it->second.arrived_ms +
                        expected_cycle_ms(proto::NIBP_SYS, b.phase, b.nibp, c.recovery_ms) - server_now;
  if (b.last_data_ms) c.data_age_ms = std::max<std::int64_t>(0, server_now - *b.last_data_ms);
  for (const auto& [id, a] : b.alerts) {
    AlertView v;
    v.id = a.id;
    v.bed = name;
    v.rule = a.rule;
    v.priority = a.priority;
    v.state = a.state;
    v.kind = a.kind;
    v.message = a.message;
    v.text = display_text(a.message);
    v.acknowledged_by = a.acknowledged_by;
    v.onset_ms = a.onset_ms;
    v.advisory = a.kind == proto::advisory || a.state == proto::ADVISORY;
    v.colour = alert_colour(a.priority, v.advisory);
    v.flashing = alert_flashes(a.priority, a.state, v.advisory);
    v.lit = flash_lit(a.priority, a.state, v.advisory, now_ms);
    v.sounding = !v.advisory && !b.audio_paused && (a.state == proto::ACTIVE || a.state == proto::LATCHED);
    v.escalation = escalation_text(a.escalated_to, a.escalated_at_ms, a.unreached_tier, a.unreached_at_ms);
    if (!v.advisory && a.priority > c.top_priority) c.top_priority = a.priority;
    c.alerts.push_back(std::move(v));
    // Acknowledged or not, a T1 still means the monitor sends nothing; but one restored from
    // before a restart stays until acknowledged (docs/alarms.md) while its monitor may send
    // again, and data from it since the alert began says the link is not silent.
    if (a.rule == proto::T1 && !sent_since(b, a.subject, a.onset_ms))
      c.silent_monitors.push_back(a.subject.empty() ? "monitor" : a.subject);
  }
  sort_alerts(c.alerts);
  std::sort(c.silent_monitors.begin(), c.silent_monitors.end());
  c.silent_monitors.erase(std::unique(c.silent_monitors.begin(), c.silent_monitors.end()),
                          c.silent_monitors.end());
  return c;
}

WardSnapshot WardModel::snapshot(std::int64_t now_ms) const {
  WardSnapshot s;
  s.now_ms = now_ms;
  s.server_now_ms = server_now_ms(now_ms);
  s.server_time_known = server_time_known_;
  s.link = link_;
  s.link_detail = link_detail_;
  s.data_valid = data_valid_;
  s.user = user_;
  s.nurses = nurses_;
  s.pin_required = pin_required_;
  s.last_result = last_result_;
  s.dropped = dropped_;
  for (const auto& [name, b] : beds_) s.chairs.push_back(chair_view(name, b, now_ms));
  std::sort(s.chairs.begin(), s.chairs.end(),
            [](const ChairView& a, const ChairView& b) { return natural_less(a.bed, b.bed); });
  for (const auto& c : s.chairs) {
    for (const auto& a : c.alerts) {
      s.alerts.push_back(a);
      if (a.sounding && a.priority > s.sound) s.sound = a.priority;
    }
  }
  sort_alerts(s.alerts);
  // A screen that cannot see the daemon cannot know the alarms: it must not sound calm.
  if (link_ == LinkView::Lost && s.sound < Priority::Medium) s.sound = Priority::Medium;
  return s;
}

ChairTrend WardModel::trend(const std::string& name) const {
  auto it = beds_.find(name);
  if (it == beds_.end()) return {};
  ChairTrend t = it->second.trend;
  t.baseline_sys = it->second.baseline_sys;
  t.baseline_dia = it->second.baseline_dia;
  if (const auto& s = it->second.session) {
    if (s->infusion_started_at_ms() != 0)
      t.marks.push_back({sane_ms(s->infusion_started_at_ms()), "start", Priority::None});
    if (s->infusion_stopped_at_ms() != 0)
      t.marks.push_back({sane_ms(s->infusion_stopped_at_ms()), "stop", Priority::None});
  }
  return t;
}

std::vector<HistoryEntry> WardModel::history(const std::string& name) const {
  auto it = beds_.find(name);
  if (it == beds_.end()) return {};
  return {it->second.history.begin(), it->second.history.end()};
}

}  // namespace vigil::client
