#pragma once
// The ward of the identify-at-acknowledgment tests: a shared screen and two nurses.

#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <string>

#include "support/alert_lines.hpp"
#include "support/child_process.hpp"
#include "support/mllp_client.hpp"
#include "support/session_driver.hpp"
#include "support/vigild_fixture.hpp"

namespace vigil::test {

inline const std::string kStationToken = "station-token-8d41c07a2b";
inline const std::string kKimToken = "kim-token-3e9a15f0c6";

// token_sha256 / pin_sha256 as IT makes them: `vigild --hash-token` / `--hash-pin` on stdin.
inline std::string hash_secret(const std::string& secret, const char* flag = "--hash-token") {
  auto r = run_command({"/bin/sh", "-c", "printf '%s\\n' '" + secret + "' | " + bin("vigild") + " " + flag},
                       std::chrono::seconds(20));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::string hex = r.out;
  while (!hex.empty() && hex.back() == '\n') hex.pop_back();
  return hex;
}

// ward-screen: a station; lee: a nurse with PIN 4711 (no login of her own); kim: a nurse.
inline std::string station_config(const TempDir& dir) {
  const std::string conf = dir.file("vigild.conf");
  std::ofstream(conf) << "stream_user { name: \"ward-screen\" role: \"station\" token_sha256: \"" +
                             hash_secret(kStationToken) + "\" }\n"
                      << "stream_user { name: \"lee\" role: \"nurse\" pin_sha256: \"" +
                             hash_secret("4711", "--hash-pin") + "\" }\n"
                      << "stream_user { name: \"kim\" role: \"nurse\" token_sha256: \"" +
                             hash_secret(kKimToken) + "\" }\n";
  return conf;
}

// SBP 205 without a session raises P1 at once (absolute limit); its id from the log.
inline std::string raise_p1(Vigild& vigild, const std::string& db, const std::string& bed) {
  MllpClient monitor(vigild.hl7.host, vigild.hl7.port);
  NibpValues bp{205, 100, std::nullopt, hl7_time_at(std::time(nullptr) - 60)};
  EXPECT_TRUE(monitor.send_message(make_vitals_oru(bed, "A-" + bed, bp, 80, 97)));
  auto reply = monitor.read_reply(std::chrono::seconds(20));
  EXPECT_TRUE(reply && hl7_field(*reply, "MSA", 1) == "AA");
  for (const auto& a : export_alerts(db, bed))
    if (a.rule() == "P1" && a.transition() == "raised") return a.id();
  return {};
}

}  // namespace vigil::test
