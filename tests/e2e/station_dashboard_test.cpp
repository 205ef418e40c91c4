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
  ChildProcess dash({bin("vigil-dashboard"), "--connect", vigild.stream.str(), "--identify", "pin",
                     "--chair-order-file", "", "--test-ack-top-after-ms", "300", "--test-pick-user", "lee",
                     "--test-pick-pin", "4711"},
                    {"VIGIL_TOKEN=" + kStationToken});
  auto nurses = dash.wait_for_line([](auto& l) { return l.rfind("nurses ", 0) == 0; }, 30s);
  ASSERT_TRUE(nurses) << dash.stderr_text();
  EXPECT_EQ(*nurses, "nurses lee kim (PIN)");
  ASSERT_TRUE(dash.wait_for_line([](auto& l) { return l == "data valid"; }, 30s)) << dash.stderr_text();
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
