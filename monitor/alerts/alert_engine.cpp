// Readings, events, ticks and queries. NIBP measurements are in engine_nibp.cpp, nurse
// actions in session_actions.cpp.
#include "alerts/alert_engine.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "alerts/bed_state.hpp"
#include "alerts/format.hpp"
#include "alerts/vital_rules.hpp"

namespace vigil::alerts {

namespace {

// How long a NIBP measurement waits for its DIA / MEAN before it is judged without them.
constexpr Duration kNibpAssemblyWait = std::chrono::seconds(2);

}  // namespace

AlertEngine::AlertEngine(std::vector<RuleProfile> profiles, EngineLimits limits) : limits_(limits) {
  for (RuleProfile& p : profiles) {
    if (std::string err = validate(p); !err.empty())
      throw std::invalid_argument("rule profile '" + p.name + "': " + err);
    std::string name = p.name;
    if (!profiles_.emplace(name, std::move(p)).second)
      throw std::invalid_argument("rule profile '" + name + "' defined twice");
  }
  if (profiles_.find("default") == profiles_.end()) profiles_.emplace("default", RuleProfile{});
  default_profile_ = &profiles_.find("default")->second;
}

AlertEngine::~AlertEngine() = default;

BedState* AlertEngine::bed_for(std::string_view name, bool create) {
  auto it = beds_.find(name);
  if (it != beds_.end()) return it->second.get();
  if (!create || name.empty() || name.size() > limits_.max_text || beds_.size() >= limits_.max_beds)
    return nullptr;
  auto [added, ok] = beds_.emplace(std::string(name), std::make_unique<BedState>(std::string(name)));
  return added->second.get();
}

const BedState* AlertEngine::find_bed(std::string_view name) const {
  auto it = beds_.find(name);
  return it == beds_.end() ? nullptr : it->second.get();
}

const RuleProfile& AlertEngine::profile_for(const BedState& bed) const {
  if (bed.session) {
    auto it = profiles_.find(bed.session->state().profile);
    if (it != profiles_.end()) return it->second;
  }
  return *default_profile_;
}

Emit AlertEngine::emit_for(const BedState& bed, Now now, EngineOutput& out) {
  return Emit{now, bed.phase(), profile_for(bed).name, &counters_, &out.transitions};
}

void AlertEngine::session_event(BedState& bed, SessionEventKind kind, const std::string& user, Now now,
                                EngineOutput& out) {
  out.session_events.push_back(SessionEvent{kind, bed.name, user, now, bed.session->snapshot(now)});
}

ReadingResult AlertEngine::on_reading(const Reading& r, Now now) {
  // The rules judge the number the nurse sees. A copy only for a fractional value (kPa
  // conversions, a few monitors' means), so the common whole reading is not copied.
  if (shown_whole(r.kind) && std::isfinite(r.value) && r.value != std::round(r.value)) {
    Reading whole = r;
    whole.value = std::round(r.value);
    return on_reading(whole, now);
  }
  ReadingResult res;
  BedState* bed = r.bed.empty() ? nullptr : bed_for(r.bed, true);
  if (bed == nullptr) {
    res.accepted = res.verified = false;
    res.reason = r.bed.empty() ? "reading has no bed" : "bed not accepted (name too long or too many beds)";
    return res;
  }
  const bool withdrawal = is_withdrawal(r);
  const bool was_spot = is_nibp(r.kind) && spot_value(*bed, r.source);
  note_source(*bed, r.source, now.mono,
              withdrawal        ? SourceData::Withdrawal
              : is_nibp(r.kind) ? SourceData::Nibp
                                : SourceData::Vital,
              r.source_is_device, r.measured_at_ms);
  bed->last_data = now.mono;
  if (bed->session && bed->session->data_seen())
    session_event(*bed, SessionEventKind::PhaseChanged, {}, now, res);
  Emit emit = emit_for(*bed, now, res);
  t1_link(*bed, profile_for(*bed), emit);
  if (withdrawal) {
    // Before the late check: a correction comes after its result, with the result's stamp.
    res.verified = false;
    res.reason = "withdrawn by the device (OBX-11 " + clip(r.status, 16) + ")";
    if (is_nibp(r.kind)) withdraw_nibp(*bed, r, now, res);
    finish_reading(*bed, res);
    return res;
  }
  const WallMillis received = r.received_at_ms != 0 ? r.received_at_ms : now.wall_ms;
  if (const auto late = late_by(*bed, r, now, received)) {
    late_reading(*bed, r, *late, received, now, res);
    return res;
  }
  // The device's clock against ours; a reading without a device time was given its arrival.
  // A late reading says nothing of the clock (a backlog would drag the median with it).
  t8_clock(*bed, profile_for(*bed), clip(r.source, limits_.max_text), received, r.measured_at_ms, emit);

  if (!r.valid) {
    res.verified = false;
    res.reason = "flagged invalid by the device" +
                 (r.status.empty() ? std::string() : " (" + clip(r.status, 16) + ")");
  }
  switch (r.kind) {
    case VitalKind::NibpSys:
    case VitalKind::NibpDia:
    case VitalKind::NibpMean:
      process_nibp_part(*bed, r, now, res);
      // The cuff's result after the pulse or SpO2 of its own message: those were spot values.
      if (!was_spot && spot_value(*bed, r.source)) respot_vitals(*bed, now, res);
      break;
    case VitalKind::HeartRate:
    case VitalKind::PulseRate:
      if (r.valid) process_vital(*bed, r, now, res);
      break;
    case VitalKind::SpO2:
      if (r.valid) {
        process_vital(*bed, r, now, res);
      } else if (!bed->probe_off_since) {
        // The monitor says it cannot measure the saturation (HL7 OBX-11 X): to the nurse this
        // is the probe off, as a serial monitor's probe-off status is (T6).
        bed->probe_off_since = now.mono;
      }
      break;
    default: break;
  }
  finish_reading(*bed, res);
  return res;
}

void AlertEngine::finish_reading(BedState& bed, ReadingResult& res) {
  res.phase = bed.phase();
  if (bed.session) res.baseline = bed.session->state().baseline;
  bed.book.purge();
}

void AlertEngine::evaluate_discharge(BedState& bed, Now now, EngineOutput& out) {
  if (bed.phase() != Phase::Recovery) return;
  const RuleProfile& p = profile_for(bed);
  const auto stopped = bed.session->stopped_at();
  SessionState& s = bed.session->mutable_state();
  const bool met = stopped && now.mono - *stopped >= p.recovery.min_after_stop &&
                   s.recovery_readings_ok >= p.recovery.readings && !bed.book.any_unacknowledged();
  if (met && !s.discharge_criteria_met_at_ms) {
    s.discharge_criteria_met_at_ms = now.wall_ms;
    session_event(bed, SessionEventKind::DischargeCriteriaMet, {}, now, out);
  } else if (!met && s.discharge_criteria_met_at_ms) {
    s.discharge_criteria_met_at_ms.reset();
    session_event(bed, SessionEventKind::DischargeCriteriaLost, {}, now, out);
  }
}

void AlertEngine::tick_bed(BedState& bed, Now now, EngineOutput& out) {
  tick_bed(bed, now, out, sources_in_sessions(now.mono));
}

void AlertEngine::tick_bed(BedState& bed, Now now, EngineOutput& out,
                           const std::map<std::string, int, std::less<>>& in_sessions) {
  if (auto m = bed.nibp.flush_older_than(now.mono, kNibpAssemblyWait)) process_nibp(bed, *m, now, out);
  const RuleProfile& p = profile_for(bed);
  Emit emit = emit_for(bed, now, out);
  evaluate_vital_rules(bed, p, emit);
  t1_link(bed, p, emit);
  t2_dashboard(bed, p, last_dashboard_confirmed_, emit);
  t3_stale_nibp(bed, p, emit);
  t6_probe(bed, p, emit);
  t7_binding(bed, p, shared_sources(bed, now.mono, in_sessions), emit);
  t8_system(bed, p, health_, emit);
  t8_clock_tick(bed, p, emit);
  t8_unreadable(bed, p, {}, {}, emit);
  t8_links(bed, p, emit);
  bed.book.tick(p.alarm, emit);
  evaluate_discharge(bed, now, out);
  bed.book.purge();
}

EngineOutput AlertEngine::tick(Now now) {
  TickRound round;
  return tick_some(now, round, beds_.size());
}

EngineOutput AlertEngine::tick_some(Now now, TickRound& round, std::size_t max_beds) {
  EngineOutput out;
  if (!round.open) {
    round.open = true;
    round.after.reset();
    // Which devices feed open sessions, counted once per round for T7 (one monitor, two
    // chairs); T7's window is minutes, so a count a round old is current enough.
    round.in_sessions = sources_in_sessions(now.mono);
  }
  // By name, not by iterator: a chair forgotten or added between slices leaves no dangling
  // position; one added before the cursor is ticked from the next round on.
  auto it = round.after ? beds_.upper_bound(*round.after) : beds_.begin();
  const std::size_t slice = std::max<std::size_t>(max_beds, 1);  // a round always moves on
  for (std::size_t n = 0; it != beds_.end() && n < slice; ++it, ++n)
    tick_bed(*it->second, now, out, round.in_sessions);
  if (it == beds_.end()) {
    round.open = false;
    round.in_sessions.clear();
  } else {
    round.after = std::prev(it)->first;
  }
  return out;
}

EngineOutput AlertEngine::on_device_event(const DeviceEvent& ev, Now now) {
  EngineOutput out;
  BedState* bed = bed_for(ev.bed, true);
  if (bed == nullptr) return out;
  // A link going down or up is not data from the device: it must not keep T1 quiet.
  const bool link_news = ev.kind == DeviceEventKind::LinkDown || ev.kind == DeviceEventKind::LinkUp;
  // A failed cuff is a spot check's message too; any other event from the device (a
  // heartbeat, a probe report) says it streams.
  if (!link_news)
    note_source(*bed, ev.source, now.mono,
                ev.kind == DeviceEventKind::NibpFailed ? SourceData::Nibp : SourceData::Heartbeat);
  const RuleProfile& p = profile_for(*bed);
  Emit emit = emit_for(*bed, now, out);
  switch (ev.kind) {
    case DeviceEventKind::Heartbeat: break;
    case DeviceEventKind::NibpFailed: {
      DeviceEvent clipped{ev.bed, ev.source, ev.kind, clip(ev.code, 32), clip(ev.text, limits_.max_text)};
      t4_nibp_failed(*bed, p, clipped, emit);
      break;
    }
    case DeviceEventKind::ProbeOff:
      if (!bed->probe_off_since) bed->probe_off_since = now.mono;
      break;
    case DeviceEventKind::ProbeOn: bed->probe_off_since.reset(); break;
    case DeviceEventKind::LinkDown: {
      auto it = std::find_if(bed->links_down.begin(), bed->links_down.end(),
                             [&](const LinkDownSeen& l) { return l.source == ev.source; });
      if (it == bed->links_down.end()) {
        if (bed->links_down.size() >= BedState::kMaxSources) bed->links_down.erase(bed->links_down.begin());
        bed->links_down.push_back(
            {clip(ev.source, limits_.max_text), now.mono, clip(ev.text, limits_.max_text)});
      } else {
        it->detail = clip(ev.text, limits_.max_text);  // the newest reason; the time it went down stays
      }
      t8_links(*bed, p, emit);
      break;
    }
    case DeviceEventKind::LinkUp:
      std::erase_if(bed->links_down, [&](const LinkDownSeen& l) { return l.source == ev.source; });
      t8_links(*bed, p, emit);
      break;
    case DeviceEventKind::Unreadable:
      t8_unreadable(*bed, p, clip(ev.source, limits_.max_text),
                    ev.text.empty() ? std::string("unreadable observation") : clip(ev.text, limits_.max_text),
                    emit);
      break;
  }
  t1_link(*bed, p, emit);
  t6_probe(*bed, p, emit);
  bed->book.purge();
  return out;
}

EngineOutput AlertEngine::on_system_event(const SystemEvent& ev, Now now) {
  switch (ev.kind) {
    case SystemEventKind::LogWriteFailed:
      health_.log_failed = true;
      health_.log_detail = clip(ev.detail, limits_.max_text);
      break;
    case SystemEventKind::LogWriteOk: health_.log_failed = false; break;
    case SystemEventKind::AudioFailed:
      health_.audio_failed = true;
      health_.audio_detail = clip(ev.detail, limits_.max_text);
      break;
    case SystemEventKind::AudioOk: health_.audio_failed = false; break;
    case SystemEventKind::ClockSkew: break;  // measured per source from readings instead (t8_clock)
    case SystemEventKind::ForwardFailed:
      health_.forward_failed = true;
      health_.forward_detail = clip(ev.detail, limits_.max_text);
      break;
    case SystemEventKind::ForwardOk: health_.forward_failed = false; break;
    case SystemEventKind::DiskSpaceLow:
      health_.disk_low = true;
      health_.disk_detail = clip(ev.detail, limits_.max_text);
      break;
    case SystemEventKind::DiskSpaceOk: health_.disk_low = false; break;
    case SystemEventKind::ForwardWarning:
      health_.forward_warning = true;
      health_.forward_warning_detail = clip(ev.detail, limits_.max_text);
      break;
    case SystemEventKind::ForwardWarningOk: health_.forward_warning = false; break;
    case SystemEventKind::ChairsFull:
      health_.chairs_full = true;
      health_.chairs_detail = clip(ev.detail, limits_.max_text);
      break;
    case SystemEventKind::ChairsOk: health_.chairs_full = false; break;
    case SystemEventKind::Restarted:
      health_.restarted = true;
      health_.restart_detail = clip(ev.detail, limits_.max_text);
      break;
    case SystemEventKind::RestartNoticeOver: health_.restarted = false; break;
    case SystemEventKind::EscalationMailFailed:
      health_.mail_failed = true;
      health_.mail_detail = clip(ev.detail, limits_.max_text);
      break;
    case SystemEventKind::EscalationMailOk: health_.mail_failed = false; break;
  }
  EngineOutput out;
  for (auto& [name, bed] : beds_) {
    Emit emit = emit_for(*bed, now, out);
    t8_system(*bed, profile_for(*bed), health_, emit);
    bed->book.purge();
  }
  return out;
}

EngineOutput AlertEngine::on_dashboard_confirmed(Now now) {
  last_dashboard_confirmed_ = now.mono;
  EngineOutput out;
  for (auto& [name, bed] : beds_) {
    Emit emit = emit_for(*bed, now, out);
    t2_dashboard(*bed, profile_for(*bed), last_dashboard_confirmed_, emit);
    bed->book.purge();
  }
  return out;
}

bool AlertEngine::forget_bed(std::string_view name) {
  auto it = beds_.find(name);
  for (const auto& [id, alert] : restored_) {
    if (alert.last.bed == name) return false;  // never lose an alert
  }
  if (it == beds_.end()) return true;
  if (it->second->session || !it->second->book.active().empty()) return false;  // never lose an alert
  beds_.erase(it);
  return true;
}

std::vector<Alert> AlertEngine::active_alerts(std::string_view bed) const {
  const BedState* b = find_bed(bed);
  return b ? b->book.active() : std::vector<Alert>{};
}

std::optional<SessionView> AlertEngine::session(std::string_view bed, Now now) const {
  const BedState* b = find_bed(bed);
  if (!b || !b->session) return std::nullopt;
  SessionView v{b->session->snapshot(now), std::nullopt};
  if (auto stopped = b->session->stopped_at())
    v.time_since_stop = std::chrono::duration_cast<Duration>(now.mono - *stopped);
  return v;
}

Phase AlertEngine::phase(std::string_view bed) const {
  const BedState* b = find_bed(bed);
  return b ? b->phase() : Phase::Monitoring;
}

std::optional<Baseline> AlertEngine::baseline(std::string_view bed) const {
  const BedState* b = find_bed(bed);
  if (!b || !b->session || b->session->state().baseline.source == BaselineSource::None) return std::nullopt;
  return b->session->state().baseline;
}

bool AlertEngine::audio_paused(std::string_view bed) const {
  const BedState* b = find_bed(bed);
  return b && b->book.audio_paused();
}

std::vector<std::string> AlertEngine::beds() const {
  std::vector<std::string> out;
  for (const auto& [name, bed] : beds_) out.push_back(name);
  return out;
}

const RuleProfile* AlertEngine::profile(std::string_view name) const {
  auto it = profiles_.find(name);
  return it == profiles_.end() ? nullptr : &it->second;
}

}  // namespace vigil::alerts
