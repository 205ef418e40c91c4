#pragma once
// T5: readings too odd to act on. They are marked unverified, shown as such, raise T5 (LOW,
// "repeat NIBP now") and nothing else: no physiological alarm or advisory. The repeat decides.

#include <optional>
#include <string>

#include "alerts/nibp_measurement.hpp"
#include "alerts/rule_profile.hpp"

namespace vigil::alerts {

/// How a NIBP measurement was judged. `impossible`: it cannot be a blood pressure (SBP <=
/// DBP, pulse pressure too narrow or too wide, out of range, not a number); false with a reason: its only
/// fault is a jump from the last verified reading.
struct NibpJudgement {
  std::string reason;  // empty = verified
  bool impossible = false;
  bool repeats_jump = false;  // verified because it repeats the jump of the reading before
};

/// The references the jump check compares with.
struct JumpReference {
  std::optional<double> verified_sys;  // last verified SBP within the jump window
  std::optional<double> jumped_sys;    // the measurement just before, if it failed only the jump check
};

/// Judges a NIBP measurement (complete or partial: checks only what it has). A jump from the
/// last verified SBP is accepted when the measurement just before made the same jump
/// (agreeing within the baseline spread): two readings in a row agree, the change is real.
NibpJudgement judge_nibp(const NibpMeasurement& m, const T5Rule& rule, const JumpReference& ref,
                         double agree_mmhg);

/// Why a single HR / pulse / SpO2 value is implausible, or empty (other kinds: empty).
std::string vital_implausible(VitalKind kind, double value, const T5Rule& rule);

}  // namespace vigil::alerts
