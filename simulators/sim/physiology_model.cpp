#include "sim/physiology_model.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <random>

namespace vigil::sim {

namespace {

// AR(1) per-minute series: x' = a x + N(0, step). Stationary SD = step / sqrt(1 - a^2).
std::vector<double> ar1_series(std::mt19937_64& rng, std::size_t n, double a, double step) {
  std::normal_distribution<double> noise(0.0, step);
  std::vector<double> out(n);
  double x = noise(rng) / std::sqrt(1 - a * a);  // start in the stationary distribution
  for (auto& v : out) {
    v = x;
    x = a * x + noise(rng);
  }
  return out;
}

// Where the heart rate heads during a vasovagal dip, bpm.
constexpr double kVagalHeartRate = 45;

// Default magnitudes when a scenario leaves them at 0.
double default_magnitude(EventKind kind) {
  switch (kind) {
    case EventKind::Dip: return 45;           // SBP drop, mmHg
    case EventKind::Tachycardia: return 140;  // target HR, bpm
    case EventKind::Desaturation: return 86;  // lowest SpO2, %
    default: return 0;
  }
}

}  // namespace

PhysiologyModel::PhysiologyModel(const Scenario& scenario, std::uint64_t seed)
    : scenario_(scenario), origin_minute_(session_start_minute(scenario)) {
  std::mt19937_64 rng(seed);
  const auto n = static_cast<std::size_t>(session_end_minute(scenario) - origin_minute_ + 122);
  sys_wander_ = ar1_series(rng, n, 0.9, 1.0);   // SD ~2.3 mmHg
  dia_wander_ = ar1_series(rng, n, 0.9, 0.6);   // SD ~1.4 mmHg, added to 0.5 of systolic
  hr_wander_ = ar1_series(rng, n, 0.85, 1.0);   // SD ~1.9 bpm
  spo2_wander_ = ar1_series(rng, n, 0.8, 0.3);  // SD ~0.5 %
}

double PhysiologyModel::wander(const std::vector<double>& series, double minute) const {
  if (series.empty()) return 0;
  double pos = std::clamp(minute - origin_minute_, 0.0, static_cast<double>(series.size() - 1));
  auto i = static_cast<std::size_t>(pos);
  if (i + 1 >= series.size()) return series.back();
  double f = pos - static_cast<double>(i);
  return series[i] * (1 - f) + series[i + 1] * f;
}

double PhysiologyModel::rise_fraction(double minute) const {
  const auto& p = scenario_.patient;
  if (minute <= 0) return 0;
  const double peak = std::max(p.peak_minute, 1.0);
  if (minute <= peak) return 0.5 * (1 - std::cos(std::numbers::pi * minute / peak));
  // Hold until the infusion stops (or the peak, when it comes after the stop), then decay.
  const double hold_end = std::max(scenario_.infusion_minutes, peak);
  if (minute <= hold_end) return 1;
  return std::exp(-(minute - hold_end) / std::max(p.recovery_tau_min, 1.0));
}

double PhysiologyModel::event_depth(EventKind kind, double minute, double* magnitude) const {
  double depth = 0;
  for (const auto& e : scenario_.events) {
    if (e.kind != kind) continue;
    const double end = e.minute + e.duration_min;
    if (minute < e.minute || minute >= end) continue;
    const double ramp = std::min({0.5, minute - e.minute, end - minute}) / 0.5;
    if (ramp >= depth) {
      depth = ramp;
      if (magnitude) *magnitude = e.magnitude != 0 ? e.magnitude : default_magnitude(kind);
    }
  }
  return depth;
}

bool PhysiologyModel::event_active(EventKind kind, double minute) const {
  for (const auto& e : scenario_.events)
    if (e.kind == kind && minute >= e.minute && minute < e.minute + e.duration_min) return true;
  return false;
}

double PhysiologyModel::systolic_at(double minute) const {
  const auto& p = scenario_.patient;
  double v = p.baseline_sys_mmhg + rise_fraction(minute) * p.peak_rise_sys_mmhg + wander(sys_wander_, minute);
  double drop = 0;
  double depth = event_depth(EventKind::Dip, minute, &drop);
  return v - depth * drop;
}

double PhysiologyModel::diastolic_at(double minute) const {
  const auto& p = scenario_.patient;
  double v = p.baseline_dia_mmhg + rise_fraction(minute) * p.peak_rise_dia_mmhg +
             0.5 * wander(sys_wander_, minute) + wander(dia_wander_, minute);
  double drop = 0;
  double depth = event_depth(EventKind::Dip, minute, &drop);
  return v - depth * drop * 0.6;
}

double PhysiologyModel::heart_rate_at(double minute) const {
  const auto& p = scenario_.patient;
  double v = p.baseline_hr_bpm + rise_fraction(minute) * p.hr_rise_bpm + wander(hr_wander_, minute);
  double target = 0;
  double depth = event_depth(EventKind::Tachycardia, minute, &target);
  v += depth * (target - v);
  double drop = 0;
  depth = event_depth(EventKind::Dip, minute, &drop);
  if (v > kVagalHeartRate) v += depth * (kVagalHeartRate - v);  // vagal slowing
  return v;
}

double PhysiologyModel::spo2_at(double minute) const {
  double v = std::min(scenario_.patient.baseline_spo2_pct + wander(spo2_wander_, minute), 100.0);
  double lowest = 0;
  double depth = event_depth(EventKind::Desaturation, minute, &lowest);
  return v + depth * (lowest - v);
}

}  // namespace vigil::sim
