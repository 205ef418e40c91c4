// vigilctl health: vigild's /healthz as a Nagios/Icinga check (exit codes: health_check.hpp).
//
//   $ vigilctl health --http 127.0.0.1:7421
//   OK: {"status":"ok","db":"ok","io_loop_lag_ms":0,"technical_alerts":0}
#include <CLI/CLI.hpp>

#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "ctl/health_check.hpp"
#include "net/host_port.hpp"

namespace vigil::ctl {

namespace {

struct HealthArgs {
  std::string http = "127.0.0.1:7421";  // vigild's default http_listen
  double timeout_s = 5;
};

int run_health(const HealthArgs& args) {
  const auto at = net::parse_host_port(args.http);
  if (!at || !(args.timeout_s > 0 && args.timeout_s <= 300)) {
    std::cout
        << "UNKNOWN: bad arguments: --http must be HOST:PORT (e.g. 127.0.0.1:7421), --timeout in (0, 300] s"
        << std::endl;
    return kHealthUnknown;
  }
  std::string error;
  const auto reply = fetch_healthz(
      at->first, at->second, std::chrono::milliseconds(static_cast<long>(args.timeout_s * 1000)), error);
  const HealthOutcome outcome =
      judge_healthz(args.http, reply ? std::optional<unsigned>(reply->status) : std::nullopt,
                    reply ? reply->body : std::string(), error);
  std::cout << outcome.line << std::endl;
  return outcome.exit_code;
}

}  // namespace

std::function<std::optional<int>()> add_health(CLI::App& app) {
  auto args = std::make_shared<HealthArgs>();
  auto* cmd = app.add_subcommand(
      "health",
      "Ask vigild's GET /healthz; one line, Nagios exit codes (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN)");
  cmd->add_option("--http", args->http, "vigild's http_listen address HOST:PORT")->capture_default_str();
  cmd->add_option("--timeout", args->timeout_s, "Seconds to wait for the answer")->capture_default_str();
  return [cmd, args]() -> std::optional<int> {
    if (!cmd->parsed()) return std::nullopt;
    return run_health(*args);
  };
}

bool health_parse_failed(CLI::App& app) {
  // A flag CLI11 rejected after `health`: still a check, so UNKNOWN rather than vigilctl's 2.
  auto* cmd = app.get_subcommand("health");
  return cmd != nullptr && cmd->parsed();
}

}  // namespace vigil::ctl
