#include "model/synthetic_ward.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace vigil::dashboard {

namespace {

constexpr std::int64_t kMinute = 60'000;

std::string chair_name(int i) { return "CHAIR" + std::to_string(i + 1); }

proto::ServerMessage reading(const std::string& bed, proto::VitalKind kind, double value, std::int64_t at_ms,
                             proto::Phase phase, double base_sys, double base_dia) {
  proto::ServerMessage m;
  proto::Reading* r = m.mutable_reading();
  r->set_bed(bed);
  r->set_kind(kind);
  r->set_value(value);
  r->set_measured_at_ms(at_ms);
  r->set_received_at_ms(at_ms);
  r->set_source("SYNTH^" + bed);
  r->set_valid(true);
  r->set_verified(true);
  r->set_phase(phase);
  r->set_baseline_sys_mmhg(base_sys);
  r->set_baseline_dia_mmhg(base_dia);
  return m;
}

proto::AlertEvent alert(const std::string& bed, int n, proto::AlertRule rule, proto::Priority priority,
                        proto::AlertState state, const std::string& text, std::int64_t at_ms) {
  proto::AlertEvent a;
  a.set_id(bed + "-" + proto::AlertRule_Name(rule) + "-" + std::to_string(n));
  a.set_bed(bed);
  a.set_rule(rule);
  a.set_priority(priority);
  a.set_state(state);
  a.set_transition(proto::raised);
  a.set_kind(state == proto::ADVISORY ? proto::advisory
             : rule >= proto::T1      ? proto::technical
                                      : proto::physiological);
  a.set_message(text);
  a.set_at_ms(at_ms);
  a.set_onset_ms(at_ms);
  a.set_phase(proto::infusion);
  if (state == proto::ACKNOWLEDGED) a.set_acknowledged_by("nurse1");
  return a;
}

struct Chair {
  std::string bed;
  std::int64_t begun, started, stopped;
  double base_sys, base_dia;
  proto::Phase phase_at(std::int64_t t) const {
    return t < started ? proto::baseline : t < stopped ? proto::infusion : proto::recovery;
  }
  // Ketamine's rise: up to +25 mmHg at the end of the infusion, easing off in recovery.
  double rise(std::int64_t t) const {
    if (t < started) return 0;
    if (t < stopped) return 25.0 * static_cast<double>(t - started) / static_cast<double>(stopped - started);
    return 25.0 * std::exp(-static_cast<double>(t - stopped) / (20.0 * kMinute));
  }
};

}  // namespace

std::vector<proto::ServerMessage> synthetic_ward(const SyntheticWardOptions& o, std::int64_t now_ms) {
  std::vector<proto::ServerMessage> out;
  proto::ServerMessage hello;
  hello.mutable_hello()->set_protocol_version(1);
  hello.mutable_hello()->set_accepted(true);
  hello.mutable_hello()->set_server_time_ms(now_ms);
  out.push_back(hello);
  proto::ServerMessage begin;
  begin.mutable_snapshot_begin()->set_server_time_ms(now_ms);
  begin.mutable_snapshot_begin()->set_bed_count(static_cast<std::uint32_t>(o.chairs));
  out.push_back(begin);

  std::vector<Chair> chairs;
  for (int i = 0; i < o.chairs; ++i) {
    Chair c;
    c.bed = chair_name(i);
    c.begun = now_ms - o.session_minutes * kMinute;
    c.started = c.begun + 10 * kMinute;
    c.stopped = c.started + 40 * kMinute;
    c.base_sys = 118 + (i % 5) * 4;
    c.base_dia = 76 + (i % 4) * 3;
    chairs.push_back(c);
    proto::ServerMessage m;
    proto::BedState* s = m.mutable_bed_state();
    s->set_bed(c.bed);
    s->set_phase(c.phase_at(now_ms));
    s->set_last_seen_ms(now_ms);
    // The default profile's NIBP cadence (docs/alarms.md T3) and HR switch, as vigild sends them.
    proto::NibpSchedule* nibp = s->mutable_nibp();
    nibp->set_infusion_cycle_s(300);
    nibp->set_recovery_early_cycle_s(600);
    nibp->set_recovery_early_span_s(1800);
    nibp->set_recovery_late_cycle_s(900);
    nibp->set_hr_from_pulse_after_s(10);
    proto::SessionInfo* si = s->mutable_session();
    si->set_session_id("S-" + c.bed);
    si->set_bed(c.bed);
    si->set_patient("PT-" + std::to_string(1000 + i));
    si->set_profile("default");
    si->set_planned_minutes(40);
    si->set_phase(c.phase_at(now_ms));
    si->set_begun_at_ms(c.begun);
    si->set_infusion_started_at_ms(c.started);
    si->set_infusion_stopped_at_ms(c.stopped <= now_ms ? c.stopped : 0);
    si->set_infusion_elapsed_ms(std::min(now_ms, c.stopped) - c.started);
    si->set_snapshot_at_ms(now_ms);
    si->set_monitor_data_seen(true);
    si->mutable_baseline()->set_source(proto::computed);
    si->mutable_baseline()->set_sys_mmhg(c.base_sys);
    si->mutable_baseline()->set_dia_mmhg(c.base_dia);
    // A busy ward: every fourth chair HIGH, others MEDIUM / LOW / advisory, some none.
    const std::int64_t at = now_ms - (i + 1) * kMinute;
    switch (i % 4) {
      case 0:
        *s->add_active_alerts() =
            alert(c.bed, i, proto::P1, proto::HIGH, proto::ACTIVE, "SBP 204 >= 200", at);
        break;
      case 1:
        *s->add_active_alerts() =
            alert(c.bed, i, proto::P2, proto::MEDIUM, proto::ACKNOWLEDGED, "SBP 186 >= 180", at);
        break;
      case 2:
        *s->add_active_alerts() = alert(c.bed, i, proto::P4, proto::LOW, proto::ACTIVE, "SBP 164 >= 160", at);
        break;
      default: break;
    }
    if (i % 3 == 0)
      *s->add_active_alerts() = alert(c.bed, i + 100, proto::P3, proto::MEDIUM, proto::ADVISORY,
                                      "SBP +42 over baseline: repeat NIBP now", at);
    out.push_back(std::move(m));
  }
  out.emplace_back().mutable_snapshot_end();

  // Readings in time order over all chairs, as the live stream would carry them.
  const std::int64_t first = now_ms - o.session_minutes * kMinute;
  const std::int64_t step = o.numerics_period_s * 1000LL;
  for (std::int64_t t = first; t <= now_ms; t += step) {
    const bool nibp = (t - first) % (o.nibp_period_s * 1000LL) == 0;
    for (std::size_t i = 0; i < chairs.size(); ++i) {
      const Chair& c = chairs[i];
      const proto::Phase phase = c.phase_at(t);
      const double wobble = std::sin(static_cast<double>(t) / 37'000.0 + static_cast<double>(i));
      out.push_back(reading(c.bed, proto::HR, std::round(72 + 8 * wobble + c.rise(t) / 2), t, phase,
                            c.base_sys, c.base_dia));
      out.push_back(reading(c.bed, proto::SPO2, std::round(97 + wobble), t, phase, c.base_sys, c.base_dia));
      if (!nibp) continue;
      const double sys = std::round(c.base_sys + c.rise(t) + 3 * wobble);
      const double dia = std::round(c.base_dia + c.rise(t) / 2 + 2 * wobble);
      out.push_back(reading(c.bed, proto::NIBP_SYS, sys, t, phase, c.base_sys, c.base_dia));
      out.push_back(reading(c.bed, proto::NIBP_DIA, dia, t, phase, c.base_sys, c.base_dia));
      out.push_back(reading(c.bed, proto::NIBP_MEAN, std::round(dia + (sys - dia) / 3), t, phase, c.base_sys,
                            c.base_dia));
    }
  }
  return out;
}

}  // namespace vigil::dashboard
