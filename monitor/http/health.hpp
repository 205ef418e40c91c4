#pragma once
// The verdict of GET /healthz, pure: what the daemon knows in, status and JSON out.
//
//   healthy  = the last commit worked (store) AND the io loop answers in time (lag below
//              the limit) AND no T8 (technical alarm about the system) is live on any chair
//   200 {"status":"ok","db":"ok","io_loop_lag_ms":3,"technical_alerts":0}
//   503 {"status":"fail","db":"fail","db_error":"database unusable: ...","io_loop_lag_ms":3,
//        "technical_alerts":2,"reasons":["database: ...","technical alert: Alarm log write failure"]}
//
// "db" tells a Nagios check (vigilctl health) whether the failure is the database itself
// (CRITICAL) or something the daemon still records through (WARNING).
//
// Threading: none.

#include <cstdint>
#include <string>
#include <vector>

namespace vigil::http {

struct HealthFacts {
  bool store_ok = true;
  std::string store_error;  // the store's last failure, when !store_ok
  std::int64_t io_loop_lag_ms = 0;
  std::int64_t io_loop_lag_limit_ms = 1000;
  std::uint64_t technical_alerts = 0;          // live T8 alerts, all chairs
  std::vector<std::string> technical_reasons;  // distinct T8 texts, at most kMaxReasons kept
};

struct HealthVerdict {
  bool ok = true;
  std::string json;  // one line, no newline
};

inline constexpr std::size_t kMaxHealthReasons = 8;

HealthVerdict judge_health(const HealthFacts& facts);

}  // namespace vigil::http
