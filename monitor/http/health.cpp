#include "http/health.hpp"

#include "common/json_lines.hpp"

namespace vigil::http {

HealthVerdict judge_health(const HealthFacts& facts) {
  std::vector<std::string> reasons;
  if (!facts.store_ok) reasons.push_back("database: " + facts.store_error);
  if (facts.io_loop_lag_ms >= facts.io_loop_lag_limit_ms)
    reasons.push_back("io loop late by " + std::to_string(facts.io_loop_lag_ms) + " ms");
  if (facts.technical_alerts > 0) {
    for (std::size_t i = 0; i < facts.technical_reasons.size() && i < kMaxHealthReasons; ++i)
      reasons.push_back("technical alert: " + facts.technical_reasons[i]);
    if (facts.technical_reasons.empty()) reasons.push_back("technical alert active");
  }

  HealthVerdict verdict;
  verdict.ok = reasons.empty();
  std::string& j = verdict.json;
  j = "{\"status\":";
  j += verdict.ok ? "\"ok\"" : "\"fail\"";
  j += ",\"db\":";
  j += facts.store_ok ? "\"ok\"" : "\"fail\"";
  if (!facts.store_ok) j += ",\"db_error\":" + json_quote(facts.store_error);
  j += ",\"io_loop_lag_ms\":" + std::to_string(facts.io_loop_lag_ms);
  j += ",\"technical_alerts\":" + std::to_string(facts.technical_alerts);
  if (!verdict.ok) {
    j += ",\"reasons\":[";
    for (std::size_t i = 0; i < reasons.size(); ++i) {
      if (i > 0) j += ',';
      j += json_quote(reasons[i]);
    }
    j += ']';
  }
  j += '}';
  return verdict;
}

}  // namespace vigil::http
