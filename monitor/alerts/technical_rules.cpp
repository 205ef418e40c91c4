#include "alerts/technical_rules.hpp"

#include <algorithm>
#include <cmath>

#include "alerts/format.hpp"

namespace vigil::alerts {

namespace {

AlertSpec technical(RuleId id, std::string subject, Priority priority) {
  AlertSpec s = make_spec(id, std::move(subject), AlertKind::Technical, priority);
  s.latching = false;
  return s;
}

Duration since(MonoTime from, MonoTime now) { return std::chrono::duration_cast<Duration>(now - from); }

// The NIBP cycle a chair is on now (T3's): infusion 5 min, recovery 10 then 15 min; before
// the infusion and without a session the longest, as cuffs then come when a nurse asks.
Duration nibp_cycle(const BedState& bed, const RuleProfile& p, MonoTime now) {
  switch (bed.phase()) {
    case Phase::Infusion: return p.t3.infusion_cycle;
    case Phase::Recovery:
      if (bed.session->stopped_at() && since(*bed.session->stopped_at(), now) < p.t3.recovery_early_span)
        return p.t3.recovery_early_cycle;
      return p.t3.recovery_late_cycle;
    default: return std::max({p.t3.infusion_cycle, p.t3.recovery_early_cycle, p.t3.recovery_late_cycle});
  }
}

// How long a source may be silent: its own cadence. A monitor streaming numerics (or
// heartbeats) is lost after 15 s; a spot-check monitor that only sends a NIBP when a cuff
// completes is lost when a cuff of the current cycle is overdue (cycle + T3 grace + 15 s).
Duration allowed_silence(const SourceSeen& s, const BedState& bed, const RuleProfile& p, MonoTime now) {
  if (s.continuous) return p.t1.silence;
  return nibp_cycle(bed, p, now) + p.t3.grace + p.t1.silence;
}

}  // namespace

void follow_condition(AlertBook& book, const AlertSpec& spec, bool present, Emit& emit) {
  Alert* a = book.find(spec.rule, spec.subject);
  if (!present) {
    if (a) book.condition_gone(*a, a->message + "; condition ended", emit);
    return;
  }
  if (a == nullptr) {
    book.raise(spec, false, emit);
    return;
  }
  if (a->state == AlertState::Latched) book.reactivate(*a, spec, emit);
  AlertBook::refresh(*a, spec);
  if (a->priority != spec.priority) book.set_priority(*a, spec.priority, spec.message, emit);
}

void t1_link(BedState& bed, const RuleProfile& p, Emit& emit) {
  const Priority pr = bed.phase() == Phase::Infusion ? p.t1.infusion : p.t1.other;
  // The chair's session ended: nobody is in it. A monitor left on and then switched off
  // gets its T1 for a while, then is forgotten (its next data brings it back).
  if (!bed.session && bed.session_ended_at) {
    std::erase_if(bed.sources, [&](const SourceSeen& s) {
      return since(s.last_seen, emit.now.mono) > allowed_silence(s, bed, p, emit.now.mono) + p.t1.after_session_end;
    });
  }
  for (const SourceSeen& s : bed.sources) {
    const Duration silent = since(s.last_seen, emit.now.mono);
    const Duration allowed = allowed_silence(s, bed, p, emit.now.mono);
    AlertSpec spec = technical(RuleId::T1, s.source, pr);
    spec.value = in_seconds(silent);
    spec.limit = in_seconds(allowed);
    spec.limits = s.continuous ? "no data or heartbeat for > " + num(in_seconds(p.t1.silence)) + " s"
                               : "NIBP-only monitor: no cuff for > NIBP cycle + " + num(in_seconds(p.t3.grace)) + " s + " +
                                     num(in_seconds(p.t1.silence)) + " s";
    spec.message = "No data from " + (s.source.empty() ? std::string("monitor") : s.source) + " for " +
                   num(static_cast<double>(silent.count() / 1000)) + " s (> " + num(in_seconds(allowed)) + " s)";
    follow_condition(bed.book, spec, silent > allowed, emit);
  }
  // A T1 whose device is no longer watched (session ended, forgotten) ends with it.
  for (const std::string& subject : bed.book.subjects(RuleId::T1)) {
    const bool watched = std::any_of(bed.sources.begin(), bed.sources.end(),
                                     [&](const SourceSeen& s) { return s.source == subject; });
    if (!watched) {
      if (Alert* a = bed.book.find(RuleId::T1, subject))
        bed.book.resolve(*a, a->message + "; no session on this chair: monitor no longer watched", emit);
    }
  }
  // A restart's stand-in retires once a named device sends and its own T1 has just been
  // resolved above (it was refreshed by that same data).
  const bool named =
      std::any_of(bed.sources.begin(), bed.sources.end(), [](const SourceSeen& s) { return !s.stand_in; });
  if (named) {
    std::erase_if(bed.sources, [&](const SourceSeen& s) {
      return s.stand_in && since(s.last_seen, emit.now.mono) <= p.t1.silence;
    });
  }
}

void t2_dashboard(BedState& bed, const RuleProfile& p, std::optional<MonoTime> last_confirmed, Emit& emit) {
  bool present = false;
  AlertSpec spec = technical(RuleId::T2, {}, p.t2.priority);
  if (p.t2.enabled && bed.phase() == Phase::Infusion && bed.session->infusion_started_at()) {
    MonoTime ref = *bed.session->infusion_started_at();
    if (last_confirmed && *last_confirmed > ref) ref = *last_confirmed;
    if (bed.restored_at && *bed.restored_at > ref) ref = *bed.restored_at;
    const Duration gap = since(ref, emit.now.mono);
    present = gap > p.t2.unconfirmed;
    spec.value = in_seconds(gap);
    spec.limit = in_seconds(p.t2.unconfirmed);
    spec.limits = "no dashboard receipt for > " + num(in_seconds(p.t2.unconfirmed)) + " s during infusion";
    spec.message = "No dashboard confirmed receipt for " + num(static_cast<double>(gap.count() / 1000)) + " s (> " +
                   num(in_seconds(p.t2.unconfirmed)) + " s)";
  }
  follow_condition(bed.book, spec, present, emit);
}

void t3_stale_nibp(BedState& bed, const RuleProfile& p, Emit& emit) {
  const Phase phase = bed.phase();
  bool present = false;
  AlertSpec spec = technical(RuleId::T3, {}, phase == Phase::Infusion ? p.t3.infusion : p.t3.recovery);
  if ((phase == Phase::Infusion || phase == Phase::Recovery) && bed.session->infusion_started_at()) {
    Duration cycle = p.t3.infusion_cycle;
    if (phase == Phase::Recovery && bed.session->stopped_at()) {
      cycle = since(*bed.session->stopped_at(), emit.now.mono) < p.t3.recovery_early_span
                  ? p.t3.recovery_early_cycle : p.t3.recovery_late_cycle;
    }
    MonoTime ref = *bed.session->infusion_started_at();
    if (bed.last_valid_nibp && *bed.last_valid_nibp > ref) ref = *bed.last_valid_nibp;
    if (bed.restored_at && *bed.restored_at > ref) ref = *bed.restored_at;
    const Duration age = since(ref, emit.now.mono);
    present = age > cycle + p.t3.grace;
    spec.value = in_seconds(age);
    spec.limit = in_seconds(cycle + p.t3.grace);
    spec.limits = "no valid NIBP within cycle " + num(in_seconds(cycle) / 60) + " min + " + num(in_seconds(p.t3.grace) / 60) + " min";
    spec.message = "No valid NIBP for " + num(static_cast<double>(age.count() / 60000)) + " min (cycle " +
                   num(in_seconds(cycle) / 60) + " min + " + num(in_seconds(p.t3.grace) / 60) + ")";
  }
  follow_condition(bed.book, spec, present, emit);
}

void t4_nibp_failed(BedState& bed, const RuleProfile& p, const DeviceEvent& ev, Emit& emit) {
  ++bed.nibp_failures_in_row;
  const bool repeated = bed.nibp_failures_in_row >= p.t4.medium_after_failures;
  AlertSpec spec = technical(RuleId::T4, {}, repeated ? p.t4.repeated : p.t4.first);
  spec.value = bed.nibp_failures_in_row;
  spec.limit = p.t4.medium_after_failures;
  spec.limits = "each failure " + std::string(to_string(p.t4.first)) + "; " +
                std::to_string(p.t4.medium_after_failures) + " in a row " + std::string(to_string(p.t4.repeated));
  spec.message = "NIBP measurement failed" + (ev.code.empty() ? std::string() : " (" + ev.code + ")") +
                 (ev.text.empty() ? std::string() : ": " + ev.text) + ", " +
                 std::to_string(bed.nibp_failures_in_row) + " in a row";
  follow_condition(bed.book, spec, true, emit);
}

void t4_nibp_ok(BedState& bed, const RuleProfile& p, Emit& emit) {
  bed.nibp_failures_in_row = 0;
  follow_condition(bed.book, technical(RuleId::T4, {}, p.t4.first), false, emit);
}

void t5_plausibility(BedState& bed, const RuleProfile& p, const std::string& group, const std::string& reason,
                     std::optional<double> value, Emit& emit) {
  AlertSpec spec = technical(RuleId::T5, group, p.t5.priority);
  spec.value = value;
  spec.limits = "SBP 50-260 (configurable), DBP 20-160, SBP>DBP, pulse pressure >=15, HR 25-250, SBP jump <=50/10 min";
  spec.message = "Unverified " + group + " reading: " + reason;
  follow_condition(bed.book, spec, !reason.empty(), emit);
}

void t6_probe(BedState& bed, const RuleProfile& p, Emit& emit) {
  bool present = false;
  AlertSpec spec = technical(RuleId::T6, {}, Priority::Low);
  if (bed.probe_off_since) {
    const Duration off = since(*bed.probe_off_since, emit.now.mono);
    present = off > p.t6.low_after;
    if (bed.phase() == Phase::Infusion && off > p.t6.infusion_medium_after) spec.priority = Priority::Medium;
    spec.value = in_seconds(off);
    spec.limit = in_seconds(spec.priority == Priority::Medium ? p.t6.infusion_medium_after : p.t6.low_after);
    spec.limits = "probe off > " + num(in_seconds(p.t6.low_after)) + " s LOW; > " +
                  num(in_seconds(p.t6.infusion_medium_after)) + " s during infusion MEDIUM";
    spec.message = "SpO2 probe off / no pulse for " + num(static_cast<double>(off.count() / 1000)) + " s";
  }
  follow_condition(bed.book, spec, present, emit);
}

void t7_binding(BedState& bed, const RuleProfile& p, const std::vector<std::string>& shared, Emit& emit) {
  const bool pre = bed.pre_infusion();
  AlertSpec unbound = technical(RuleId::T7, "unbound", p.t7.priority);
  bool unbound_present = false;
  if (pre && !bed.session->state().monitor_data_seen) {
    const Duration waiting = since(bed.session->begun_at(), emit.now.mono);
    unbound_present = waiting > p.t7.unbound_after;
    unbound.value = in_seconds(waiting);
    unbound.limit = in_seconds(p.t7.unbound_after);
    unbound.message = "No monitor bound to the session of " + bed.name + " (no data for " +
                      num(static_cast<double>(waiting.count() / 1000)) + " s)";
  }
  unbound.limits = "before infusion start: no monitor data for > " + num(in_seconds(p.t7.unbound_after)) + " s";
  follow_condition(bed.book, unbound, unbound_present, emit);

  // One alert per shared source; those no longer shared end.
  for (const std::string& src : shared) {
    AlertSpec spec = technical(RuleId::T7, "shared:" + src, p.t7.priority);
    spec.limits = "before infusion start: one monitor, one session";
    spec.message = "Monitor " + src + " is sending for two sessions";
    follow_condition(bed.book, spec, pre, emit);
  }
  for (const std::string& subject : bed.book.subjects(RuleId::T7)) {
    if (subject.rfind("shared:", 0) != 0) continue;
    const std::string src = subject.substr(7);
    const bool still = pre && std::find(shared.begin(), shared.end(), src) != shared.end();
    if (!still) follow_condition(bed.book, technical(RuleId::T7, subject, p.t7.priority), false, emit);
  }
}

void t8_system(BedState& bed, const RuleProfile& p, const SystemHealth& h, Emit& emit) {
  AlertSpec log = technical(RuleId::T8, "log", p.t8.log_failure);
  log.limits = "alarm log write failure";
  log.message = "Alarm log write failed" + (h.log_detail.empty() ? std::string() : ": " + h.log_detail);
  follow_condition(bed.book, log, h.log_failed, emit);

  AlertSpec audio = technical(RuleId::T8, "audio", p.t8.audio_failure);
  audio.limits = "audio output failure";
  audio.message = "Audio output failed" + (h.audio_detail.empty() ? std::string() : ": " + h.audio_detail);
  follow_condition(bed.book, audio, h.audio_failed, emit);

  AlertSpec clock = technical(RuleId::T8, "clock", p.t8.clock_skew);
  clock.value = h.clock_skew_s;
  clock.limit = p.t8.max_clock_skew_s;
  clock.limits = "clock skew > " + num(p.t8.max_clock_skew_s) + " s";
  clock.message = "Clock skew " + num(h.clock_skew_s) + " s > " + num(p.t8.max_clock_skew_s) + " s";
  follow_condition(bed.book, clock, std::fabs(h.clock_skew_s) > p.t8.max_clock_skew_s, emit);

  AlertSpec link = technical(RuleId::T8, "forward", p.t8.forward_link);
  link.limits = "hospital link (HL7 forwarding) delivers nothing";
  link.message = "Hospital link down" + (h.forward_detail.empty() ? std::string() : ": " + h.forward_detail);
  follow_condition(bed.book, link, h.forward_failed, emit);

  AlertSpec warning = technical(RuleId::T8, "forward-warning", p.t8.forward_warning);
  warning.limits = "forwarded message refused or readings dropped";
  warning.message = "Forwarding: " + (h.forward_warning_detail.empty() ? std::string("warning") : h.forward_warning_detail);
  follow_condition(bed.book, warning, h.forward_warning, emit);
}

}  // namespace vigil::alerts
