#include "datex/s5_condition_summary.hpp"

namespace vigil::datex {

ConditionSummary summarize(const std::vector<DeviceCondition>& conditions) {
  ConditionSummary out;
  for (const auto& c : conditions) {
    if (c.event && c.code.rfind("NIBP_", 0) == 0) out.nibp_failures.push_back(c.code);
    const bool impossible = c.code.ends_with("_IMPOSSIBLE");
    if (impossible) {
      if (!out.unreadable.empty()) out.unreadable += "; ";
      out.unreadable += c.text;
      continue;  // not the oximeter's own fault report (T6), nor a NIBP failure
    }
    if (c.code.rfind("SPO2_", 0) == 0) out.spo2_trouble = true;
    if (!out.detail.empty()) out.detail += "; ";
    out.detail += c.text;
  }
  return out;
}

}  // namespace vigil::datex
