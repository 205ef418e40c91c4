// A NIBP result sent again, end to end: many monitors and gateways send their last NIBP
// result, with its own time (OBX-14), in every message until the next cuff. That is one
// measurement: it must not confirm its own P2 crossing as a repeat reading, nor be stored
// twice, while the rest of each message is stored as usual. An *older* result sent again is
// history: stored, never judged or current.
#include <gtest/gtest.h>

#include "support/alert_lines.hpp"
#include "support/child_process.hpp"
#include "support/session_driver.hpp"
#include "support/vigild_fixture.hpp"

namespace vigil::test {
namespace {

TEST(NibpResendE2e, ANibpResultSentAgainIsNeitherARepeatReadingNorStoredTwice) {
  TempDir dir;
  const std::string db = dir.file("vigil.db");
  Vigild vigild(db);
  ChairDriver chair(vigild, "CHAIR6");
  ASSERT_EQ(chair.begin_and_start(150, 90), "");
  ASSERT_EQ(chair.nibp(10, 184, 100), "");  // over P2: an advisory until a repeat agrees
  for (int i = 0; i < 3; ++i) ASSERT_EQ(chair.nibp(10, 184, 100), "") << "resend " << i;
  EXPECT_EQ(vigild.stop(), 0);
  std::string error;
  const auto log = export_alerts(db, "CHAIR6", &error);
  ASSERT_EQ(error, "");
  for (const auto& a : log)
    EXPECT_FALSE(a.rule() == "P2" && a.kind() == "physiological") << "confirmed by its own resend\n"
                                                                  << describe(log);
  ASSERT_TRUE(first_transition(log, "P2", "raised")) << describe(log);
  const auto readings = export_readings(db, "CHAIR6", &error);
  ASSERT_EQ(error, "");
  int stored = 0;
  for (const auto& r : readings) stored += r.kind() == "NIBP_SYS" && r.value() == 184;
  EXPECT_EQ(stored, 1);
  int heart_rates = 0;
  for (const auto& r : readings) heart_rates += r.kind() == "HR";
  EXPECT_EQ(heart_rates, 6) << "the rest of each message is stored";  // 2 baseline + 4 messages
}

// An older result sent again, minutes after newer ones (a gateway replaying its backlog): it is
// stored, but it neither raises an alarm nor becomes the chair's current BP on any face; being
// severe, it asks for a repeat (T5 LOW).
TEST(NibpResendE2e, AnOlderResultSentAgainIsStoredButNeitherJudgedNorCurrent) {
  TempDir dir;
  const std::string db = dir.file("vigil.db");
  Vigild vigild(db);
  ChairDriver chair(vigild, "CHAIR7");
  ASSERT_EQ(chair.begin_and_start(130, 84), "");
  ASSERT_EQ(chair.nibp(10, 134, 86), "");
  ASSERT_EQ(chair.nibp(15, 136, 86), "");
  ASSERT_EQ(chair.nibp(2, 212, 126), "") << "stored: answered AA";
  const auto board = run_command({bin("vigilctl"), "board", "--once", "--connect", vigild.stream.str()}, 30s);
  ASSERT_EQ(board.exit_code, 0) << board.err;
  EXPECT_NE(board.out.find("136/86"), std::string::npos) << board.out;
  // Not the chair's BP: 212 may appear only in T5's text, which asks for a repeat.
  const std::size_t row = board.out.find("CHAIR7 ");
  ASSERT_NE(row, std::string::npos) << board.out;
  const std::size_t t5 = board.out.find(" T5 ", row);
  EXPECT_EQ(board.out.substr(row, t5 == std::string::npos ? std::string::npos : t5 - row).find("212"),
            std::string::npos)
      << board.out;
  EXPECT_EQ(vigild.stop(), 0);
  std::string error;
  const auto log = export_alerts(db, "CHAIR7", &error);
  ASSERT_EQ(error, "");
  for (const auto& a : log) EXPECT_NE(a.rule(), "P1") << describe(log);
  // Never judged before and severe: never silence either (it may be a current result from a
  // monitor whose clock was set back): one LOW T5 asking for a repeat, nothing louder.
  for (const auto& a : log) {
    if (a.rule() != "T5") continue;
    EXPECT_EQ(a.priority(), "LOW") << describe(log);
    EXPECT_NE(a.message().find("not taken as current"), std::string::npos) << describe(log);
  }
  int stored = 0;
  for (const auto& r : export_readings(db, "CHAIR7", &error)) {
    if (r.kind() != "NIBP_SYS" || r.value() != 212) continue;
    ++stored;
    EXPECT_TRUE(r.has_verified() && !r.verified().value()) << "kept, marked as not used by any rule";
    EXPECT_TRUE(r.has_late() && r.late().value()) << "kept as late, not merely unverified";
  }
  EXPECT_EQ(stored, 1);
}

}  // namespace
}  // namespace vigil::test
