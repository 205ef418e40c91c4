#include "datex/s5_nibp_tracker.hpp"

namespace vigil::datex {

NibpVerdict NibpTracker::observe(const BasicPhysdata& physdata, std::optional<std::uint32_t> nibp_time) {
  const GroupHeader& group = physdata.nibp;
  if (!group.exists() || !group.active()) return NibpVerdict::Unavailable;
  if ((group.label & nibp_label::kMeasuring) != 0) return NibpVerdict::Measuring;

  const Triple triple{physdata.nibp_sys, physdata.nibp_dia, physdata.nibp_mean};
  bool same = false;
  if (nibp_time && last_time_) {
    same = *nibp_time == *last_time_;
  } else if (last_triple_) {
    same = triple == *last_triple_;
  }
  if (nibp_time) last_time_ = nibp_time;
  last_triple_ = triple;
  if (same) return NibpVerdict::AlreadyReported;
  if ((group.label & nibp_label::kOlderThan60s) != 0) return NibpVerdict::TooOld;
  return NibpVerdict::New;
}

}  // namespace vigil::datex
