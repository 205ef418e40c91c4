#pragma once
// The selected chair's record as the history panel lists it, newest first: its NIBP
// measurements (with the HR of that moment), session marks (infusion start / stop) and alert
// transitions (who acknowledged what). A chair with no alert still has a record: its
// readings. Pure; built from the ward model's trend and history (ward_views.hpp).

#include <cstdint>
#include <string>
#include <vector>

#include "model/model_views.hpp"

namespace vigil::dashboard {

struct RecordLine {
  enum Kind { Reading, Session, Alert } kind = Reading;
  std::int64_t at_ms = 0;  // the daemon's clock
  std::string text;        // "NIBP 122/78 (93)  HR 72", "infusion start", "SBP HIGH raised"
  std::string detail;      // the alert's text: "SBP 186 ≥ 180" ("" for the others)
  Priority priority = Priority::None;
};

// At most `max_lines` lines, newest first.
std::vector<RecordLine> chair_record(const ChairTrend& trend, const std::vector<HistoryEntry>& history,
                                     std::size_t max_lines);

}  // namespace vigil::dashboard
