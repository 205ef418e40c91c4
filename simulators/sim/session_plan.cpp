#include "sim/session_plan.hpp"

#include <algorithm>
#include <cmath>
#include <random>

#include "sim/physiology_model.hpp"

namespace vigil::sim {

namespace {

// Separate streams so that adding a reading never changes the patient.
constexpr std::uint64_t kMeasurementStream = 0x9E3779B97F4A7C15ULL;

constexpr const char* kCuffErrors[] = {"CUFF LEAK", "CUFF OVERPRESSURE", "WEAK OR NO PULSE",
                                       "MEASUREMENT TIMEOUT"};

int round_int(double v) { return static_cast<int>(std::lround(v)); }

NibpSample measure(const PhysiologyModel& model, double start, std::mt19937_64& rng) {
  std::uniform_real_distribution<double> duration_s(30.0, 40.0);
  std::normal_distribution<double> sys_noise(0.0, 3.0), dia_noise(0.0, 2.5), hr_noise(0.0, 1.5);
  NibpSample s;
  s.start_minute = start;
  s.done_minute = start + duration_s(rng) / 60.0;
  const double mid = (start + s.done_minute) / 2;
  double sys = model.systolic_at(mid) + sys_noise(rng);
  double dia = model.diastolic_at(mid) + dia_noise(rng);
  s.pulse_bpm = round_int(model.heart_rate_at(mid) + hr_noise(rng));
  if (model.event_active(EventKind::CuffFailure, start)) {
    s.outcome = NibpOutcome::Failed;
    std::uniform_int_distribution<std::size_t> pick(0, std::size(kCuffErrors) - 1);
    s.error = kCuffErrors[pick(rng)];
    return s;
  }
  if (model.event_active(EventKind::Artifact, start)) {
    // Motion fools the oscillometric algorithm: inverted or wildly wide pressures.
    s.outcome = NibpOutcome::Artifact;
    std::uniform_int_distribution<int> kind(0, 2);
    switch (kind(rng)) {
      case 0:
        std::swap(sys, dia);
        dia += 8;
        break;                   // SBP < DBP
      case 1: dia = sys; break;  // SBP == DBP
      default:
        sys = 250 + sys_noise(rng) * 3;
        dia = 30;
        break;  // absurd pulse pressure
    }
  }
  s.sys_mmhg = round_int(sys);
  s.dia_mmhg = round_int(dia);
  s.mean_mmhg = round_int(dia + (sys - dia) / 3.0);
  return s;
}

}  // namespace

std::vector<double> nibp_schedule(const Scenario& sc) {
  std::vector<double> out(sc.baseline_nibp_minutes.begin(), sc.baseline_nibp_minutes.end());
  const double cycle = std::max(sc.nibp_cycle_min, 1.0);
  for (double m = cycle; m <= sc.infusion_minutes + 1e-9; m += cycle) out.push_back(m);
  const double stop = sc.infusion_minutes;
  const double end = stop + sc.recovery_minutes;
  const double rcycle = std::max(sc.recovery_cycle_min, 1.0);
  double m = stop + rcycle;
  for (; m <= stop + 30 + 1e-9 && m <= end; m += rcycle) out.push_back(m);
  for (m = stop + 30 + 15; m <= end + 1e-9; m += 15) out.push_back(m);
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

bool in_window(const std::vector<MinuteWindow>& windows, double minute) {
  return std::any_of(windows.begin(), windows.end(),
                     [minute](const MinuteWindow& w) { return minute >= w.from && minute < w.to; });
}

SessionPlan plan_session(const Scenario& sc, std::uint64_t seed) {
  const PhysiologyModel model(sc, seed);
  std::mt19937_64 rng(seed ^ kMeasurementStream);
  SessionPlan plan;
  plan.scenario = sc.name;
  plan.start_minute = session_start_minute(sc);
  plan.end_minute = session_end_minute(sc);

  for (double start : nibp_schedule(sc)) plan.nibp.push_back(measure(model, start, rng));

  std::normal_distribution<double> beat(0.0, 1.2);
  std::normal_distribution<double> motion(0.0, 25.0);
  const auto seconds = static_cast<long>((plan.end_minute - plan.start_minute) * 60);
  plan.numerics.reserve(static_cast<std::size_t>(seconds) + 1);
  for (long i = 0; i <= seconds; ++i) {
    NumericSample n;
    n.minute = plan.start_minute + static_cast<double>(i) / 60.0;
    double hr = model.heart_rate_at(n.minute) + beat(rng);
    if (model.event_active(EventKind::Artifact, n.minute)) hr += std::abs(motion(rng));
    n.hr_bpm = std::clamp(round_int(hr), 20, 250);
    n.spo2_pct = std::clamp(round_int(model.spo2_at(n.minute)), 50, 100);
    plan.numerics.push_back(n);
  }

  for (const auto& e : sc.events)
    if (e.kind == EventKind::Unplug) plan.unplugged.push_back({e.minute, e.minute + e.duration_min});
  plan.actions = effective_actions(sc);
  std::stable_sort(plan.actions.begin(), plan.actions.end(),
                   [](const NurseAction& a, const NurseAction& b) { return a.minute < b.minute; });
  return plan;
}

}  // namespace vigil::sim
