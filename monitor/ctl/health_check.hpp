#pragma once
// vigilctl health: the verdict of vigild's GET /healthz as a Nagios/Icinga plugin gives it,
// one line and an exit code (docs/operations.md):
//
//   0 OK        200
//   1 WARNING   503 while the database still commits (a technical alert, a late io loop)
//   2 CRITICAL  503 because the database fails ("db":"fail"), no answer within the timeout,
//               or an answer that is not /healthz's (another status, a body we cannot read)
//   3 UNKNOWN   unusable arguments (--http not HOST:PORT)

#include <chrono>
#include <optional>
#include <string>

namespace vigil::ctl {

enum HealthExit : int { kHealthOk = 0, kHealthWarning = 1, kHealthCritical = 2, kHealthUnknown = 3 };

struct HealthOutcome {
  int exit_code = kHealthCritical;
  std::string line;  // "OK: ...", "WARNING: ...", "CRITICAL: ..."; no newline
};

// `status` unset: no answer (`error` says why). Pure.
HealthOutcome judge_healthz(const std::string& where, std::optional<unsigned> status, const std::string& body,
                            const std::string& error);

// One GET /healthz over plain HTTP with an overall deadline; the status and body, or nullopt
// and the reason in `error`.
struct HealthReply {
  unsigned status = 0;
  std::string body;
};
std::optional<HealthReply> fetch_healthz(const std::string& host, std::uint16_t port,
                                         std::chrono::milliseconds timeout, std::string& error);

}  // namespace vigil::ctl
