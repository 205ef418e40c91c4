#pragma once
// vigilctl report: one session's end-of-session report from vigild's database, as PDF, PNG
// or CSV (by the --out extension). docs/reports.md says what it holds.

#include <optional>
#include <string>

namespace vigil::ctl {

struct ReportArgs {
  std::string db;
  std::optional<std::string> session;  // a session id, or:
  std::optional<std::string> bed;      // with latest: the chair's latest session
  bool latest = false;
  std::string out;  // FILE.pdf | FILE.png | FILE.csv
};

// Prints the written file's path on success (exit 0). Exit 1: the database cannot be read,
// the session is unknown or has no readings, or the file cannot be written; exit 2: bad
// arguments (no session named, unknown extension).
int run_report(const ReportArgs& args);

}  // namespace vigil::ctl
