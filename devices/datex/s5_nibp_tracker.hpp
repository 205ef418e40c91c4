#pragma once
// Decides whether the NIBP result in a displayed-values record is new. The S/5 repeats the
// last NIBP result in every record (every 5-10 s); a nurse needs each new result exactly
// once, and never a stale one presented as new.
//
// Identity of a result:
//   with the aux subrecord   -> nibp_time (time of the latest NIBP, s since 1970), once a
//                               previous record also carried one
//   otherwise (fallback)    -> the raw sys/dia/mean triple. A re-measurement giving the
//                               very same three numbers is therefore not announced: a
//                               duplicate would wrongly "confirm" an alarm reading (NIBP
//                               rules confirm with a second agreeing reading), a missed
//                               identical repeat only delays confirmation.
//
//   record ──► group absent/inactive ──► Unavailable (state untouched)
//          └─► label bit 5 measuring ──► Measuring   (state untouched)
//          └─► same identity as the last one seen ──► AlreadyReported
//          └─► new identity: remember it; label bit 8 (older than 60 s) ──► TooOld
//                                                                else ──► New
// A result first seen as older than 60 s (e.g. measured before Vigil connected) is
// remembered but never announced, so it cannot be announced later either.
//
// Pure: no clock; time comes from the record. Threading: none (one per monitor).

#include <cstdint>
#include <optional>

#include "datex/s5_record.hpp"

namespace vigil::datex {

/// What the tracker concluded about one record's NIBP result.
enum class NibpVerdict : std::uint8_t {
  New,              // announce this result (its valid values)
  AlreadyReported,  // the repeated last result
  Measuring,        // a measurement is running: the numbers are not a result
  TooOld,           // first seen already older than 60 s
  Unavailable,      // the NIBP group is absent or inactive
};

/// Tracks NIBP result identity across records from one monitor.
class NibpTracker {
 public:
  /// Looks at one record's NIBP group. `nibp_time` is the aux subrecord's value, if any.
  NibpVerdict observe(const BasicPhysdata& physdata, std::optional<std::uint32_t> nibp_time);

 private:
  struct Triple {
    std::int16_t sys = 0, dia = 0, mean = 0;
    bool operator==(const Triple&) const = default;
  };

  // Both are remembered so that a monitor which sends the aux subrecord only sometimes
  // does not make the same result look new when the identity rule switches.
  std::optional<std::uint32_t> last_time_;
  std::optional<Triple> last_triple_;
};

}  // namespace vigil::datex
