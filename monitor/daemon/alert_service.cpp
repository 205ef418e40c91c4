#include "daemon/alert_service.hpp"

#include <string_view>
#include <unordered_set>

#include <spdlog/spdlog.h>
#include <algorithm>
#include <boost/asio/post.hpp>

#include "alerts/alert_records.hpp"
#include "alerts/profile_config.hpp"
#include "daemon/nibp_batch.hpp"

namespace vigil::daemon {

namespace {

alerts::EngineLimits daemon_limits() {
  alerts::EngineLimits limits;
  // Above the largest max_chairs (20000), with room for serial and restored chairs: the
  // daemon's chair cap, which answers AR and raises T8, is the one that speaks.
  limits.max_beds = 20000 + 4096;
  return limits;
}

}  // namespace

AlertService::AlertService(boost::asio::io_context& io, const DaemonClock& clock, Journal& journal,
                           std::vector<alerts::RuleProfile> profiles)
    : clock_(clock),
      journal_(journal),
      configured_profiles_([&] {
        std::vector<std::string> names;
        for (const auto& p : profiles) names.push_back(p.name);
        return names;
      }()),
      engine_(std::move(profiles), daemon_limits()),
      io_(io),
      ticker_(io, kTickInterval, [this] { tick(); }) {}

std::string AlertService::restore(store::Store& store) {
  const alerts::Now now = clock_.now();
  engine_.set_next_alert_number(store.alert_log_rows() + 1);
  int sessions = 0;
  for (const proto::SessionInfo& info : store.open_sessions()) {
    std::string error;
    auto state = alerts::from_proto(info, &error);
    if (!state) {
      spdlog::error("restart: session {} of {} cannot be restored: {}", info.session_id(), info.bed(), error);
      continue;
    }
    auto result = engine_.restore(*state, now);
    if (!result.ok) {
      spdlog::error("restart: session {} of {} refused: {}", info.session_id(), info.bed(), result.reason);
      continue;
    }
    ++sessions;
  }
  std::size_t alerts = 0;
  std::size_t unreadable = 0;
  for (const proto::AlertEvent& record : store.unresolved_alerts()) {
    std::string error;
    auto alert = alerts::restored_from_proto(record, &error);
    if (!alert) {
      spdlog::error("restart: alert {} of {} cannot be restored: {}", record.id(), record.bed(), error);
      ++unreadable;
      continue;
    }
    engine_.restore_alert(std::move(*alert));
    ++alerts;
  }
  std::string summary = std::to_string(sessions) + " open sessions and " + std::to_string(alerts) +
                        " unresolved alerts restored from the log";
  // Only a log written by a newer vigild holds values this build cannot read (a downgrade):
  // the start-up line says so too, so a stored alarm that is no longer shown is never silent.
  if (unreadable > 0)
    summary += "; " + std::to_string(unreadable) +
               " unresolved alerts NOT restored (written by a newer vigild; see the errors above)";
  return summary;
}

store::WriteBatch AlertService::profile_records() const {
  store::WriteBatch batch;
  std::vector<std::string> names = configured_profiles_;
  if (std::find(names.begin(), names.end(), "default") == names.end()) names.push_back("default");
  for (const std::string& name : names) {
    if (engine_.profile(name) == nullptr) continue;
    const bool builtin = std::find(configured_profiles_.begin(), configured_profiles_.end(), name) ==
                         configured_profiles_.end();
    batch.config.push_back({clock_.wall_ms(), "profile " + name + " in force",
                            builtin ? "built-in defaults (docs/alarms.md)" : "from the config file"});
  }
  return batch;
}

void AlertService::start() { ticker_.start(); }

void AlertService::stop() {
  ticker_.stop();
  alive_ = std::make_shared<int>(0);  // slices already queued find theirs expired
}

void AlertService::log(const alerts::EngineOutput& out) {
  if (out.transitions.empty() && out.session_events.empty()) return;
  store::WriteBatch batch;
  append(batch, out);
  journal_.write(std::move(batch), nullptr);
}

void AlertService::tick() {
  const alerts::Now now = clock_.now();
  if (restart_notice_until_ && now.mono >= *restart_notice_until_) {
    restart_notice_until_.reset();
    log(engine_.on_system_event({alerts::SystemEventKind::RestartNoticeOver, 0, ""}, now));
  }
  if (round_.open) return;  // the last round's slices are still queued: it goes on
  tick_slice();
}

void AlertService::tick_slice() {
  log(engine_.tick_some(clock_.now(), round_, kBedsPerSlice));
  if (!round_.open) return;
  // post, not run on: monitors' reads and the writer's commits queued meanwhile go first.
  boost::asio::post(io_, [this, alive = std::weak_ptr<int>(alive_)] {
    if (!alive.expired()) tick_slice();
  });
}

void AlertService::on_restarted(const std::string& detail, std::chrono::milliseconds hold) {
  spdlog::critical("{}", detail);
  const alerts::Now now = clock_.now();
  restart_notice_until_ = now.mono + std::chrono::duration_cast<alerts::Duration>(hold);
  log(engine_.on_system_event({alerts::SystemEventKind::Restarted, 0, detail}, now));
}

void AlertService::on_device_conditions(const std::string& bed, const std::string& source,
                                        const std::vector<std::string>& nibp_failures, bool spo2_trouble,
                                        const std::string& detail) {
  const alerts::Now now = clock_.now();
  for (const std::string& code : nibp_failures) {
    log(engine_.on_device_event({bed, source, alerts::DeviceEventKind::NibpFailed, code, detail}, now));
  }
  bool& off = probe_off_[{bed, source}];
  if (spo2_trouble != off) {
    off = spo2_trouble;
    const auto kind = spo2_trouble ? alerts::DeviceEventKind::ProbeOff : alerts::DeviceEventKind::ProbeOn;
    log(engine_.on_device_event({bed, source, kind, spo2_trouble ? "SPO2" : "", detail}, now));
  }
}

void AlertService::on_unreadable(const std::string& bed, const std::string& source,
                                 const std::string& detail) {
  log(engine_.on_device_event({bed, source, alerts::DeviceEventKind::Unreadable, "", detail}, clock_.now()));
}

void AlertService::on_link(const std::string& bed, const std::string& source, bool down,
                           const std::string& detail) {
  const auto kind = down ? alerts::DeviceEventKind::LinkDown : alerts::DeviceEventKind::LinkUp;
  log(engine_.on_device_event({bed, source, kind, "", detail}, clock_.now()));
}

std::string AlertService::session_id(const std::string& bed) const {
  auto view = engine_.session(bed, clock_.now());
  return view ? view->state.session_id : std::string();
}

void AlertService::append(store::WriteBatch& batch, const alerts::EngineOutput& out) const {
  for (const alerts::AlertTransition& t : out.transitions) {
    batch.alerts.push_back(alerts::to_proto(t));
    batch.alert_session_ids.push_back(session_id(t.bed));
  }
  for (const alerts::SessionEvent& e : out.session_events) {
    batch.sessions.push_back(alerts::to_proto(e));
    // The cadence in force after the event, so a screen greys NIBP by the chair's profile.
    const bool ended = e.kind == alerts::SessionEventKind::Ended;
    *batch.sessions.back().mutable_nibp() = nibp_schedule(ended ? std::string() : e.state.profile);
  }
}

proto::NibpSchedule AlertService::nibp_schedule(const std::string& profile_name) const {
  const alerts::RuleProfile* profile = engine_.profile(profile_name);
  if (!profile) profile = engine_.profile("default");  // always there (AlertEngine adds it)
  return alerts::nibp_schedule(*profile);
}

void AlertService::enrich(store::WriteBatch& batch) {
  const alerts::Now now = clock_.now();
  batch.reading_context.resize(batch.readings.size());
  NibpBatch nibp(batch);
  std::size_t late = 0;
  for (std::size_t i = 0; i < batch.readings.size(); ++i) {
    const Reading& r = batch.readings[i];
    alerts::ReadingResult result = engine_.on_reading(r, now);
    store::ReadingContext& c = batch.reading_context[i];
    c.verified = result.accepted && result.verified;
    c.late = result.late;
    late += result.late ? 1 : 0;
    c.phase = alerts::to_proto(result.phase);
    if (result.baseline) {
      c.baseline_sys = result.baseline->sys_mmhg;
      c.baseline_dia = result.baseline->dia_mmhg;
    }
    c.session_id = session_id(r.bed);
    nibp.apply(i, result.nibp_verdicts);
    append(batch, result);
  }
  // A batch is one message: a cuff result in it that lacked its SBP is judged now, before
  // its parts are stored (each chair of the message once; a gateway's message has several).
  std::unordered_set<std::string_view> ended;
  for (const Reading& r : batch.readings) {
    if (!is_nibp(r.kind) || r.bed.empty() || !ended.insert(r.bed).second) continue;
    const alerts::EngineOutput done = engine_.end_of_message(r.bed, now);
    if (done.nibp_verdicts.empty() && done.transitions.empty()) continue;
    nibp.apply(batch.readings.size() - 1, done.nibp_verdicts);
    append(batch, done);
  }
  if (late > 0) {
    late_readings_ += late;
    spdlog::info(
        "alerts: {} readings were old results sent again (older than the device's newest of their kind): "
        "stored, not judged or shown as current",
        late);
  }
  if (const std::size_t dropped = nibp.drop_resent(); dropped > 0) {
    nibp_resends_ += dropped;
    spdlog::debug("alerts: {} NIBP readings were a result the monitor had sent before; not stored again",
                  dropped);
  }
}

void AlertService::fill_snapshot(std::vector<proto::BedState>& beds) const {
  const alerts::Now now = clock_.now();
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < beds.size(); ++i) index[beds[i].bed()] = i;
  auto bed_state = [&](const std::string& bed) -> proto::BedState& {
    auto it = index.find(bed);
    if (it != index.end()) return beds[it->second];
    index[bed] = beds.size();
    beds.emplace_back().set_bed(bed);
    return beds.back();
  };
  for (const std::string& bed : engine_.beds()) {
    proto::BedState& state = bed_state(bed);
    const alerts::Phase phase = engine_.phase(bed);
    state.set_phase(alerts::to_proto(phase));
    state.set_audio_paused(engine_.audio_paused(bed));
    if (auto view = engine_.session(bed, now)) *state.mutable_session() = alerts::to_proto(view->state);
    for (const alerts::Alert& alert : engine_.active_alerts(bed)) {
      *state.add_active_alerts() = alerts::to_proto(alert, phase);
    }
  }
  for (const alerts::RestoredAlert& alert : engine_.restored_alerts())
    *bed_state(alert.last.bed).add_active_alerts() = alerts::to_proto(alert);
}

AlertService::AlertCounts AlertService::alert_counts() const {
  AlertCounts counts;
  auto count_priority = [&counts](alerts::Priority priority) {
    switch (priority) {
      case alerts::Priority::Low: ++counts.low; break;
      case alerts::Priority::Medium: ++counts.medium; break;
      case alerts::Priority::High: ++counts.high; break;
    }
  };
  for (const std::string& bed : engine_.beds()) {
    for (const alerts::Alert& alert : engine_.active_alerts(bed)) {
      count_priority(alert.priority);
      if (alert.rule != alerts::RuleId::T8) continue;
      ++counts.technical;
      // Every chair carries the same daemon-health T8: list each text once.
      const std::string text = alert.subject + ": " + alert.message;
      if (counts.technical_texts.size() < kMaxTechnicalTexts &&
          std::find(counts.technical_texts.begin(), counts.technical_texts.end(), text) ==
              counts.technical_texts.end())
        counts.technical_texts.push_back(text);
    }
  }
  for (const alerts::RestoredAlert& alert : engine_.restored_alerts()) count_priority(alert.last.priority);
  return counts;
}

void AlertService::add_nibp_schedules(std::vector<proto::BedState>& beds) const {
  for (proto::BedState& state : beds)
    *state.mutable_nibp() = nibp_schedule(state.has_session() ? state.session().profile() : std::string());
}

void AlertService::attach_session(proto::RequestResult& result, const std::string& bed) const {
  if (auto view = engine_.session(bed, clock_.now()))
    *result.mutable_session() = alerts::to_proto(view->state);
}

alerts::ActionResult AlertService::engine_action(const proto::NurseRequest& request, const std::string& user,
                                                 alerts::Now now) {
  using Kind = alerts::SessionActionKind;
  const std::string& bed = request.bed();
  auto session_action = [&](Kind kind) {
    alerts::SessionAction a;
    a.bed = bed;
    a.kind = kind;
    a.user = user;
    if (kind == Kind::Begin) {
      a.patient = request.begin().patient();
      a.planned_minutes = request.begin().planned_minutes();
      a.profile = request.begin().profile();
    }
    if (kind == Kind::OverrideBaseline) {
      a.accept_measured = request.baseline_override().accept_measured();
      if (!a.accept_measured) {
        a.override_sys = request.baseline_override().sys_mmhg();
        a.override_dia = request.baseline_override().dia_mmhg();
      }
    }
    return engine_.session_action(a, now);
  };
  switch (request.action_case()) {
    case proto::NurseRequest::kBegin: return session_action(Kind::Begin);
    case proto::NurseRequest::kBaselineOverride: return session_action(Kind::OverrideBaseline);
    case proto::NurseRequest::kStartInfusion: return session_action(Kind::StartInfusion);
    case proto::NurseRequest::kStopInfusion: return session_action(Kind::StopInfusion);
    case proto::NurseRequest::kPauseInfusion: return session_action(Kind::PauseInfusion);
    case proto::NurseRequest::kResumeInfusion: return session_action(Kind::ResumeInfusion);
    case proto::NurseRequest::kEndSession: return session_action(Kind::End);
    case proto::NurseRequest::kAcknowledge:
      // Live and restored alerts alike: the engine holds both.
      return engine_.acknowledge(bed, request.acknowledge().alert_id(), user, now);
    case proto::NurseRequest::kPauseAudio: return engine_.pause_audio(bed, user, now);
    case proto::NurseRequest::kReport:
    case proto::NurseRequest::kListDevices:
    case proto::NurseRequest::kHistory:
    case proto::NurseRequest::ACTION_NOT_SET: break;  // the router answers these
  }
  alerts::ActionResult refused;
  refused.ok = false;
  refused.reason = "the request names no action";
  return refused;
}

std::optional<std::string> AlertService::act(const proto::NurseRequest& request, const std::string& user,
                                             Answer answer) {
  alerts::ActionResult action = engine_action(request, user, clock_.now());
  if (!action.ok) return action.reason;
  store::WriteBatch batch;
  append(batch, action);
  proto::RequestResult result;
  result.set_request_id(request.request_id());
  result.set_ok(true);
  result.set_detail(batch.alerts.size() + batch.sessions.size() > 0
                        ? std::to_string(batch.alerts.size()) + " alert transitions, " +
                              std::to_string(batch.sessions.size()) + " session events logged"
                        : "nothing changed");
  // The answer goes out after the log has it and the effects were published.
  journal_.write(std::move(batch), [this, bed = request.bed(), result = std::move(result),
                                    answer = std::move(answer)](const store::WriteOutcome& outcome) mutable {
    if (!outcome.ok) result.set_detail(result.detail() + " (log write failed: " + outcome.error + ")");
    attach_session(result, bed);
    answer(std::move(result));
  });
  return std::nullopt;
}

void AlertService::on_display_heartbeat() { log(engine_.on_dashboard_confirmed(clock_.now())); }

void AlertService::on_store_health(bool ok, const std::string& error) {
  alerts::SystemEvent event;
  event.kind = ok ? alerts::SystemEventKind::LogWriteOk : alerts::SystemEventKind::LogWriteFailed;
  event.detail = error;
  if (!ok)
    spdlog::critical("ALARM LOG WRITE FAILED: {}; monitoring continues from memory", error);
  else
    spdlog::warn("alarm log writes work again");
  log(engine_.on_system_event(event, clock_.now()));
}

void AlertService::on_disk_space(bool low, const std::string& detail) {
  alerts::SystemEvent event;
  event.kind = low ? alerts::SystemEventKind::DiskSpaceLow : alerts::SystemEventKind::DiskSpaceOk;
  event.detail = detail;
  if (low)
    spdlog::critical("LOW DISK SPACE: {}; make room before readings are refused", detail);
  else
    spdlog::warn("disk space for the database is above its minimum again");
  log(engine_.on_system_event(event, clock_.now()));
}

void AlertService::on_chairs_full(bool full, const std::string& detail) {
  using K = alerts::SystemEventKind;
  log(engine_.on_system_event({full ? K::ChairsFull : K::ChairsOk, 0, detail}, clock_.now()));
}

void AlertService::on_escalation_mail(bool failed, const std::string& detail) {
  using K = alerts::SystemEventKind;
  log(engine_.on_system_event({failed ? K::EscalationMailFailed : K::EscalationMailOk, 0, detail},
                              clock_.now()));
}

bool AlertService::forget_bed(const std::string& bed) {
  if (!engine_.forget_bed(bed)) return false;  // a session, a live or a restored alert keeps it
  std::erase_if(probe_off_, [&](const auto& entry) { return entry.first.first == bed; });
  return true;
}

void AlertService::on_forward_health(bool link_down, const std::string& link_detail, bool warning,
                                     const std::string& warning_detail) {
  using K = alerts::SystemEventKind;
  const alerts::Now now = clock_.now();
  log(engine_.on_system_event({link_down ? K::ForwardFailed : K::ForwardOk, 0, link_detail}, now));
  log(engine_.on_system_event({warning ? K::ForwardWarning : K::ForwardWarningOk, 0, warning_detail}, now));
}

}  // namespace vigil::daemon
