// Identify at acknowledgment, end to end: a real vigild with a shared-screen login
// ("station") and nurses with and without PINs, real vigilctl clients (the dashboard's
// picker: station_dashboard_test.cpp).
// The station may acknowledge only in a nurse's name, with her PIN when she has one; wrong
// PINs are refused with a reason and backed off; the alert log records the nurse.
#include <gtest/gtest.h>

#include <chrono>
#include <ctime>
#include <fstream>

#include "e2e/station_users.hpp"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;

RunResult station_ack(const Vigild& vigild, const std::string& alert, const std::string& user,
                      const std::string& pin) {
  std::vector<std::string> argv{"/usr/bin/env", "VIGIL_TOKEN=" + kStationToken};
  if (!pin.empty()) argv.push_back("VIGIL_PIN=" + pin);
  for (const std::string& a : {bin("vigilctl"), std::string("ack"), std::string("--bed"),
                               std::string("CHAIR3"), std::string("--alert"), alert, std::string("--user"),
                               user, std::string("--connect"), vigild.stream.str()})
    argv.push_back(a);
  return run_command(argv, 30s);
}

TEST(StationAck, AStationAcknowledgesOnlyInTheNameOfANurseWithHerPin) {
  TempDir dir;
  Vigild vigild(dir.file("v.db"), {"--config", station_config(dir)});
  const std::string alert = raise_p1(vigild, dir.file("v.db"), "CHAIR3");
  ASSERT_FALSE(alert.empty()) << describe(export_alerts(dir.file("v.db"), "CHAIR3"));

  auto own = station_ack(vigild, alert, "ward-screen", "");
  EXPECT_EQ(own.exit_code, 1) << own.out << own.err;
  EXPECT_NE(own.err.find("must name the nurse who acts"), std::string::npos) << own.err;
  auto no_pin = station_ack(vigild, alert, "lee", "");
  EXPECT_NE(no_pin.err.find("PIN required for lee"), std::string::npos) << no_pin.err;
  auto wrong = station_ack(vigild, alert, "lee", "1111");
  EXPECT_EQ(wrong.exit_code, 1);
  EXPECT_NE(wrong.err.find("wrong PIN for lee"), std::string::npos) << wrong.err;
  for (const auto& a : export_alerts(dir.file("v.db"), "CHAIR3"))
    EXPECT_NE(a.transition(), "acknowledged") << describe(a);

  auto right = station_ack(vigild, alert, "lee", "4711");
  EXPECT_EQ(right.exit_code, 0) << right.out << right.err;
  bool acked = false;
  for (const auto& a : export_alerts(dir.file("v.db"), "CHAIR3")) {
    if (a.transition() != "acknowledged") continue;
    acked = true;
    EXPECT_EQ(a.acknowledged_by(), "lee") << describe(a);
    EXPECT_EQ(a.user(), "lee") << describe(a);
  }
  EXPECT_TRUE(acked) << describe(export_alerts(dir.file("v.db"), "CHAIR3"));
  EXPECT_EQ(vigild.stop(), 0);
  const std::string err = vigild.process().stderr_text();
  EXPECT_NE(err.find("acknowledge on CHAIR3 by lee at shared screen ward-screen"), std::string::npos) << err;
}

TEST(StationAck, RepeatedWrongPinsAreRefusedThenBackedOff) {
  TempDir dir;
  Vigild vigild(dir.file("v.db"), {"--config", station_config(dir)});
  const std::string alert = raise_p1(vigild, dir.file("v.db"), "CHAIR3");
  ASSERT_FALSE(alert.empty());
  // Five free tries (stream_login_free_failures), then lockouts of 1 s, 2 s, 4 s ...: a
  // later try lands inside one, however slow this machine is.
  bool backed_off = false;
  for (int i = 0; i < 12 && !backed_off; ++i) {
    auto r = station_ack(vigild, alert, "lee", "9999");
    EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
    backed_off = r.err.find("too many wrong PINs for lee") != std::string::npos;
    if (!backed_off) {
      EXPECT_NE(r.err.find("wrong PIN for lee"), std::string::npos) << r.err;
    }
  }
  EXPECT_TRUE(backed_off);
  for (const auto& a : export_alerts(dir.file("v.db"), "CHAIR3"))
    EXPECT_NE(a.transition(), "acknowledged") << describe(a);
}

}  // namespace
}  // namespace vigil::test
