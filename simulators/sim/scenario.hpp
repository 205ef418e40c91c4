#pragma once
// What a simulated chair does over one session: the patient, the infusion, the NIBP cycle,
// scripted events and nurse actions. Plain data; named scenarios and the scenario file
// parser both produce it, the session planner consumes it.
//
// Time is "session minutes": minute 0 is the infusion start, baseline readings are negative.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace vigil::sim {

/// The patient's physiology. Values are the patient's own; the model adds variability.
struct PatientProfile {
  double baseline_sys_mmhg = 122;
  double baseline_dia_mmhg = 76;
  double baseline_hr_bpm = 72;
  double baseline_spo2_pct = 98;
  double peak_rise_sys_mmhg = 14;  // rise over baseline at the peak of the response
  double peak_rise_dia_mmhg = 9;
  double peak_minute = 35;       // minutes after the infusion start
  double recovery_tau_min = 18;  // decay time constant of the rise after the stop/peak
  double hr_rise_bpm = 3;
};

/// Scripted departures from the model.
enum class EventKind : std::uint8_t {
  Dip,           // vasovagal: BP and HR fall (magnitude: SBP drop, mmHg)
  Tachycardia,   // HR climbs (magnitude: target HR, bpm)
  Desaturation,  // SpO2 falls (magnitude: lowest SpO2, %)
  Artifact,      // motion: NIBP readings implausible, HR noisy
  CuffFailure,   // NIBP measurements fail with a monitor error code
  Unplug,        // the monitor stops sending and drops its TCP connection
};

/// One scripted event over [minute, minute + duration_min).
struct ScenarioEvent {
  double minute = 0;
  EventKind kind = EventKind::Dip;
  double duration_min = 3;
  double magnitude = 0;  // 0: the kind's default
};

/// What the nurse does at the chair; later driven through vigild's client protocol.
enum class NurseActionKind : std::uint8_t { Begin, Start, Stop, End };

/// A nurse action at a session minute.
struct NurseAction {
  double minute = 0;
  NurseActionKind kind = NurseActionKind::Begin;
};

/// A ground-truth label: a span of session minutes a clinician would act on.
struct LabelWindow {
  double from = 0;
  double to = 0;
};

/// A complete scenario.
struct Scenario {
  std::string name;
  PatientProfile patient;
  double infusion_minutes = 40;
  double nibp_cycle_min = 5;       // during the infusion
  double recovery_cycle_min = 10;  // for the first 30 min after the stop, then 15
  double recovery_minutes = 60;    // observation after the stop; the session ends then
  std::vector<double> baseline_nibp_minutes = {-10, -6, -2};
  std::vector<ScenarioEvent> events;
  std::vector<NurseAction> actions;  // empty: begin/start/stop/end at the natural times
  // Ground truth for `vigilctl replay` (scenario file `label-episode FROM TO`); the
  // simulator ignores it. Artifact readings are labelled by the plan itself.
  bool labelled = false;
  std::vector<LabelWindow> label_episodes;
};

/// "dip", "tachycardia", ... as written in scenario files.
const char* to_string(EventKind kind);
std::optional<EventKind> event_kind_from_string(const std::string& name);
/// "begin", "start", "stop", "end".
const char* to_string(NurseActionKind kind);
std::optional<NurseActionKind> nurse_action_from_string(const std::string& name);

/// The minute the session starts (a little before the first baseline reading).
double session_start_minute(const Scenario& s);
/// The minute the session ends (the stop plus the recovery observation).
double session_end_minute(const Scenario& s);
/// The scenario's nurse actions, or the natural ones when it lists none.
std::vector<NurseAction> effective_actions(const Scenario& s);

}  // namespace vigil::sim
