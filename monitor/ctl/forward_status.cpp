// vigilctl forward-status: how HL7 forwarding stands, read from the outbox in vigild's
// database (read-only, safe while vigild runs).
//
//   $ vigilctl forward-status --db /var/lib/vigil/vigil.db
//   pending 12 (3 alerts), sent 1034, skipped 1
//   oldest pending 2026-11-22T01:40:00.000Z (35 s ago)
//   retried 2 pending messages at least once
//   last error: no ACK within 10 s
//   last sent 2026-11-22T01:40:30.000Z
#include <CLI/CLI.hpp>

#include <chrono>
#include <functional>
#include <iostream>
#include <optional>

#include "common/json_lines.hpp"
#include "common/wall_time.hpp"
#include "store/outbox.hpp"
#include "store/records.hpp"

#include "ctl/default_db.hpp"

namespace vigil::ctl {

namespace {

struct ForwardStatusArgs {
  std::string db;
  std::string format = "text";
};

WallMillis now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int run(const ForwardStatusArgs& args) {
  store::OutboxSummary s;
  try {
    s = store::outbox_summary(args.db);
  } catch (const store::StoreError& e) {
    std::cerr << "vigilctl: " << e.what() << "\n";
    return 1;
  }
  const WallMillis now = now_ms();
  const long long age_s = s.oldest_pending_ms ? (now - *s.oldest_pending_ms) / 1000 : 0;
  if (args.format == "json") {
    std::cout << "{\"outbox\":" << (s.has_outbox ? "true" : "false") << ",\"pending\":" << s.pending
              << ",\"pending_alerts\":" << s.pending_alerts << ",\"sent\":" << s.sent
              << ",\"skipped\":" << s.skipped << ",\"retried\":" << s.retried;
    if (s.oldest_pending_ms)
      std::cout << ",\"oldest_pending\":" << json_quote(format_rfc3339(*s.oldest_pending_ms))
                << ",\"oldest_pending_age_s\":" << age_s;
    if (s.last_sent_ms) std::cout << ",\"last_sent\":" << json_quote(format_rfc3339(*s.last_sent_ms));
    std::cout << ",\"last_error\":" << json_quote(s.last_error) << "}\n";
    return 0;
  }
  if (!s.has_outbox) {
    std::cout << "no outbox: this database predates forwarding (schema < 3); nothing was ever forwarded\n";
    return 0;
  }
  std::cout << "pending " << s.pending << " (" << s.pending_alerts << " alerts), sent " << s.sent
            << ", skipped " << s.skipped << "\n";
  if (s.oldest_pending_ms)
    std::cout << "oldest pending " << format_rfc3339(*s.oldest_pending_ms) << " (" << age_s << " s ago)\n";
  if (s.retried) std::cout << "retried " << s.retried << " pending messages at least once\n";
  if (!s.last_error.empty()) std::cout << "last error: " << s.last_error << "\n";
  if (s.last_sent_ms) std::cout << "last sent " << format_rfc3339(*s.last_sent_ms) << "\n";
  return 0;
}

}  // namespace

// Registers the subcommand; the returned function runs it if it was chosen (nullopt if not).
std::function<std::optional<int>()> add_forward_status(CLI::App& app) {
  auto args = std::make_shared<ForwardStatusArgs>();
  auto* cmd = app.add_subcommand("forward-status",
                                 "HL7 forwarding: pending/sent/skipped messages, oldest pending, last error");
  cmd->add_option("--db", args->db, kDbHelp);
  cmd->add_option("--format", args->format, "text or json")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  return [cmd, args]() -> std::optional<int> {
    if (!cmd->parsed()) return std::nullopt;
    return run(*args);
  };
}

}  // namespace vigil::ctl
