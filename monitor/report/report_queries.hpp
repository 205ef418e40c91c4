#pragma once
// gather(): everything an end-of-session report shows, read from vigild's database through
// read-only connections (store/timeline.hpp and store/log_queries.hpp). Pure queries: it
// never writes, never creates the file, and is safe on any thread (the daemon calls it on a
// worker thread, never on its io_context).

#include <optional>
#include <string>
#include <vector>

#include "alerts/rule_profile.hpp"
#include "report/report_data.hpp"

namespace vigil::report {

// Which session: `session_id`, or the latest session of `bed` when the id is unset/empty.
// When both are set the session must belong to that bed.
struct ReportTarget {
  std::optional<std::string> session_id;
  std::optional<std::string> bed;
};

struct ReportOptions {
  // The profiles vigild runs with; the session's profile is looked up by name. A profile not
  // found here falls back to the built-in defaults, and the report says so.
  std::vector<alerts::RuleProfile> profiles;
  ReportLimits limits;
  WallMillis now_ms = 0;  // "generated at", and the end of an open session's window
};

// The SBP and DBP ceilings of a profile's enabled rules (P4, P2, P1), lowest first.
std::vector<Threshold> thresholds_of(const alerts::RuleProfile& profile);

// The discharge criteria of a profile in one line ("60 min after stop, 2 readings ...").
std::string discharge_criteria_text(const alerts::RuleProfile& profile);

// Reads one session's report. Throws ReportError for an unknown session or a session with no
// readings (what() says which), store::StoreError when the database cannot be read.
ReportData gather(const std::string& db_path, const ReportTarget& target, const ReportOptions& options);

}  // namespace vigil::report
