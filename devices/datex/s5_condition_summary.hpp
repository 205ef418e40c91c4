#pragma once
// What the conditions of one S/5 displayed-values record mean for Vigil's technical alarms:
//
//   event condition "NIBP_*"   --> one failed NIBP result (T4), by its code
//   any condition "SPO2_*"     --> the oximeter has no valid value while it lasts (T6)
//   condition "*_IMPOSSIBLE"   --> a value no body produces: data Vigil cannot read (T8)
//   every condition's text     --> one detail line, "; "-separated, for the alarm
//
// Pure: a record's conditions in, a summary out.

#include <string>
#include <vector>

#include "datex/s5_reading_mapper.hpp"

namespace vigil::datex {

struct ConditionSummary {
  std::vector<std::string> nibp_failures;  // codes of failed NIBP results in this record
  bool spo2_trouble = false;
  // Values no body produces ("<KIND>_IMPOSSIBLE"), "; "-separated: data Vigil cannot read (T8).
  std::string unreadable;
  std::string detail;
};

ConditionSummary summarize(const std::vector<DeviceCondition>& conditions);

}  // namespace vigil::datex
