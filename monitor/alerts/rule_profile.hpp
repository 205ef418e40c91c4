#pragma once
// A rule profile: every threshold, delay, confirmation and hysteresis of rules P1-P9 and
// T1-T8, with the defaults of alarms.md (profile "default"). A clinic sets profiles in the
// daemon's config file (profile_config.hpp); a nurse picks one when beginning a session but
// cannot change numbers at the bedside.

#include <chrono>
#include <string>

#include "alerts/alert_types.hpp"

namespace vigil::alerts {

using std::chrono::minutes;
using std::chrono::seconds;

/// A systolic/diastolic pair in mmHg (a limit, a rise, or a baseline).
struct SysDia {
  double sys_mmhg = 0;
  double dia_mmhg = 0;
};

struct P1Rule {  // SBP >= 200 or DBP >= 120: HIGH at once; clears 2 readings below P2 limits + ack
  bool enabled = true;
  SysDia alarm{200, 120};
  int clear_readings = 2;
  Priority priority = Priority::High;
  bool latching = true;
};

struct P2Rule {  // SBP >= 180 or DBP >= 110, confirmed by a repeat reading
  bool enabled = true;
  SysDia alarm{180, 110};
  int confirm_readings = 2;  // readings at or over the limit, including the first
  SysDia clear{170, 100};    // clears on readings <= these
  int clear_readings = 2;
  Priority priority = Priority::Medium;
  bool high_if_present_next_reading = true;
  double confirm_band_mmhg = 5;  // a repeat this close under the limit still confirms
  Duration high_if_unacknowledged = minutes(5);
  bool latching = true;
};

struct P3Rule {  // rise over baseline: SBP >= B+40 or DBP >= B+25, confirmed
  bool enabled = true;
  SysDia rise{40, 25};
  int confirm_readings = 2;
  SysDia clear_rise{30, 20};  // clears on readings < B + these
  int clear_readings = 2;
  Priority priority = Priority::Medium;
  bool latching = true;
  double confirm_band_mmhg = 5;  // a repeat this close under the limit still confirms
};

struct P4Rule {  // SBP >= 160 or DBP >= 100 or SBP >= B+25: LOW, one reading, not latching
  bool enabled = true;
  SysDia alarm{160, 100};
  double sys_rise_mmhg = 25;
  // Clears on a reading under every limit by this much: NIBP repeats to about +-5 mmHg, so a
  // pressure sitting at 160 would otherwise raise, clear and raise again on noise alone.
  double clear_band_mmhg = 5;
  // P4 asks for a 3-5 min cycle: it is not raised when the cuff already measures this often
  // (the time since the chair's previous NIBP measurement is at most this). 5 min + 1 min so
  // a 5-min cycle arriving seconds late still counts; 0: raised whatever the cycle.
  Duration quiet_if_cycle_within = seconds(360);
  Priority priority = Priority::Low;
};

struct P5Rule {  // SBP < 90 or MAP < B_MAP - 30%, confirmed
  bool enabled = true;
  double sys_below_mmhg = 90;
  double map_drop_fraction = 0.30;
  double confirm_band_mmhg = 5;  // a repeat this close above the limit still confirms
  int confirm_readings = 2;
  int clear_readings = 2;
  Priority priority = Priority::Medium;
  bool latching = true;
};

/// A continuous vital with a MEDIUM and a HIGH level (P6 HR high, P7 HR low, P8 SpO2 low).
/// `above`: the alarm is for values >= the limits; otherwise for values < the limits.
/// Clears when the value is on the safe side of `clear_at` for `clear_delay`.
struct LevelRule {
  bool enabled = true;
  bool above = true;
  double medium = 0;
  double high = 0;
  Duration medium_delay = seconds(15);
  Duration high_delay = seconds(15);
  double clear_at = 0;  // above: clears on < clear_at; below: on >= clear_at
  Duration clear_delay = seconds(30);
  bool latch_medium = false;
  bool latch_high = true;
};

struct P9Rule {  // pre-infusion gate on the baseline
  bool enabled = true;
  SysDia review{140, 90};      // LOW "prescriber review"
  SysDia not_ready{160, 100};  // MEDIUM "not ready"
  SysDia hold{180, 110};       // MEDIUM "hold"
  Priority review_priority = Priority::Low;
  Priority not_ready_priority = Priority::Medium;
  Priority hold_priority = Priority::Medium;
  bool blocks_infusion = true;  // start infusion refused at MEDIUM without override
};

struct T1Rule {
  Duration silence = seconds(15);  // a source sending continuous numerics or heartbeats
  // A source that has only ever sent NIBP (a spot-check monitor) is silent between cuffs by
  // design: it is lost after the NIBP cycle of the phase (T3's) + T3's grace + `silence`.
  Duration after_session_end = minutes(5);  // T1 on a chair whose session ended: then forgotten
  Priority infusion = Priority::Medium, other = Priority::Low;
};
struct T2Rule {
  bool enabled = true;
  Duration unconfirmed = seconds(30);
  Priority priority = Priority::High;
};
struct T3Rule {
  Duration infusion_cycle = minutes(5);
  Duration recovery_early_cycle = minutes(10);  // "every 5-10 min for 30 min"
  Duration recovery_early_span = minutes(30);
  Duration recovery_late_cycle = minutes(15);
  Duration grace = minutes(2);
  Priority infusion = Priority::Medium, recovery = Priority::Low;
};
struct T4Rule {
  int medium_after_failures = 2;
  Priority first = Priority::Low, repeated = Priority::Medium;
};
struct T5Rule {  // plausibility of readings
  double sys_min = 50, sys_max = 260, dia_min = 20, dia_max = 160;
  double min_pulse_pressure = 15;
  // An oscillometric cuff fooled by motion can read a high SBP over a very low DBP (250/30).
  // No adult in an infusion chair has 180 mmHg between them (isolated systolic hypertension
  // at its widest is about 150), and a repeat would not make it a pressure: such a reading
  // is impossible, never confirmed by the next one (docs/alarms.md).
  double max_pulse_pressure = 180;
  double hr_min = 25, hr_max = 250;
  double sys_jump_mmhg = 50;
  // The longest default NIBP cycle (15 min, late recovery) + 1 min margin: every reading is
  // compared with the one before it, and one arriving a few seconds late is still compared,
  // so results do not depend on arrival jitter (a 10-min window equal to the recovery cycle
  // made them depend on it, and never checked the 15-min readings).
  Duration sys_jump_window = minutes(16);
  Priority priority = Priority::Low;
};
struct T6Rule {
  Duration low_after = seconds(30), infusion_medium_after = seconds(60);
};
struct T7Rule {
  Duration unbound_after = seconds(60);  // a chair whose monitor streams numerics (learned)
  // A chair whose monitor sends only NIBP, or whose monitor is not known yet: its first
  // message comes when the first cuff completes (baseline: after 5 min rest, + the cuff and
  // T3's 2 min grace), so silence before that is no sign of a missing binding.
  Duration unbound_spot_check_after = minutes(7);
  Duration shared_window = seconds(60);
  Priority priority = Priority::Medium;
};
struct T8Rule {
  // A monitor's clock off from Vigil's by more than this (docs/alarms.md T8): above 1 s
  // stamp resolution, transport delays and the up to ~3 min an NIBP result arrives after
  // its stamp, well below the 30 min / 1 h of a time zone or DST error.
  double max_clock_skew_s = 300;
  Priority log_failure = Priority::Medium, audio_failure = Priority::High, clock_skew = Priority::Medium;
  // HL7 forwarding (docs/forwarding.md): the chart stops receiving data; a single refused
  // message or dropped readings is worth knowing, not worth a sounding alarm.
  Priority forward_link = Priority::Medium, forward_warning = Priority::Low;
  // A chair over max_chairs is not monitored at all: a patient may be unseen.
  Priority chairs_full = Priority::Medium;
  // A monitor sends observations Vigil cannot read (subject "unreadable:<source>"): part of
  // the patient is not seen. Ends once that source sent nothing unreadable for this long.
  Priority unreadable = Priority::Medium;
  Duration unreadable_clear = minutes(10);
};

/// How alarms behave once raised (IEC 60601-1-8 inactivation and escalation).
struct AlarmSystemRules {
  Duration escalate_unacknowledged = minutes(2);  // HIGH/MEDIUM -> escalated event
  Duration audio_pause = minutes(2);
  Duration continuous_stale = seconds(10);  // a HR/SpO2 sample older than this no longer sustains a condition
};

struct BaselineRules {
  double max_sys_spread_mmhg = 15;     // two readings agree if systolics differ by <= this
  Duration vital_window = minutes(2);  // HR/SpO2 baseline: median over this window
};

struct RecoveryRules {  // discharge criteria
  Duration min_after_stop = minutes(60);
  int readings = 2;
  double sys_over_baseline_mmhg = 20;  // SBP <= B + this ...
  SysDia absolute{140, 90};            // ... or SBP < 140 and DBP < 90
};

/// All rules of one clinic protocol. Default-constructed = alarms.md defaults, name "default".
struct RuleProfile {
  std::string name = "default";
  P1Rule p1;
  P2Rule p2;
  P3Rule p3;
  P4Rule p4;
  P5Rule p5;
  LevelRule p6{true, true, 130, 150, seconds(15), seconds(15), 130, seconds(30), false, true};
  LevelRule p7{true, false, 45, 40, seconds(15), seconds(15), 45, seconds(30), false, true};
  LevelRule p8{true, false, 90, 85, seconds(15), seconds(10), 92, seconds(30), false, true};
  P9Rule p9;
  T1Rule t1;
  T2Rule t2;
  T3Rule t3;
  T4Rule t4;
  T5Rule t5;
  T6Rule t6;
  T7Rule t7;
  T8Rule t8;
  AlarmSystemRules alarm;
  BaselineRules baseline;
  RecoveryRules recovery;
};

/// Checks a profile for numbers that would make rules meaningless (negative delays, zero
/// readings to confirm, limits in the wrong order). Empty string = fine, else the reason.
std::string validate(const RuleProfile& profile);

}  // namespace vigil::alerts
