// The dashboard on a shared screen (no --user, --identify pin): it asks who acknowledges,
// and vigild logs the nurse picked (under Xvfb, like tests/gui).
#include <gtest/gtest.h>

#include "e2e/station_users.hpp"
#include "gui/xvfb_session.hpp"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;

using StationDashboard = XvfbTest;

TEST_F(StationDashboard, TheDashboardAsksWhoAndVigildLogsTheNursePicked) {
  TempDir dir;
  Vigild vigild(dir.file("v.db"), {"--config", station_config(dir)});
  // No --user: a shared screen. --identify pin; the test hook answers the picker as lee.
  ChildProcess dash(
      {bin("vigil-dashboard"), "--connect", vigild.stream.str(), "--identify", "pin", "--chair-order-file",
       "", "--test-ack-top-after-ms", "300", "--test-pick-user", "lee", "--test-pick-pin", "4711"},
      {"VIGIL_TOKEN=" + kStationToken});
  // Both lines come once, in either order (the hello, then the snapshot, may land in one frame).
  std::string nurses;
  bool valid = false;
  while (nurses.empty() || !valid) {
    auto line = dash.wait_for_line(
        [](const std::string& l) { return l.rfind("nurses ", 0) == 0 || l == "data valid"; }, 30s);
    ASSERT_TRUE(line) << dash.stderr_text();
    if (*line == "data valid")
      valid = true;
    else
      nurses = *line;
  }
  EXPECT_EQ(nurses, "nurses lee kim (PIN)");
  ASSERT_FALSE(raise_p1(vigild, dir.file("v.db"), "CHAIR3").empty());
  auto shown = dash.wait_for_line([](auto& l) { return l.rfind("acknowledged-shown CHAIR3", 0) == 0; }, 30s);
  ASSERT_TRUE(shown) << dash.stderr_text();
  EXPECT_NE(shown->find(" by lee"), std::string::npos) << *shown;
  bool acked = false;
  for (const auto& a : export_alerts(dir.file("v.db"), "CHAIR3"))
    if (a.transition() == "acknowledged") acked = a.acknowledged_by() == "lee";
  EXPECT_TRUE(acked) << describe(export_alerts(dir.file("v.db"), "CHAIR3"));
}

}  // namespace
}  // namespace vigil::test
