#pragma once
// Everything a simulated monitor will send over one session, computed up front from a
// scenario and a seed: NIBP readings (when each measurement completes), 1 Hz HR/SpO2
// numerics, the unplugged windows and the nurse actions. Pure: no clock, no I/O.

#include <cstdint>
#include <string>
#include <vector>

#include "sim/scenario.hpp"

namespace vigil::sim {

/// How an NIBP measurement ended.
enum class NibpOutcome : std::uint8_t {
  Ok,        // a plausible reading
  Artifact,  // motion: the monitor reports values, but implausible ones (e.g. SBP <= DBP)
  Failed,    // the monitor reports an error code and no values
};

/// One NIBP measurement.
struct NibpSample {
  double start_minute = 0;  // cuff inflation
  double done_minute = 0;   // result available (30-40 s later): sent then, OBX-14
  int sys_mmhg = 0;
  int dia_mmhg = 0;
  int mean_mmhg = 0;
  int pulse_bpm = 0;
  NibpOutcome outcome = NibpOutcome::Ok;
  std::string error;  // monitor error text when Failed ("CUFF LEAK" ...)
};

/// One second of continuous numerics.
struct NumericSample {
  double minute = 0;
  int hr_bpm = 0;
  int spo2_pct = 0;
};

/// A span of session minutes [from, to).
struct MinuteWindow {
  double from = 0;
  double to = 0;
};

/// The whole session of one chair.
struct SessionPlan {
  std::string scenario;
  double start_minute = 0;
  double end_minute = 0;
  std::vector<NibpSample> nibp;         // by done_minute
  std::vector<NumericSample> numerics;  // 1 Hz, from start to end
  std::vector<MinuteWindow> unplugged;  // the monitor is off the network
  std::vector<NurseAction> actions;     // by minute
};

/// Cuff inflation minutes: baseline readings, every nibp_cycle_min during the infusion,
/// every recovery_cycle_min for 30 min after the stop, then every 15 min.
std::vector<double> nibp_schedule(const Scenario& scenario);

/// Plans the session. The same scenario and seed give the same plan.
SessionPlan plan_session(const Scenario& scenario, std::uint64_t seed);

/// True when `minute` falls in one of `windows`.
bool in_window(const std::vector<MinuteWindow>& windows, double minute);

}  // namespace vigil::sim
