// A NIBP result the monitor takes back (OBX-11 W, same OBX-14), end to end: the alarm it
// raised ends, no face shows it as the chair's pressure, and the record keeps both. And a
// result that comes without its SBP: stored unverified, T5 asks for the repeat.
#include <gtest/gtest.h>

#include <string>

#include "support/alert_lines.hpp"
#include "support/child_process.hpp"
#include "support/session_driver.hpp"
#include "support/vigild_fixture.hpp"

namespace vigil::test {
namespace {

TEST(WithdrawnValueE2e, AResultTheMonitorTakesBackEndsItsAlarmAndIsShownNowhere) {
  TempDir dir;
  const std::string db = dir.file("vigil.db");
  Vigild vigild(db);
  ChairDriver chair(vigild, "CHAIR8");
  ASSERT_EQ(chair.begin_and_start(150, 90), "");
  ASSERT_EQ(chair.nibp(10, 196, 122), "");  // DBP >= 120, within T5's jump limit: P1 at once
  ASSERT_EQ(chair.nibp(10, 196, 122, "W"), "") << "the withdrawal is stored: answered AA";
  const auto board = run_command({bin("vigilctl"), "board", "--once", "--connect", vigild.stream.str()}, 30s);
  ASSERT_EQ(board.exit_code, 0) << board.err;
  // The chair's values, up to its top alert (whose text names what was taken back).
  const std::size_t row = board.out.find("CHAIR8 ");
  ASSERT_NE(row, std::string::npos) << board.out;
  const std::size_t alert = board.out.find(" T5 ", row);
  ASSERT_NE(alert, std::string::npos) << "T5 asks for the repeat\n" << board.out;
  EXPECT_EQ(board.out.substr(row, alert - row).find("196"), std::string::npos) << board.out;
  EXPECT_NE(board.out.find("NIBP 196/122 withdrawn by the device", alert), std::string::npos) << board.out;
  EXPECT_EQ(vigild.stop(), 0);
  std::string error;
  const auto log = export_alerts(db, "CHAIR8", &error);
  ASSERT_EQ(error, "");
  ASSERT_TRUE(first_transition(log, "P1", "raised")) << describe(log);
  const auto resolved = first_transition(log, "P1", "resolved");
  ASSERT_TRUE(resolved) << describe(log);
  EXPECT_NE(resolved->message().find("withdrawn by the device"), std::string::npos) << describe(log);
  int sent = 0, withdrawn = 0;
  for (const auto& r : export_readings(db, "CHAIR8", &error)) {
    if (r.kind() != "NIBP_SYS" || r.value() != 196) continue;
    if (r.has_withdrawn() && r.withdrawn().value()) {
      ++withdrawn;
      EXPECT_FALSE(r.valid());
      EXPECT_EQ(r.status(), "W");
    } else {
      ++sent;
    }
  }
  EXPECT_EQ(sent, 1);
  EXPECT_EQ(withdrawn, 1);
}

// The monitor could not give the SBP (an empty OBX-5) but sent DBP 126 and MAP 140: before,
// the parts were stored verified, dropped unjudged by the rules, and nothing told the nurse.
TEST(WithdrawnValueE2e, AResultWithoutItsSystolicIsStoredUnverifiedAndAsksForARepeat) {
  TempDir dir;
  const std::string db = dir.file("vigil.db");
  Vigild vigild(db);
  ChairDriver chair(vigild, "CHAIR9");
  ASSERT_EQ(chair.begin_and_start(150, 90), "");
  NibpValues v;
  v.sys = 777;  // replaced by nothing below
  v.dia = 126;
  v.mean = 140;
  v.time = chair.time_at(10);
  std::string message = make_vitals_oru("CHAIR9", chair.next_control_id(), v, 72, 98);
  const std::size_t at = message.find("|777|");
  ASSERT_NE(at, std::string::npos) << message;
  message.replace(at, 5, "||");
  const std::string ack = chair.send(message);
  EXPECT_EQ(ack.find("AE"), std::string::npos) << ack;
  EXPECT_EQ(ack.find("AR"), std::string::npos) << ack;
  const auto board = run_command({bin("vigilctl"), "board", "--once", "--connect", vigild.stream.str()}, 30s);
  ASSERT_EQ(board.exit_code, 0) << board.err;
  EXPECT_NE(board.out.find("no SBP in the result (DBP 126)"), std::string::npos) << board.out;
  EXPECT_EQ(vigild.stop(), 0);
  std::string error;
  int dia = 0;
  for (const auto& r : export_readings(db, "CHAIR9", &error)) {
    if (r.kind() != "NIBP_DIA" || r.value() != 126) continue;
    ++dia;
    EXPECT_TRUE(r.has_verified() && !r.verified().value()) << "a DBP without its SBP was stored as verified";
  }
  EXPECT_EQ(error, "");
  EXPECT_EQ(dia, 1);
}

}  // namespace
}  // namespace vigil::test
