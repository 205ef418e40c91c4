// HR, pulse rate and SpO2: T5's plausibility, the P6-P8 trackers (samples of a stream, or a
// spot-check monitor's values), and the baseline's HR and SpO2. Split from alert_engine.cpp
// to keep files small.
#include "alerts/alert_engine.hpp"

#include <utility>

#include "alerts/bed_state.hpp"
#include "alerts/plausibility.hpp"
#include "alerts/vital_rules.hpp"

namespace vigil::alerts {

void AlertEngine::process_vital(BedState& bed, const Reading& r, Now now, ReadingResult& res) {
  const RuleProfile& p = profile_for(bed);
  Emit emit = emit_for(bed, now, res);
  const bool spo2 = r.kind == VitalKind::SpO2;
  const std::string why = vital_implausible(r.kind, r.value, p.t5);
  t5_plausibility(bed, p, spo2 ? "SpO2" : "HR", why, r.value, emit);
  if (!why.empty()) {
    res.verified = false;
    res.reason = why;
    return;
  }
  if (r.kind == VitalKind::HeartRate) bed.last_ecg_hr = now.mono;
  // Pulse rate stands in for HR only when no ECG HR is coming (oximeter-only chairs).
  const bool use_for_hr = r.kind == VitalKind::HeartRate ||
                          (!bed.last_ecg_hr || now.mono - *bed.last_ecg_hr > p.alarm.continuous_stale);
  const bool spot = spot_value(bed, r.source);
  if (spo2) {
    sample_level(bed.p8, p.p8, r.value, now.mono, spot);
    bed.probe_off_since.reset();  // a valid saturation means the probe is on
    t6_probe(bed, p, emit);
  } else if (use_for_hr) {
    sample_level(bed.p6, p.p6, r.value, now.mono, spot);
    sample_level(bed.p7, p.p7, r.value, now.mono, spot);
  }
  if (bed.session && bed.pre_infusion() && (spo2 || use_for_hr)) {
    bed.baseline_calc.add_vital(spo2 ? VitalKind::SpO2 : VitalKind::HeartRate, r.value, now.mono);
    const Baseline c = bed.baseline_calc.compute(p.baseline, now.mono);
    bed.session->mutable_state().baseline.hr_bpm = c.hr_bpm;
    bed.session->mutable_state().baseline.spo2_pct = c.spo2_pct;
  }
  evaluate_vital_rules(bed, p, emit);
}

void AlertEngine::respot_vitals(BedState& bed, Now now, ReadingResult& res) {
  const RuleProfile& p = profile_for(bed);
  for (auto [tracker, rule] :
       {std::pair{&bed.p6, &p.p6}, std::pair{&bed.p7, &p.p7}, std::pair{&bed.p8, &p.p8}}) {
    if (tracker->last_sample == now.mono && !tracker->spot)
      sample_level(*tracker, *rule, tracker->last_value, now.mono, true);
  }
  Emit emit = emit_for(bed, now, res);
  evaluate_vital_rules(bed, p, emit);
}

}  // namespace vigil::alerts
