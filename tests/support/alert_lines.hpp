#pragma once
// Reading what vigild logged and streamed, for system tests: parses `vigilctl alerts`,
// `vigilctl readings` and `vigilctl watch` JSON lines and renders alerts for failure
// messages. Header-only so the support library itself needs no protobuf (tests that
// include this link vigil_common).

#include <google/protobuf/util/json_util.h>

#include <chrono>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "json_lines.pb.h"
#include "support/child_process.hpp"
#include "support/vigild_fixture.hpp"

namespace vigil::test {

namespace detail {
template <typename Line>
std::optional<Line> parse_line(const std::string& line, const std::string& type) {
  if (line.find("\"type\":\"" + type + "\"") == std::string::npos) return std::nullopt;
  Line out;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  if (!google::protobuf::util::JsonStringToMessage(line, &out, options).ok()) return std::nullopt;
  return out;
}
}  // namespace detail

/// A JSON line of type "alert"; nullopt for any other line.
inline std::optional<proto::AlertLine> parse_alert_line(const std::string& line) {
  return detail::parse_line<proto::AlertLine>(line, "alert");
}

/// A JSON line of type "session"; nullopt for any other line.
inline std::optional<proto::SessionLine> parse_session_line(const std::string& line) {
  return detail::parse_line<proto::SessionLine>(line, "session");
}

/// The alert log as `vigilctl alerts --db DB [--bed BED] --format jsonl` exports it, in log
/// order. `error` gets a message when the command fails or prints a line that is not an alert.
inline std::vector<proto::AlertLine> export_alerts(const std::string& db, const std::string& bed,
                                                   std::string* error = nullptr) {
  std::vector<std::string> argv{bin("vigilctl"), "alerts", "--db", db, "--format", "jsonl"};
  if (!bed.empty()) {
    argv.push_back("--bed");
    argv.push_back(bed);
  }
  RunResult run = run_command(argv, std::chrono::seconds(60));
  std::vector<proto::AlertLine> out;
  if (run.exit_code != 0 && error)
    *error = "vigilctl alerts exited " + std::to_string(run.exit_code) + ": " + run.err;
  std::istringstream in(run.out);
  for (std::string line; std::getline(in, line);) {
    if (auto alert = parse_alert_line(line)) {
      out.push_back(std::move(*alert));
    } else if (error) {
      *error += "not an alert line: " + line + "\n";
    }
  }
  return out;
}

/// A JSON line of type "reading"; nullopt for any other line.
inline std::optional<proto::ReadingLine> parse_reading(const std::string& line) {
  return detail::parse_line<proto::ReadingLine>(line, "reading");
}

/// The stored readings of `bed` as `vigilctl readings --db DB --bed BED` exports them.
/// `error` gets a message when the command fails.
inline std::vector<proto::ReadingLine> export_readings(const std::string& db, const std::string& bed,
                                                       std::string* error = nullptr) {
  RunResult run =
      run_command({bin("vigilctl"), "readings", "--db", db, "--bed", bed}, std::chrono::seconds(60));
  if (run.exit_code != 0 && error)
    *error = "vigilctl readings exited " + std::to_string(run.exit_code) + ": " + run.err;
  std::vector<proto::ReadingLine> out;
  std::istringstream in(run.out);
  for (std::string line; std::getline(in, line);) {
    if (auto r = parse_reading(line)) out.push_back(std::move(*r));
  }
  return out;
}

/// One alert line as a short row for failure messages.
/// The first logged transition of `rule` of kind `transition` ("raised", ...), if any.
inline std::optional<proto::AlertLine> first_transition(const std::vector<proto::AlertLine>& log,
                                                        const std::string& rule,
                                                        const std::string& transition) {
  for (const auto& a : log) {
    if (a.rule() == rule && a.transition() == transition) return a;
  }
  return std::nullopt;
}

inline std::string describe(const proto::AlertLine& a) {
  std::ostringstream s;
  s << "log " << a.log_id() << " seq " << a.seq() << " " << a.id() << " " << a.rule() << " " << a.transition()
    << " " << a.priority() << " " << a.state();
  if (!a.user().empty()) s << " user=" << a.user();
  if (!a.acknowledged_by().empty()) s << " ack_by=" << a.acknowledged_by();
  s << " phase=" << a.phase() << " \"" << a.message() << "\"";
  return s.str();
}

/// The whole log, one row per line.
inline std::string describe(const std::vector<proto::AlertLine>& alerts) {
  std::string out = "alert log (" + std::to_string(alerts.size()) + " rows):\n";
  for (const auto& a : alerts) out += "  " + describe(a) + "\n";
  return out;
}

}  // namespace vigil::test
