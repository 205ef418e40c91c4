#pragma once
// Turns decoded S/5 displayed-values records into vigil::Readings, "no value" reasons and
// device conditions. Pure and stateful (it remembers which NIBP result it announced): one
// mapper per monitor, records fed in arrival order; time comes from the record, never from
// a clock. received_at_ms and bed are left for the daemon to fill.
//
// Mapping (basic class, first displayed-values subrecord whose cl_drilvl_subt says basic):
//   HR     ECG hr                                 measured_at = r_time
//   SPO2   SpO2 (0.01 %)                          measured_at = r_time
//   PULSE  SpO2 pulse rate; if that has no value, the NIBP hr of a new NIBP result
//   TEMP   T1 (0.01 degC)                         measured_at = r_time
//   RESP   CO2 group rr                           measured_at = r_time
//   NIBP   sys/dia/mean (0.01 mmHg), only for a result NibpTracker calls New;
//          measured_at = aux nibp_time, or r_time when the record has no aux subrecord
//          (or nibp_time is 0); see s5_nibp_tracker.hpp for what counts as new
//
// Device conditions (for technical alarms):
//   - NIBP: a new result whose sys/dia/mean hold a special value (the measurement failed)
//     gives "NIBP_<STATE>" once per result (event = true), like the readings themselves;
//     the calibrating label bit gives "NIBP_CALIBRATING" in every record while set.
//   - HR, SPO2, PULSE, TEMP, RESP: a special value other than "not updated" gives
//     "<KIND>_<STATE>" (e.g. "SPO2_INVALID") in every record while it lasts (event = false).
//   - any value outside what a body can produce (HR 400, SpO2 101) is no reading: it gives
//     "<KIND>_IMPOSSIBLE" (event = false), as HL7 refuses such an OBX-5.
// Threading: none; use from one thread.

#include <string>
#include <string_view>
#include <vector>

#include "datex/s5_decoder.hpp"
#include "datex/s5_nibp_tracker.hpp"
#include "reading/reading.hpp"

namespace vigil::datex {

/// A problem the monitor reports about a measurement, for the daemon's technical alarms.
struct DeviceCondition {
  std::string code;    // stable, e.g. "NIBP_OVER_RANGE", "SPO2_INVALID"
  std::string text;    // for people, e.g. "NIBP measurement failed: over range"
  bool event = false;  // true: reported once per NIBP result; false: every record while present
  bool operator==(const DeviceCondition&) const = default;
};

/// Why a vital sign in a record produced no reading.
enum class SkipReason : std::uint8_t {
  Invalid,
  NotUpdated,
  Discontinuity,
  UnderRange,
  OverRange,
  NotCalibrated,
  OtherSpecial,
  ModuleAbsent,
  Inactive,
  NibpMeasuring,        // label bit 5: a measurement is running
  NibpAlreadyReported,  // the monitor repeats the last result
  NibpTooOld,           // first seen with label bit 8 (older than 60 s)
  OutsideBodyRange,     // a number no body produces (reading/physical_range.hpp)
};

/// Stable lower-case name, e.g. "nibp_already_reported".
std::string_view to_string(SkipReason reason);

/// A vital sign the record did not yield, and why.
struct SkippedValue {
  VitalKind kind = VitalKind::HeartRate;
  SkipReason reason = SkipReason::Invalid;
  bool operator==(const SkippedValue&) const = default;
};

/// What one record produced.
struct MappedRecord {
  bool had_basic_values = false;  // false: not a displayed-values record with basic class
  std::vector<Reading> readings;
  std::vector<SkippedValue> skipped;
  std::vector<DeviceCondition> conditions;
};

/// Stateful mapper from decoded records to readings (see the file comment for the rules).
class S5ReadingMapper {
 public:
  /// `source` becomes Reading::source, e.g. "datex-s5:/dev/ttyUSB0".
  explicit S5ReadingMapper(std::string source);

  /// Maps one decoded record. Records that are not PHDB displayed values give an empty
  /// result (had_basic_values = false) and leave the NIBP state untouched.
  MappedRecord map(const DecodedRecord& record);

 private:
  void add_continuous(MappedRecord& out, VitalKind kind, const Measurement& m, WallMillis at) const;
  void add_nibp(MappedRecord& out, const BasicPhysdata& b, NibpVerdict verdict, WallMillis at,
                bool& pulse_done) const;
  Reading make_reading(VitalKind kind, double value, WallMillis at) const;
  // Adds the reading, or, for a number no body produces, the skip and its condition.
  void admit(MappedRecord& out, VitalKind kind, double value, WallMillis at) const;

  std::string source_;
  NibpTracker nibp_;
};

}  // namespace vigil::datex
