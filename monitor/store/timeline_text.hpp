#pragma once
// How `vigilctl timeline` prints a session: a header, then one line per item:
//
//   2026-11-21T10:15:00Z  session   infusion_started by nurse1 (phase infusion)
//   2026-11-21T10:20:00Z  reading   NIBP 168/104 (125) unverified
//   2026-11-21T10:20:00Z  alert     P2 MEDIUM ACTIVE raised: SBP 184 >= 180 (limit 180, baseline 126)
//
// Text format rules, for a readable page rather than a complete record (the jsonl format
// is complete):
//  - NIBP systolic, diastolic and mean with the same measured time and source make one line;
//    a missing systolic or diastolic prints as "--", a missing mean is left out.
//  - Other kinds (HR, PULSE, SPO2, RESP, TEMP) are thinned per kind: a reading is printed
//    when it is the first of its kind, differs by >= 5 from the last printed one, comes
//    >= 60 s after it, or is invalid or unverified. NaN values are always printed.

#include <array>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string>
#include <vector>

#include "store/timeline.hpp"

namespace vigil::store {

// The header lines: session id and chair, patient label, profile and planned minutes,
// baseline, phase and whether the session is still open.
std::vector<std::string> timeline_header(const TimelineSession& session);

// "infusion_started by nurse1 (phase infusion)".
std::string session_event_text(const proto::SessionEvent& event);

// "P2 MEDIUM ACTIVE raised: SBP 184 >= 180 (limit 180, baseline 126)"; " by USER" follows
// the transition when a user is named.
std::string alert_text(const proto::AlertEvent& alert);

// Turns timeline items into text lines, holding back an NIBP part until its measurement is
// complete. Feed every item in order with add(), then call finish() once.
class TimelineTextRenderer {
 public:
  // The lines this item completes (none, one, or two when it also ends a held NIBP line).
  std::vector<std::string> add(const TimelineItem& item);
  // The held NIBP line, if any.
  std::vector<std::string> finish();

 private:
  struct Nibp {
    WallMillis at_ms = 0;
    std::string source;
    std::optional<double> sys, dia, mean;
    bool unverified = false;
    bool late = false;
    bool withdrawn = false;
    bool invalid = false;
    std::string invalid_status;  // the device status of an invalid part
  };
  struct Printed {
    double value = 0;
    WallMillis at_ms = 0;
  };

  void flush_nibp(std::vector<std::string>& out);
  void add_nibp(const StoredReading& row, std::vector<std::string>& out);
  void add_other(const StoredReading& row, std::vector<std::string>& out);

  std::optional<Nibp> nibp_;
  // Per VitalKind, the last printed non-NIBP reading.
  std::array<std::optional<Printed>, std::size(kAllVitalKinds)> last_;
};

// One item as the JSON line `vigilctl watch` would print for it (reading, alert, session).
std::string timeline_jsonl(const TimelineItem& item);

}  // namespace vigil::store
