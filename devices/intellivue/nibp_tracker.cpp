#include "intellivue/nibp_tracker.hpp"

namespace vigil::intellivue {

namespace {

std::uint32_t raw_or_nan(const std::optional<NumericValue>& v) { return v ? v->value.raw : 0x007FFFFF; }

bool has_number(const std::optional<NumericValue>& v) { return v && v->value.is_number(); }

bool ongoing(const std::optional<NumericValue>& v) { return v && (v->state & kStateMsmtOngoing) != 0; }

}  // namespace

NibpVerdict NibpTracker::observe(const NibpObservation& nibp) {
  if (!has_number(nibp.sys) && !has_number(nibp.dia) && !has_number(nibp.mean))
    return NibpVerdict::Unavailable;
  if (ongoing(nibp.sys) || ongoing(nibp.dia) || ongoing(nibp.mean)) return NibpVerdict::Measuring;

  const Triple triple{raw_or_nan(nibp.sys), raw_or_nan(nibp.dia), raw_or_nan(nibp.mean)};
  bool same = false;
  if (nibp.timestamp && last_time_) {
    same = *nibp.timestamp == *last_time_;
  } else if (last_triple_) {
    same = triple == *last_triple_;
  }
  if (nibp.timestamp) last_time_ = nibp.timestamp;
  last_triple_ = triple;
  return same ? NibpVerdict::AlreadyReported : NibpVerdict::New;
}

}  // namespace vigil::intellivue
