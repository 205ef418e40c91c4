// The /healthz verdict and vigilctl health's reading of it (Nagios exit codes).
#include <gtest/gtest.h>

#include "ctl/health_check.hpp"
#include "http/health.hpp"

namespace vigil {
namespace {

TEST(HealthVerdict, HealthyIsOkWithTheDocumentedFields) {
  http::HealthFacts facts;
  facts.io_loop_lag_ms = 3;
  const auto v = http::judge_health(facts);
  EXPECT_TRUE(v.ok);
  EXPECT_EQ(v.json, R"({"status":"ok","db":"ok","io_loop_lag_ms":3,"technical_alerts":0})");
}

TEST(HealthVerdict, DatabaseFailureFailsAndSaysWhy) {
  http::HealthFacts facts;
  facts.store_ok = false;
  facts.store_error = "database unusable: file \"vigil.db\" was deleted";
  facts.technical_alerts = 2;
  facts.technical_reasons = {"log: Alarm log write failure"};
  const auto v = http::judge_health(facts);
  EXPECT_FALSE(v.ok);
  EXPECT_EQ(
      v.json,
      R"({"status":"fail","db":"fail","db_error":"database unusable: file \"vigil.db\" was deleted",)"
      R"("io_loop_lag_ms":0,"technical_alerts":2,"reasons":["database: database unusable: file \"vigil.db\" )"
      R"(was deleted","technical alert: log: Alarm log write failure"]})");
}

TEST(HealthVerdict, LateLoopOrTechnicalAlertAloneFails) {
  http::HealthFacts late;
  late.io_loop_lag_ms = 1500;
  late.io_loop_lag_limit_ms = 1000;
  EXPECT_FALSE(http::judge_health(late).ok);
  EXPECT_NE(http::judge_health(late).json.find("io loop late by 1500 ms"), std::string::npos);
  http::HealthFacts t8;
  t8.technical_alerts = 1;
  const auto v = http::judge_health(t8);
  EXPECT_FALSE(v.ok);
  EXPECT_NE(v.json.find(R"("db":"ok")"), std::string::npos);
  EXPECT_NE(v.json.find("technical alert active"), std::string::npos);
}

TEST(HealthCheck, NagiosCodesFromTheAnswer) {
  using ctl::judge_healthz;
  const std::string ok = R"({"status":"ok","db":"ok","io_loop_lag_ms":0,"technical_alerts":0})";
  const std::string warn =
      R"({"status":"fail","db":"ok","io_loop_lag_ms":0,"technical_alerts":1,"reasons":["x"]})";
  const std::string crit =
      R"({"status":"fail","db":"fail","db_error":"e","io_loop_lag_ms":0,"technical_alerts":1})";
  EXPECT_EQ(judge_healthz("h:1", 200u, ok + "\n", "").exit_code, ctl::kHealthOk);
  EXPECT_EQ(judge_healthz("h:1", 200u, ok + "\n", "").line, "OK: " + ok);
  EXPECT_EQ(judge_healthz("h:1", 503u, warn, "").exit_code, ctl::kHealthWarning);
  EXPECT_EQ(judge_healthz("h:1", 503u, crit, "").exit_code, ctl::kHealthCritical);
  const auto none = judge_healthz("h:1", std::nullopt, "", "Connection refused");
  EXPECT_EQ(none.exit_code, ctl::kHealthCritical);
  EXPECT_EQ(none.line, "CRITICAL: no answer from vigild at h:1: Connection refused");
  EXPECT_EQ(judge_healthz("h:1", 404u, "not found", "").exit_code, ctl::kHealthCritical);
  EXPECT_EQ(judge_healthz("h:1", 200u, "not json", "").exit_code, ctl::kHealthCritical);
}

TEST(HealthCheck, TargetsArePlainOrHttps) {
  using ctl::parse_health_target;
  const auto plain = parse_health_target("127.0.0.1:7421");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->host, "127.0.0.1");
  EXPECT_EQ(plain->port, 7421);
  EXPECT_FALSE(plain->https);
  const auto http = parse_health_target("http://vigil-server:7421/");
  ASSERT_TRUE(http);
  EXPECT_EQ(http->host, "vigil-server");
  EXPECT_FALSE(http->https);
  const auto https = parse_health_target("https://[::1]:7421");
  ASSERT_TRUE(https);
  EXPECT_EQ(https->host, "::1");
  EXPECT_EQ(https->port, 7421);
  EXPECT_TRUE(https->https);
  for (const char* bad : {"", "nonsense", "https://", "https://host", "ftp://h:1", "h:0", "h:1/healthz"})
    EXPECT_FALSE(parse_health_target(bad)) << bad;
}

}  // namespace
}  // namespace vigil
