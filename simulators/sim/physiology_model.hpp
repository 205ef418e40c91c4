#pragma once
// The patient's true (unmeasured) vital signs over one session. Pure and seeded: the same
// scenario and seed give the same values; no clock, no I/O.
//
// Blood pressure = baseline + rise_fraction(t) * peak rise + slow wander + events, where the
// rise follows a half-cosine up to the patient's peak minute, holds until the infusion
// stops (or the peak, if later) and then decays exponentially (time constant
// recovery_tau_min). Heart rate moves by hr_rise_bpm with the same envelope; SpO2 only
// wanders. Wander is a per-minute AR(1) series, linearly interpolated.

#include <cstdint>
#include <vector>

#include "sim/scenario.hpp"

namespace vigil::sim {

/// True vital signs of one simulated patient as functions of the session minute.
class PhysiologyModel {
 public:
  /// Draws the wander series from `seed`; covers the session plus two hours of tail.
  PhysiologyModel(const Scenario& scenario, std::uint64_t seed);

  /// Fraction (0..1) of the patient's peak rise in effect at `minute`.
  double rise_fraction(double minute) const;
  /// True systolic / diastolic pressure, mmHg.
  double systolic_at(double minute) const;
  double diastolic_at(double minute) const;
  /// Heart rate without beat-to-beat noise, bpm.
  double heart_rate_at(double minute) const;
  /// Oxygen saturation, %.
  double spo2_at(double minute) const;
  /// True when a scripted event of `kind` covers `minute`.
  bool event_active(EventKind kind, double minute) const;

  const Scenario& scenario() const { return scenario_; }

 private:
  double wander(const std::vector<double>& series, double minute) const;
  // 0..1 depth of an event at `minute` (ramps in and out over half a minute).
  double event_depth(EventKind kind, double minute, double* magnitude) const;

  Scenario scenario_;
  double origin_minute_ = 0;  // minute of wander sample 0
  std::vector<double> sys_wander_, dia_wander_, hr_wander_, spo2_wander_;
};

}  // namespace vigil::sim
