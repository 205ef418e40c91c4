#include "alerts/session.hpp"

namespace vigil::alerts {

namespace {

// A wall instant mapped onto the monotonic clock, relative to a known (mono, wall) pair.
MonoTime mono_of(WallMillis wall, Now now) { return now.mono - Duration(now.wall_ms - wall); }

bool running(const Session& s) { return s.phase() == Phase::Infusion && !s.state().infusion_paused; }

}  // namespace

std::string_view to_string(SessionActionKind kind) {
  switch (kind) {
    case SessionActionKind::Begin: return "begin";
    case SessionActionKind::OverrideBaseline: return "override_baseline";
    case SessionActionKind::StartInfusion: return "start_infusion";
    case SessionActionKind::PauseInfusion: return "pause_infusion";
    case SessionActionKind::ResumeInfusion: return "resume_infusion";
    case SessionActionKind::StopInfusion: return "stop_infusion";
    case SessionActionKind::End: return "end";
  }
  return "?";
}

std::string_view to_string(SessionEventKind kind) {
  switch (kind) {
    case SessionEventKind::Begun: return "begun";
    case SessionEventKind::PhaseChanged: return "phase_changed";
    case SessionEventKind::BaselineUpdated: return "baseline_updated";
    case SessionEventKind::BaselineOverridden: return "baseline_overridden";
    case SessionEventKind::InfusionStarted: return "infusion_started";
    case SessionEventKind::InfusionPaused: return "infusion_paused";
    case SessionEventKind::InfusionResumed: return "infusion_resumed";
    case SessionEventKind::InfusionStopped: return "infusion_stopped";
    case SessionEventKind::DischargeCriteriaMet: return "discharge_criteria_met";
    case SessionEventKind::DischargeCriteriaLost: return "discharge_criteria_lost";
    case SessionEventKind::Ended: return "ended";
    case SessionEventKind::Restored: return "restored";
  }
  return "?";
}

Session::Session(const SessionAction& begin, std::string session_id, bool data_seen, Now now) {
  state_.session_id = std::move(session_id);
  state_.bed = begin.bed;
  state_.patient = begin.patient;
  state_.profile = begin.profile.empty() ? "default" : begin.profile;
  state_.planned_minutes = begin.planned_minutes;
  state_.phase = data_seen ? Phase::Baseline : Phase::Setup;
  state_.monitor_data_seen = data_seen;
  state_.begun_at_ms = now.wall_ms;
  state_.snapshot_at_ms = now.wall_ms;
  begun_mono_ = now.mono;
}

Session::Session(const SessionState& stored, Now now) : state_(stored) {
  begun_mono_ = mono_of(stored.begun_at_ms, now);
  if (stored.infusion_started_at_ms != 0) started_mono_ = mono_of(stored.infusion_started_at_ms, now);
  if (stored.infusion_stopped_at_ms != 0) stopped_mono_ = mono_of(stored.infusion_stopped_at_ms, now);
  accumulated_ = Duration(stored.infusion_elapsed_ms);
  if (running(*this)) {
    // The infusion kept running while the daemon was down: count the gap on the wall clock.
    if (now.wall_ms > stored.snapshot_at_ms) accumulated_ += Duration(now.wall_ms - stored.snapshot_at_ms);
    running_since_ = now.mono;
  }
  state_.snapshot_at_ms = now.wall_ms;
}

Duration Session::infusion_elapsed(MonoTime now) const {
  Duration d = accumulated_;
  if (running_since_ && now > *running_since_)
    d += std::chrono::duration_cast<Duration>(now - *running_since_);
  return d;
}

SessionState Session::snapshot(Now now) const {
  SessionState s = state_;
  s.infusion_elapsed_ms = infusion_elapsed(now.mono).count();
  s.snapshot_at_ms = now.wall_ms;
  return s;
}

bool Session::data_seen() {
  state_.monitor_data_seen = true;
  if (state_.phase != Phase::Setup) return false;
  state_.phase = Phase::Baseline;
  return true;
}

void Session::set_baseline(const Baseline& baseline) {
  if (state_.baseline.source == BaselineSource::Override) {
    // The override stands for NIBP; computed HR/SpO2 still fill in what it lacks.
    state_.baseline.hr_bpm = baseline.hr_bpm;
    state_.baseline.spo2_pct = baseline.spo2_pct;
    return;
  }
  state_.baseline = baseline;
}

void Session::override_baseline(const Baseline& baseline) {
  state_.baseline = baseline;
  state_.gate_overridden = true;
}

std::string Session::start_infusion(Now now) {
  if (state_.phase == Phase::Setup)
    return "no monitor data for " + state_.bed + " yet: bind the monitor first";
  if (state_.phase != Phase::Baseline) return "infusion already started";
  state_.phase = Phase::Infusion;
  state_.infusion_started_at_ms = now.wall_ms;
  started_mono_ = now.mono;
  running_since_ = now.mono;
  accumulated_ = Duration(0);
  return {};
}

std::string Session::pause_infusion(Now now) {
  if (state_.phase != Phase::Infusion) return "no infusion running";
  if (state_.infusion_paused) return "infusion already paused";
  accumulated_ = infusion_elapsed(now.mono);
  running_since_.reset();
  state_.infusion_paused = true;
  return {};
}

std::string Session::resume_infusion(Now now) {
  if (state_.phase != Phase::Infusion) return "no infusion to resume";
  if (!state_.infusion_paused) return "infusion is not paused";
  running_since_ = now.mono;
  state_.infusion_paused = false;
  return {};
}

std::string Session::stop_infusion(Now now) {
  if (state_.phase != Phase::Infusion) return "no infusion running";
  accumulated_ = infusion_elapsed(now.mono);
  running_since_.reset();
  state_.infusion_paused = false;
  state_.phase = Phase::Recovery;
  state_.infusion_stopped_at_ms = now.wall_ms;
  stopped_mono_ = now.mono;
  state_.recovery_readings_ok = 0;
  return {};
}

std::string Session::end(Now now) {
  if (state_.phase == Phase::Infusion) return "infusion running: stop the infusion first";
  if (state_.phase == Phase::Closed) return "session already ended";
  state_.phase = Phase::Closed;
  state_.ended_at_ms = now.wall_ms;
  return {};
}

void Session::record(SessionActionKind kind, const std::string& user, WallMillis at, std::string detail) {
  // Actions come from clients: keep the Begin record and the most recent ones.
  if (state_.actions.size() >= kMaxActions) state_.actions.erase(state_.actions.begin() + 1);
  state_.actions.push_back(ActionRecord{kind, user, at, std::move(detail)});
}

}  // namespace vigil::alerts
