#pragma once
// Decides whether the NIBP result in a poll result is new. The monitor repeats the last
// NIBP measurement in every poll (once a second with extended polling); a nurse needs each
// new result exactly once, never a stale one presented as new.
//
// Identity of a result:
//   with a measurement timestamp (NOM_ATTR_TIME_STAMP_ABS of the NIBP object) -> that
//     timestamp, once a previous result also carried one
//   otherwise (fallback) -> the raw sys/dia/mean FLOAT words. A re-measurement giving the
//     very same three numbers is then not announced (as devices/datex/s5_nibp_tracker: a
//     duplicate would wrongly "confirm" an alarm reading; a missed identical repeat only
//     delays confirmation).
//
//   observation ──► no number in sys, dia or mean ──► Unavailable (state untouched)
//               └─► MSMT_ONGOING on a value      ──► Measuring   (state untouched)
//               └─► same identity as last seen   ──► AlreadyReported
//               └─► new identity: remember it    ──► New
//
// Pure: no clock. Threading: none (one per monitor).

#include <cstdint>
#include <optional>

#include "intellivue/iv_types.hpp"

namespace vigil::intellivue {

enum class NibpVerdict : std::uint8_t { New, AlreadyReported, Measuring, Unavailable };

/// What one poll result says about NIBP.
struct NibpObservation {
  std::optional<NumericValue> sys, dia, mean;
  std::optional<AbsoluteTime> timestamp;
};

class NibpTracker {
 public:
  NibpVerdict observe(const NibpObservation& nibp);

 private:
  struct Triple {
    std::uint32_t sys = 0, dia = 0, mean = 0;
    bool operator==(const Triple&) const = default;
  };
  // Both are remembered so that a monitor that sends the timestamp only sometimes does not
  // make the same result look new when the identity rule switches.
  std::optional<AbsoluteTime> last_time_;
  std::optional<Triple> last_triple_;
};

}  // namespace vigil::intellivue
