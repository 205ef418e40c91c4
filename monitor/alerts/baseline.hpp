#pragma once
// The pre-infusion baseline of a chair (alarms.md "Baseline B"): the mean of the last two
// valid NIBP readings whose systolics differ by <= 15 mmHg; if they differ more, a third
// reading is taken and the closest agreeing pair of the last three is used (the mean of all
// three if no pair agrees). HR and SpO2: median of the last 2 minutes. A nurse may record an
// override instead (a known baseline from the chart, or the prescriber's decision).

#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "alerts/nibp_measurement.hpp"
#include "alerts/rule_profile.hpp"

namespace vigil::alerts {

enum class BaselineSource : std::uint8_t { None, Computed, Override };
std::string_view to_string(BaselineSource source);

/// A baseline as stored with the session and shown with every reading.
struct Baseline {
  BaselineSource source = BaselineSource::None;
  std::optional<double> sys_mmhg;
  std::optional<double> dia_mmhg;
  std::optional<double> map_mmhg;
  std::optional<double> hr_bpm;
  std::optional<double> spo2_pct;
  int nibp_readings_used = 0;
  WallMillis at_ms = 0;  // when computed (last reading used) or overridden
  std::string override_user;

  bool has_nibp() const { return sys_mmhg.has_value(); }
};

/// Collects pre-infusion readings and computes the baseline from them.
class BaselineCalculator {
 public:
  /// A verified NIBP measurement taken before the infusion.
  void add_nibp(const NibpMeasurement& m);
  /// Forgets a measurement its device took back (same device and measurement time). True if
  /// it was one of the readings kept.
  bool withdraw_nibp(const std::string& source, WallMillis measured_at_ms);
  /// A verified HR (or pulse) / SpO2 sample; other kinds are ignored.
  void add_vital(VitalKind kind, double value, MonoTime at);
  /// The baseline from what was seen so far (source None if fewer than two NIBP readings).
  Baseline compute(const BaselineRules& rules, MonoTime now) const;
  void clear();

 private:
  // Allocated with the first sample: a chair without a session never needs them, and each
  // empty std::deque holds 576 bytes (three per chair, 17 MB at 10,000 chairs).
  struct Samples {
    std::deque<NibpMeasurement> nibp;                  // last 3
    std::deque<std::pair<MonoTime, double>> hr, spo2;  // bounded, see kMaxSamples
  };
  Samples& samples();
  std::unique_ptr<Samples> samples_;
};

}  // namespace vigil::alerts
