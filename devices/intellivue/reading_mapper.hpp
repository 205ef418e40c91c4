#pragma once
// Turns decoded IntelliVue poll results into vigil::Readings. Pure and stateful (it
// remembers which NIBP result it announced and the monitor's clock anchor): one mapper per
// monitor, results fed in arrival order. received_at_ms and bed are left for the daemon.
//
// Code: a NuObsValue physio id is a partition-2 (SCADA) term, so its MDC code is
// 2 * 65536 + id; hl7::lookup_mdc_code gives the VitalKind (one table for both paths:
// 0x4182 HR = 147842, 0x4822 pleth pulse = 149538, 0x4BB8 SpO2 = 150456, 0x500A resp =
// 151562, 0x4B48 temp = 150344, 0x4A05/06/07 NIBP = 150021/22/23). The unit code is a
// partition-4 term: hl7::unit_from_mdc_code(4 * 65536 + code), then hl7::to_canonical.
//
// Per value:
//   special FLOAT (NaN, NRes, +-INF, reserved)      -> skipped, NoValue
//   vital code, known unit that fits, in range     -> Reading (valid = no bit of the
//        state's top octet set; status = the state as 4 hex digits when non-zero)
//   anything else carrying a number                -> UnmappedObservation with a reason
// NIBP (sys/dia/mean, compound or single) goes through NibpTracker once per result: only
// a New result gives readings; the rest are skipped with the verdict.
//
// Measured time, first that applies: the object's NOM_ATTR_TIME_STAMP_ABS; the result's
// abs_time_stamp; the result's relative time against the MDS Create Event's (absolute,
// relative) pair; else 0 (the daemon then uses the receive time). The monitor's absolute
// time is its local clock: MapperOptions says how far east of UTC it runs.
// Threading: none; use from one thread.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "intellivue/messages.hpp"
#include "intellivue/nibp_tracker.hpp"
#include "reading/reading.hpp"

namespace vigil::intellivue {

struct MapperOptions {
  int monitor_utc_offset_minutes = 0;
};

enum class SkipReason : std::uint8_t {
  NoValue,              // special FLOAT value
  NibpAlreadyReported,  // the monitor repeats the last result
  NibpMeasuring,        // MSMT_ONGOING: the numbers are not a result
};

/// Stable lower-case name, e.g. "nibp_already_reported".
std::string_view to_string(SkipReason reason);

struct SkippedValue {
  VitalKind kind = VitalKind::HeartRate;
  SkipReason reason = SkipReason::NoValue;
  bool operator==(const SkippedValue&) const = default;
};

struct MappedPoll {
  std::vector<Reading> readings;
  std::vector<UnmappedObservation> unmapped;
  std::vector<SkippedValue> skipped;
};

class ReadingMapper {
 public:
  /// `source` becomes Reading::source, e.g. "intellivue:10.1.2.3".
  explicit ReadingMapper(std::string source, MapperOptions options = {});

  /// Remembers the MDS Create Event's absolute and relative time (same instant), so that
  /// relative timestamps can be placed on the wall clock. Ignored unless it has both.
  void set_clock_anchor(const MdsCreateEventReport& report);

  /// Maps one complete poll result (PollResultAssembler output, or an unlinked part).
  MappedPoll map(const PollResultPart& result);

 private:
  WallMillis measured_at(const PollResultPart& result, const ObservationPoll& obs) const;
  void map_value(MappedPoll& out, const NumericValue& v, WallMillis at) const;
  void map_nibp(MappedPoll& out, const NibpObservation& nibp, WallMillis at);

  std::string source_;
  MapperOptions options_;
  std::optional<WallMillis> anchor_ms_;
  std::uint32_t anchor_rel_ = 0;
  NibpTracker nibp_;
};

}  // namespace vigil::intellivue
