// A dashboard that connects after a chair's readings were stored asks vigild for the chair's
// history and shows it ("history-loaded BED N" on stdout), instead of an empty record and
// trend (under Xvfb, like tests/gui).
#include <gtest/gtest.h>

#include <charconv>

#include "gui/xvfb_session.hpp"
#include "support/child_process.hpp"
#include "support/session_driver.hpp"
#include "support/vigild_fixture.hpp"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;

using HistoryDashboard = XvfbTest;

TEST_F(HistoryDashboard, ALateScreenLoadsTheSelectedChairsStoredReadings) {
  TempDir dir;
  Vigild vigild(dir.file("v.db"));
  ChairDriver chair(vigild, "CHAIR4");
  for (int minute : {0, 5, 10}) ASSERT_EQ(chair.nibp(minute, 130 + minute, 85), "");
  // The screen connects now: its snapshot holds only the minute-10 cuff.
  ChildProcess dash({bin("vigil-dashboard"), "--connect", vigild.stream.str(), "--user", "nurse1",
                     "--chair-order-file", ""});
  auto loaded =
      dash.wait_for_line([](const std::string& l) { return l.rfind("history-loaded CHAIR4 ", 0) == 0; }, 30s);
  ASSERT_TRUE(loaded) << dash.stderr_text();
  int readings = 0;
  const std::string n = loaded->substr(std::string("history-loaded CHAIR4 ").size());
  std::from_chars(n.data(), n.data() + n.size(), readings);
  // Three cuffs of SYS, DIA and MEAN, and the HR and SpO2 sent with them.
  EXPECT_GE(readings, 9) << *loaded;
}

}  // namespace
}  // namespace vigil::test
