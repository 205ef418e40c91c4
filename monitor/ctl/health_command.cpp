// vigilctl health: vigild's /healthz as a Nagios/Icinga check (exit codes: health_check.hpp).
//
//   $ vigilctl health --http 127.0.0.1:7421
//   OK: {"status":"ok","db":"ok","io_loop_lag_ms":0,"technical_alerts":0}
//   $ vigilctl health --connect https://vigil-server:7421 --ca /etc/vigil/tls/ca.crt
#include <CLI/CLI.hpp>

#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

#include "ctl/health_check.hpp"

namespace vigil::ctl {

namespace {

struct HealthArgs {
  std::string http = "127.0.0.1:7421";  // vigild's default http_listen
  double timeout_s = 5;
  bool tls = false;  // HTTPS for a HOST:PORT target too (as the other commands' --tls)
  HealthTls verify;
};

int unknown(const std::string& why) {
  std::cout << "UNKNOWN: bad arguments: " << why << std::endl;
  return kHealthUnknown;
}

int run_health(const HealthArgs& args) {
  auto target = parse_health_target(args.http);
  if (!target || !(args.timeout_s > 0 && args.timeout_s <= 300))
    return unknown(
        "--http must be HOST:PORT, http://HOST:PORT or https://HOST:PORT (e.g. 127.0.0.1:7421), --timeout in "
        "(0, 300] s");
  target->https = target->https || args.tls;
  if (!target->https && (!args.verify.ca_file.empty() || !args.verify.server_name.empty()))
    return unknown("--ca and --tls-server-name are for HTTPS: give https://HOST:PORT or --tls");
  std::string error;
  std::optional<HealthReply> reply;
  try {
    reply = fetch_healthz(*target, args.verify,
                          std::chrono::milliseconds(static_cast<long>(args.timeout_s * 1000)), error);
  } catch (const std::invalid_argument& e) {
    return unknown(e.what());
  }
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
  cmd->add_option("--http,--connect", args->http,
                  "vigild's http_listen address: HOST:PORT, or https://HOST:PORT where vigild serves HTTPS")
      ->capture_default_str();
  cmd->add_flag("--tls", args->tls, "HTTPS (vigild's http_listen beyond loopback)");
  cmd->add_option("--ca", args->verify.ca_file,
                  "CA that signed vigild's certificate (default: the system's trusted CAs)");
  cmd->add_option("--tls-server-name", args->verify.server_name,
                  "Name vigild's certificate must carry (default: the --http host)");
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
