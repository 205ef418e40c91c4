// vigilctl unmapped: what monitors send that Vigil did not turn into readings, one line per
// source, chair, OBX-3 code and reason, with a count and a sample value, from vigild's
// database (read-only, safe while vigild runs). A biomed engineer's starting point for a
// site code_map entry (docs/configuration.md).
//
//   $ vigilctl unmapped --db vigil.db
//   MON-7  CHAIR12  101^HR^LOCAL  count 3  sample "72" "bpm"  last 2026-12-05T10:00:00.000Z  OBX-3
//   '101^HR^LOCAL' is not a code Vigil knows
#include <CLI/CLI.hpp>

#include <functional>
#include <iostream>
#include <memory>
#include <optional>

#include "common/json_lines.hpp"
#include "common/wall_time.hpp"
#include "ctl/export_runner.hpp"
#include "store/unmapped_summary.hpp"

#include "ctl/default_db.hpp"

namespace vigil::ctl {

namespace {

struct UnmappedArgs {
  std::string db;
  std::optional<std::string> since;
  std::string format = "text";
};

// Device text on a terminal: control bytes (a stray ESC) become '?'.
std::string printable(const std::string& s) {
  std::string out = s;
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  return out;
}

int run(const UnmappedArgs& args) {
  std::optional<WallMillis> since;
  if (!parse_since(args.since, since)) return 2;
  return run_export(args.db, [&](LineOutput& out) -> std::size_t {
    const auto groups = store::unmapped_summary(args.db, since);
    if (args.format == "text" && groups.empty()) out.line("no unmapped observations");
    for (const store::UnmappedGroup& g : groups) {
      if (args.format == "jsonl") {
        out.line("{\"source\":" + json_quote(g.source) + ",\"bed\":" + json_quote(g.bed) +
                 ",\"code\":" + json_quote(g.code) + ",\"count\":" + std::to_string(g.count) +
                 ",\"sample_value\":" + json_quote(g.sample_value) + ",\"unit\":" + json_quote(g.unit) +
                 ",\"reason\":" + json_quote(g.reason) +
                 ",\"first_received\":" + json_quote(format_rfc3339(g.first_received_ms)) +
                 ",\"last_received\":" + json_quote(format_rfc3339(g.last_received_ms)) + "}");
      } else {
        out.line(printable(g.source.empty() ? "(no source)" : g.source) + "  " + printable(g.bed) + "  " +
                 printable(g.code) + "  count " + std::to_string(g.count) + "  sample \"" +
                 printable(g.sample_value) + "\" \"" + printable(g.unit) + "\"  last " +
                 format_rfc3339(g.last_received_ms) + (g.reason.empty() ? "" : "  " + printable(g.reason)));
      }
    }
    return 0;
  });
}

}  // namespace

// Registers the subcommand; the returned function runs it if it was chosen (nullopt if not).
std::function<std::optional<int>()> add_unmapped(CLI::App& app) {
  auto args = std::make_shared<UnmappedArgs>();
  auto* cmd = app.add_subcommand(
      "unmapped",
      "Observations that did not become readings: per source, chair, code and reason, count, sample");
  cmd->add_option("--db", args->db, kDbHelp);
  cmd->add_option("--since", args->since,
                  "Only observations received at or after this time (2026-11-21T10:00:00Z)");
  cmd->add_option("--format", args->format, "text or jsonl")
      ->check(CLI::IsMember({"text", "jsonl"}))
      ->capture_default_str();
  return [cmd, args]() -> std::optional<int> {
    if (!cmd->parsed()) return std::nullopt;
    return run(*args);
  };
}

}  // namespace vigil::ctl
