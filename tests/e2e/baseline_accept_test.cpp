// `vigilctl session baseline --accept`: the prescriber releases the P9 gate with the
// measured baseline, without retyping it; the action goes through the stream request like
// --override and is logged with the user.
#include <gtest/gtest.h>

#include <algorithm>

#include "support/alert_lines.hpp"
#include "support/child_process.hpp"
#include "support/session_driver.hpp"
#include "support/vigild_fixture.hpp"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;

TEST(BaselineAcceptE2e, AcceptTheMeasuredBaselineReleasesTheGate) {
  TempDir dir;
  const std::string db = dir.file("vigil.db");
  Vigild vigild(db);
  ChairDriver chair(vigild, "CHAIR7");
  auto begin = chair.nurse({"session", "begin", "--patient", "PT-0047", "--planned-minutes", "40"});
  ASSERT_EQ(begin.exit_code, 0) << begin.err;
  ASSERT_EQ(chair.nibp(0, 170, 102), "");
  ASSERT_EQ(chair.nibp(5, 168, 100), "");
  ASSERT_NE(chair.nurse({"session", "start"}).exit_code, 0) << "infusion started over a P9 gate";

  auto both = chair.nurse({"session", "baseline", "--accept", "--override", "150/95"}, "dr_jones");
  EXPECT_EQ(both.exit_code, 2) << "--accept and --override together must be refused";
  auto accept = chair.nurse({"session", "baseline", "--accept"}, "dr_jones");
  ASSERT_EQ(accept.exit_code, 0) << accept.out << accept.err;
  auto start = chair.nurse({"session", "start"});
  ASSERT_EQ(start.exit_code, 0) << start.out << start.err;

  const auto log = export_alerts(db, "CHAIR7");
  const bool resolved = std::any_of(log.begin(), log.end(), [](const proto::AlertLine& a) {
    return a.rule() == "P9" && a.transition() == "resolved";
  });
  EXPECT_TRUE(resolved) << describe(log);
  auto timeline = run_command({bin("vigilctl"), "timeline", "--db", db, "--bed", "CHAIR7"}, 30s);
  ASSERT_EQ(timeline.exit_code, 0) << timeline.err;
  EXPECT_NE(timeline.out.find("dr_jones"), std::string::npos) << timeline.out;
  EXPECT_NE(timeline.out.find("169/101"), std::string::npos) << timeline.out;
  EXPECT_EQ(vigild.stop(), 0) << "vigild did not exit cleanly";

  // The stored session replays through the engine: its readings, the accept and the start.
  auto replayed = run_command({bin("vigilctl"), "replay", "--db", db, "--format", "json"}, 30s);
  ASSERT_EQ(replayed.exit_code, 0) << replayed.err;
  EXPECT_NE(replayed.out.find("\"sessions\":1"), std::string::npos) << replayed.out;
  EXPECT_NE(replayed.out.find("\"MEDIUM P9\":1"), std::string::npos) << replayed.out;
}

}  // namespace
}  // namespace vigil::test
