// What may name a chair, whichever way the name arrives (HL7, config, flags, requests).
#include "daemon/chair_name.hpp"

#include <gtest/gtest.h>

#include <string>

#include "daemon/log_output.hpp"

namespace vigil::daemon {
namespace {

TEST(ChairName, OrdinaryNamesPass) {
  EXPECT_FALSE(chair_name_problem("CHAIR1"));
  EXPECT_FALSE(chair_name_problem("3 WEST/3001/1"));
  EXPECT_FALSE(chair_name_problem("Fauteuil \xC3\xA9t\xC3\xA9"));
  EXPECT_FALSE(chair_name_problem(std::string(256, 'C')));
}

TEST(ChairName, RefusesWhatWouldMisleadOrRewriteAScreen) {
  EXPECT_EQ(chair_name_problem("").value_or(""), "chair name is empty");
  EXPECT_EQ(chair_name_problem(std::string(257, 'C')).value_or(""),
            "chair name of 257 bytes is over the limit of 256");
  EXPECT_EQ(chair_name_problem("C\x1b[2J").value_or(""),
            "chair name contains the control byte 0x1B at byte 2");
  EXPECT_EQ(chair_name_problem("C1\n").value_or(""), "chair name contains the control byte 0x0A at byte 3");
  EXPECT_EQ(chair_name_problem("C\x7f").value_or(""), "chair name contains the control byte 0x7F at byte 2");
  EXPECT_EQ(chair_name_problem(" C1").value_or(""), "chair name begins or ends with a space");
  EXPECT_EQ(chair_name_problem("C1 ").value_or(""), "chair name begins or ends with a space");
  EXPECT_EQ(chair_name_problem("C\xC3").value_or(""), "chair name is not valid UTF-8");
}

// Names that show as another chair's: "C1" with a no-break space, a zero-width space or a
// byte order mark around it, a C1 control (U+009B is a terminal's CSI), a bidi override.
TEST(ChairName, RefusesWhatLooksLikeAnotherChair) {
  EXPECT_EQ(chair_name_problem("\xC2\xA0"
                               "C1\xC2\xA0")
                .value_or(""),
            "chair name begins or ends with a space");
  EXPECT_EQ(chair_name_problem("C1\xE2\x80\x8B").value_or(""),
            "chair name contains the invisible or control character U+200B at byte 3");
  EXPECT_EQ(chair_name_problem("\xEF\xBB\xBF"
                               "C1")
                .value_or(""),
            "chair name contains the invisible or control character U+FEFF at byte 1");
  EXPECT_EQ(chair_name_problem("CS\xC2\x9B"
                               "2J")
                .value_or(""),
            "chair name contains the invisible or control character U+009B at byte 3");
  EXPECT_EQ(chair_name_problem("\xE2\x80\xAE"
                               "1C")
                .value_or(""),
            "chair name contains the invisible or control character U+202E at byte 1");
  EXPECT_FALSE(
      chair_name_problem("CHAIR\xC2\xA0"
                         "1"))
      << "a no-break space inside is text";
  EXPECT_FALSE(chair_name_problem("\xE5\xBA\xA7\xE5\xB8\xAD 3")) << "CJK";
}

TEST(LogText, ControlBytesCannotClearATerminalOrForgeALine) {
  std::string line;
  append_log_text(line, "from 'C\x1b[2J': x\n2026-12-07 critical forged\x7f");
  EXPECT_EQ(line, "from 'C\\x1B[2J': x\\x0A2026-12-07 critical forged\\x7F");
  line.clear();
  append_log_text(line, "CHAIR \xC3\xA9");  // UTF-8 is text, not control bytes
  EXPECT_EQ(line, "CHAIR \xC3\xA9");
}

}  // namespace
}  // namespace vigil::daemon
