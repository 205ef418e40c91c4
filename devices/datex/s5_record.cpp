#include "datex/s5_record.hpp"

namespace vigil::datex {

std::string_view to_string(ValueState state) {
  switch (state) {
    case ValueState::Ok: return "OK";
    case ValueState::Invalid: return "INVALID";
    case ValueState::NotUpdated: return "NOT_UPDATED";
    case ValueState::Discontinuity: return "DISCONTINUITY";
    case ValueState::UnderRange: return "UNDER_RANGE";
    case ValueState::OverRange: return "OVER_RANGE";
    case ValueState::NotCalibrated: return "NOT_CALIBRATED";
    case ValueState::OtherSpecial: return "SPECIAL_VALUE";
    case ValueState::ModuleAbsent: return "MODULE_ABSENT";
    case ValueState::Inactive: return "INACTIVE";
  }
  return "UNKNOWN";
}

ValueState special_state(std::int16_t raw) {
  if (raw > kSpecialLimit) return ValueState::Ok;
  switch (raw) {
    case kInvalid: return ValueState::Invalid;
    case kNotUpdated: return ValueState::NotUpdated;
    case kDiscontinuity: return ValueState::Discontinuity;
    case kUnderRange: return ValueState::UnderRange;
    case kOverRange: return ValueState::OverRange;
    case kNotCalibrated: return ValueState::NotCalibrated;
    default: return ValueState::OtherSpecial;
  }
}

Measurement interpret(const GroupHeader& group, std::int16_t raw, double scale) {
  Measurement m;
  m.raw = raw;
  // A module that is absent or switched off may leave stale numbers in its fields, so the
  // status bits win over whatever the value field holds.
  if (!group.exists()) {
    m.state = ValueState::ModuleAbsent;
  } else if (!group.active()) {
    m.state = ValueState::Inactive;
  } else {
    m.state = special_state(raw);
    if (m.ok()) m.value = raw * scale;
  }
  return m;
}

}  // namespace vigil::datex
