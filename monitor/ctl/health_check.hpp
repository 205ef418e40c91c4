#pragma once
// vigilctl health: the verdict of vigild's GET /healthz as a Nagios/Icinga plugin gives it,
// one line and an exit code (docs/operations.md):
//
//   0 OK        200
//   1 WARNING   503 while the database still commits (a technical alert, a late io loop)
//   2 CRITICAL  503 because the database fails ("db":"fail"), no answer within the timeout,
//               or an answer that is not /healthz's (another status, a body we cannot read)
//   3 UNKNOWN   unusable arguments (--http not HOST:PORT or a URL, an unreadable --ca)
//
// Plain HTTP on loopback; HTTPS (https://HOST:PORT or --tls) where vigild serves its port
// beyond loopback with the stream's certificate, verified against --ca or the system's CAs.

#include <chrono>
#include <cstdint>
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

// Where to ask: "HOST:PORT" or "http://HOST:PORT" (plain), "https://HOST:PORT" (TLS), with an
// optional trailing "/". nullopt on anything else. Pure.
struct HealthTarget {
  std::string host;
  std::uint16_t port = 0;
  bool https = false;
};
std::optional<HealthTarget> parse_health_target(const std::string& text);

// How an HTTPS target is verified: against `ca_file` (empty: the system's trusted CAs), for
// `server_name` (empty: the host asked).
struct HealthTls {
  std::string ca_file;
  std::string server_name;
};

// One GET /healthz with an overall deadline; the status and body, or nullopt and the reason
// in `error` (a refused connection, a certificate that does not verify, the deadline).
// Throws std::invalid_argument when `tls.ca_file` cannot be loaded.
struct HealthReply {
  unsigned status = 0;
  std::string body;
};
std::optional<HealthReply> fetch_healthz(const HealthTarget& target, const HealthTls& tls,
                                         std::chrono::milliseconds timeout, std::string& error);

}  // namespace vigil::ctl
