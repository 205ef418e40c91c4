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

// How long a source may be silent: its own cadence. A monitor streaming numerics (or
// heartbeats) is lost after 15 s; a spot-check monitor that only sends a NIBP when a cuff
// completes is lost when a cuff of the current cycle is overdue (cycle + T3 grace + 15 s).
Duration allowed_silence(const SourceSeen& s, const BedState& bed, const RuleProfile& p, MonoTime now) {
  if (s.continuous) return p.t1.silence;
  return nibp_cycle(bed, p, now) + p.t3.grace + p.t1.silence;
}

}  // namespace

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
  // A message that ended at an earlier instant says now whether its device streams.
  for (SourceSeen& s : bed.sources) {
    if (s.settle(emit.now.mono) && !s.stand_in) bed.monitor_streams = true;
  }
  // No session on the chair (ended, or never begun): nobody is in it. A monitor left on and
  // then switched off gets its T1 for a while, then is forgotten (its next data brings it
  // back).
  if (!bed.session) {
    std::erase_if(bed.sources, [&](const SourceSeen& s) {
      const bool forget = since(s.last_seen, emit.now.mono) >
                          allowed_silence(s, bed, p, emit.now.mono) + p.t1.after_session_end;
      if (forget && !s.stand_in) {
        if (bed.past_orders.size() >= BedState::kMaxSources) bed.past_orders.erase(bed.past_orders.begin());
        bed.past_orders.emplace_back(s.source, s.order);
      }
      return forget;
    });
  }
  for (const SourceSeen& s : bed.sources) {
    const Duration silent = since(s.last_seen, emit.now.mono);
    const Duration allowed = allowed_silence(s, bed, p, emit.now.mono);
    // Heard from in time and nothing raised (nearly every message): no text to build.
    if (silent <= allowed && bed.book.find(RuleId::T1, s.source) == nullptr) continue;
    AlertSpec spec = technical(RuleId::T1, s.source, pr);
    spec.value = in_seconds(silent);
    spec.limit = in_seconds(allowed);
    spec.limits = s.continuous
                      ? "no data or heartbeat for > " + num(in_seconds(p.t1.silence)) + " s"
                      : "NIBP-only monitor: no cuff for > NIBP cycle + " + num(in_seconds(p.t3.grace)) +
                            " s + " + num(in_seconds(p.t1.silence)) + " s";
    spec.message = "No data from " + (s.source.empty() ? std::string("monitor") : s.source) + " for " +
                   num(static_cast<double>(silent.count() / 1000)) + " s (> " + num(in_seconds(allowed)) +
                   " s)";
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
    spec.message = "No dashboard confirmed receipt for " + num(static_cast<double>(gap.count() / 1000)) +
                   " s (> " + num(in_seconds(p.t2.unconfirmed)) + " s)";
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
                  ? p.t3.recovery_early_cycle
                  : p.t3.recovery_late_cycle;
    }
    MonoTime ref = *bed.session->infusion_started_at();
    if (bed.last_valid_nibp && *bed.last_valid_nibp > ref) ref = *bed.last_valid_nibp;
    if (bed.restored_at && *bed.restored_at > ref) ref = *bed.restored_at;
    const Duration age = since(ref, emit.now.mono);
    present = age > cycle + p.t3.grace;
    // After an unverified reading T5 already asks for a repeat ("repeat NIBP now") and stays
    // until a valid reading comes, which is T3's condition too: a T3 of no higher priority
    // (LOW in recovery) would be the same request again. In infusion T3 (MEDIUM) escalates.
    const Alert* t5 = bed.book.find(RuleId::T5, "NIBP");
    if (present && t5 && t5->priority >= spec.priority && !bed.book.find(RuleId::T3)) present = false;
    spec.value = in_seconds(age);
    spec.limit = in_seconds(cycle + p.t3.grace);
    spec.limits = "no valid NIBP within cycle " + num(in_seconds(cycle) / 60) + " min + " +
                  num(in_seconds(p.t3.grace) / 60) + " min";
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
                std::to_string(p.t4.medium_after_failures) + " in a row " +
                std::string(to_string(p.t4.repeated));
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
  // Plausible and nothing raised (nearly every reading): no text to build.
  if (reason.empty() && bed.book.find(RuleId::T5, group) == nullptr) return;
  AlertSpec spec = technical(RuleId::T5, group, p.t5.priority);
  spec.value = value;
  spec.limits = "SBP " + num(p.t5.sys_min) + "-" + num(p.t5.sys_max) + ", DBP " + num(p.t5.dia_min) + "-" +
                num(p.t5.dia_max) + ", SBP>DBP, pulse pressure " + num(p.t5.min_pulse_pressure) + "-" +
                num(p.t5.max_pulse_pressure) + ", HR " + num(p.t5.hr_min) + "-" + num(p.t5.hr_max) +
                ", SBP jump <=" + num(p.t5.sys_jump_mmhg) + " within " +
                num(in_seconds(p.t5.sys_jump_window) / 60) + " min of the last verified reading";
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
  // The wait follows the monitor's cadence, as T1 does: one streaming numerics sends within
  // seconds; a NIBP-only monitor first sends when the first cuff completes. A chair whose
  // monitor is not known yet (no device has sent since the daemon started) may have either.
  const bool streams = bed.monitor_streams.value_or(false);
  const Duration allowed = streams ? p.t7.unbound_after : p.t7.unbound_spot_check_after;
  if (pre && !bed.session->state().monitor_data_seen) {
    const Duration waiting = since(bed.session->begun_at(), emit.now.mono);
    unbound_present = waiting > allowed;
    unbound.value = in_seconds(waiting);
    unbound.limit = in_seconds(allowed);
    unbound.message = "No monitor bound to the session of " + bed.name + " (no data for " +
                      num(static_cast<double>(waiting.count() / 1000)) + " s)";
  }
  follow_condition(bed.book, RuleId::T7, "unbound", unbound_present, emit, [&] {
    unbound.limits = "before infusion start: no monitor data for > " + num(in_seconds(p.t7.unbound_after)) +
                     " s (a monitor streaming numerics), > " +
                     num(in_seconds(p.t7.unbound_spot_check_after)) + " s (NIBP only, or not known yet)";
    return unbound;
  });

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
  // No text is built unless a condition holds or its alert is up: the eight specs' strings
  // were most of a quiet tick.
  auto follow = [&](const char* subject, Priority priority, bool present, const char* limits, auto message) {
    follow_condition(bed.book, RuleId::T8, subject, present, emit, [&] {
      AlertSpec spec = technical(RuleId::T8, subject, priority);
      spec.limits = limits;
      spec.message = message();
      return spec;
    });
  };
  auto with = [](const char* text, const std::string& detail) {
    return text + (detail.empty() ? std::string() : ": " + detail);
  };
  follow("log", p.t8.log_failure, h.log_failed, "alarm log write failure",
         [&] { return with("Alarm log write failed", h.log_detail); });
  // As urgent as a failed log write: it is the same failure, announced before it happens.
  follow("disk", p.t8.log_failure, h.disk_low, "database free space below the minimum",
         [&] { return with("Low disk space", h.disk_detail); });
  follow("audio", p.t8.audio_failure, h.audio_failed, "audio output failure",
         [&] { return with("Audio output failed", h.audio_detail); });
  follow("forward", p.t8.forward_link, h.forward_failed, "hospital link (HL7 forwarding) delivers nothing",
         [&] { return with("Hospital link down", h.forward_detail); });
  follow("forward-warning", p.t8.forward_warning, h.forward_warning,
         "forwarded message refused or readings dropped", [&] {
           return "Forwarding: " +
                  (h.forward_warning_detail.empty() ? std::string("warning") : h.forward_warning_detail);
         });
  follow("chairs", p.t8.chairs_full, h.chairs_full, "chair cap (max_chairs) reached",
         [&] { return h.chairs_detail.empty() ? std::string("too many chairs") : h.chairs_detail; });
  // As urgent as a failed log write: readings and alarms between the stop and the restart
  // were never seen by Vigil.
  follow("restart", p.t8.log_failure, h.restarted, "vigild stopped abnormally and was restarted",
         [&] { return h.restart_detail.empty() ? std::string("vigild was restarted") : h.restart_detail; });
  // As urgent as the hospital link: a page that did not go out is someone not called.
  follow("escalation-mail", p.t8.forward_link, h.mail_failed, "escalation mail relay",
         [&] { return with("Escalation mail failed", h.mail_detail); });
}

namespace {

// A skew must hold this long, while the source keeps sending, before T8 is raised: a step of
// the daemon's own wall clock (NTP) that is undone within seconds raises nothing.
constexpr Duration kClockHold = std::chrono::seconds(30);

// Follows T8 "clock:<source>" from the source's meter: raised once the skew has been over the
// limit for kClockHold, ended as soon as it is back within it.
void follow_clock(BedState& bed, const RuleProfile& p, SourceSeen& source, Emit& emit) {
  const std::optional<std::int64_t> skew = source.clock.estimate_ms();
  // Seconds the device is ahead (positive) or behind (negative) of Vigil's clock.
  const double ahead_s = skew ? static_cast<double>(-*skew) / 1000.0 : 0.0;
  const bool over = skew && std::fabs(ahead_s) > p.t8.max_clock_skew_s;
  if (!over)
    source.clock_over_since.reset();
  else if (!source.clock_over_since)
    source.clock_over_since = emit.now.mono;
  const std::string subject = "clock:" + source.source;
  const bool raised = bed.book.find(RuleId::T8, subject) != nullptr;
  const bool present = over && (raised || since(*source.clock_over_since, emit.now.mono) >= kClockHold);
  // Nothing raised and nothing to raise (nearly every message): no text to build.
  if (!present && !raised) return;
  AlertSpec spec = technical(RuleId::T8, subject, p.t8.clock_skew);
  spec.limit = p.t8.max_clock_skew_s;
  spec.limits = "monitor clock off from Vigil's by > " + num(p.t8.max_clock_skew_s) + " s for " +
                num(in_seconds(kClockHold)) + " s (median of arrival - device time over its last " +
                std::to_string(ClockSkewMeter::kWindow) + " messages)";
  if (skew) {
    spec.value = ahead_s;
    spec.message = (source.source.empty() ? std::string("Monitor") : source.source) +
                   ": monitor clock is off by " + skew_text(*skew) + " (" +
                   (ahead_s > 0 ? "ahead of" : "behind") +
                   " Vigil's clock; readings are placed by their arrival)";
  }
  follow_condition(bed.book, spec, present, emit);
}

}  // namespace

void t8_clock(BedState& bed, const RuleProfile& p, const std::string& source_name, WallMillis received_at,
              WallMillis measured_at, Emit& emit) {
  SourceSeen* seen = bed.named_source(source_name);
  if (seen == nullptr) return;  // beyond the chair's bound of watched devices
  seen->clock.add(received_at, measured_at);
  follow_clock(bed, p, *seen, emit);
}

void t8_clock_tick(BedState& bed, const RuleProfile& p, Emit& emit) {
  for (SourceSeen& s : bed.sources) {
    // A silent source is T1's: its clock is judged again when it sends.
    if (s.stand_in || !s.clock_over_since || since(s.last_seen, emit.now.mono) > p.t1.silence) continue;
    follow_clock(bed, p, s, emit);
  }
}

void t8_links(BedState& bed, const RuleProfile& p, Emit& emit) {
  // A re-association after a monitor reboot takes a few seconds: only a link still down
  // after this is news for the nurse.
  constexpr Duration kLinkDownGrace = std::chrono::seconds(30);
  for (const LinkDownSeen& l : bed.links_down) {
    AlertSpec spec = technical(RuleId::T8, "link:" + l.source, p.t8.unreadable);
    spec.limits = "monitor link delivers nothing for > " + num(in_seconds(kLinkDownGrace)) + " s";
    spec.message = "no data from " + l.source + " on " + bed.name + ": " + l.detail;
    follow_condition(bed.book, spec, since(l.since, emit.now.mono) >= kLinkDownGrace, emit);
  }
  for (const std::string& subject : bed.book.subjects(RuleId::T8)) {
    if (subject.rfind("link:", 0) != 0) continue;
    const bool down = std::any_of(bed.links_down.begin(), bed.links_down.end(),
                                  [&](const LinkDownSeen& l) { return "link:" + l.source == subject; });
    if (!down) {
      AlertSpec spec = technical(RuleId::T8, subject, p.t8.unreadable);
      follow_condition(bed.book, spec, false, emit);
    }
  }
}

void t8_unreadable(BedState& bed, const RuleProfile& p, const std::string& source, const std::string& detail,
                   Emit& emit) {
  if (!detail.empty()) {
    auto it = std::find_if(bed.unreadable.begin(), bed.unreadable.end(),
                           [&](const UnreadableSeen& u) { return u.source == source; });
    if (it == bed.unreadable.end()) {
      if (bed.unreadable.size() >= BedState::kMaxSources) bed.unreadable.erase(bed.unreadable.begin());
      bed.unreadable.push_back({source, emit.now.mono, detail});
    } else {
      it->last = emit.now.mono;
      it->detail = detail;
    }
  }
  for (const UnreadableSeen& u : bed.unreadable) {
    AlertSpec spec = technical(RuleId::T8, "unreadable:" + u.source, p.t8.unreadable);
    spec.limits = "observations Vigil cannot read; ends after " +
                  num(in_seconds(p.t8.unreadable_clear) / 60) + " min without any";
    spec.message = "monitor on " + bed.name + " sends data Vigil cannot read: " + u.detail;
    follow_condition(bed.book, spec, since(u.last, emit.now.mono) <= p.t8.unreadable_clear, emit);
  }
  std::erase_if(bed.unreadable, [&](const UnreadableSeen& u) {
    return since(u.last, emit.now.mono) > p.t8.unreadable_clear;
  });
}

}  // namespace vigil::alerts
