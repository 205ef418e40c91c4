#include "sim/named_scenarios.hpp"

#include <algorithm>
#include <random>

namespace vigil::sim {

namespace {

// Patient draws use their own stream so the physiology model's stream stays independent.
constexpr std::uint64_t kPatientStream = 0xD1B54A32D192ED03ULL;

double draw(std::mt19937_64& rng, double mean, double sd, double lo, double hi) {
  std::normal_distribution<double> d(mean, sd);
  return std::clamp(d(rng), lo, hi);
}

double uniform(std::mt19937_64& rng, double lo, double hi) {
  return std::uniform_real_distribution<double>(lo, hi)(rng);
}

// A typical adult: resting BP and HR, and a ketamine response with the published spread
// (peak rise SBP +14 +/- 11, DBP about two thirds of it, at minute 30-40).
PatientProfile typical_patient(std::mt19937_64& rng) {
  PatientProfile p;
  p.baseline_sys_mmhg = draw(rng, 122, 9, 102, 138);
  p.baseline_dia_mmhg = draw(rng, 76, 6, 62, 88);
  p.baseline_hr_bpm = draw(rng, 72, 8, 55, 95);
  p.baseline_spo2_pct = uniform(rng, 96.5, 98.8);
  p.peak_rise_sys_mmhg = draw(rng, 14, 11, -12, 55);
  p.peak_rise_dia_mmhg = 0.65 * p.peak_rise_sys_mmhg + draw(rng, 0, 4, -10, 10);
  p.peak_minute = uniform(rng, 30, 40);
  p.recovery_tau_min = draw(rng, 18, 4, 10, 28);
  p.hr_rise_bpm = uniform(rng, 2, 4);
  return p;
}

Scenario base(const std::string& name, std::mt19937_64& rng) {
  Scenario s;
  s.name = name;
  s.patient = typical_patient(rng);
  s.infusion_minutes = 40;
  return s;
}

Scenario build(const std::string& name, std::mt19937_64& rng) {
  Scenario s = base(name, rng);
  auto& p = s.patient;
  if (name == "hypertensive-responder") {
    // Known hypertensive: climbs well past 180/110 near the end of the infusion.
    p.baseline_sys_mmhg = draw(rng, 146, 5, 138, 158);
    p.baseline_dia_mmhg = draw(rng, 90, 3, 85, 98);
    p.peak_rise_sys_mmhg = draw(rng, 50, 6, 44, 70);
    p.peak_rise_dia_mmhg = draw(rng, 30, 3, 27, 42);
  } else if (name == "pre-infusion-hypertension") {
    // Arrives hypertensive: every baseline reading is at or above 160/100.
    p.baseline_sys_mmhg = draw(rng, 176, 5, 172, 192);
    p.baseline_dia_mmhg = draw(rng, 110, 3, 107, 118);
  } else if (name == "vasovagal-dip") {
    s.events.push_back({uniform(rng, 14, 26), EventKind::Dip, uniform(rng, 3, 5), draw(rng, 48, 6, 38, 60)});
  } else if (name == "tachycardia") {
    s.events.push_back(
        {uniform(rng, 12, 20), EventKind::Tachycardia, uniform(rng, 8, 14), draw(rng, 142, 6, 132, 158)});
  } else if (name == "desaturation") {
    s.events.push_back(
        {uniform(rng, 15, 28), EventKind::Desaturation, uniform(rng, 1.5, 3), draw(rng, 85, 2, 80, 88)});
  } else if (name == "artifact-burst") {
    // Long enough to catch two cuff cycles (the patient moves, shivers, talks).
    s.events.push_back({uniform(rng, 13, 17), EventKind::Artifact, 11, 0});
  } else if (name == "cuff-failure") {
    s.events.push_back({uniform(rng, 13, 17), EventKind::CuffFailure, 11, 0});
  } else if (name == "device-unplugged") {
    s.events.push_back({uniform(rng, 16, 22), EventKind::Unplug, uniform(rng, 3, 5), 0});
  }
  return s;
}

}  // namespace

const std::vector<std::string>& scenario_names() {
  static const std::vector<std::string> names = {
      "normal-responder",
      "hypertensive-responder",
      "pre-infusion-hypertension",
      "vasovagal-dip",
      "tachycardia",
      "desaturation",
      "artifact-burst",
      "cuff-failure",
      "device-unplugged",
  };
  return names;
}

std::optional<Scenario> make_named_scenario(const std::string& name, std::uint64_t seed) {
  const auto& names = scenario_names();
  if (std::find(names.begin(), names.end(), name) == names.end()) return std::nullopt;
  std::mt19937_64 rng(seed ^ kPatientStream);
  return build(name, rng);
}

}  // namespace vigil::sim
