#include "hl7/escaping.hpp"

#include <gtest/gtest.h>

#include "hl7_samples.hpp"

namespace vigil::hl7 {
namespace {

using testing::kStd;

TEST(Unescape, DelimiterSequences) {
  EXPECT_EQ(unescape("a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f", kStd), "a|b^c&d~e\\f");
}

TEST(Unescape, HexAndLineBreak) {
  EXPECT_EQ(unescape("\\X4142\\", kStd), "AB");
  EXPECT_EQ(unescape("x\\X0D0A\\y", kStd), "x\r\ny");
  EXPECT_EQ(unescape("line1\\.br\\line2", kStd), "line1\nline2");
}

TEST(Unescape, UnknownAndMalformedPassUnchanged) {
  EXPECT_EQ(unescape("\\Q\\", kStd), "\\Q\\");
  EXPECT_EQ(unescape("\\X4\\", kStd), "\\X4\\");    // odd hex digits
  EXPECT_EQ(unescape("\\XZZ\\", kStd), "\\XZZ\\");  // not hex
  EXPECT_EQ(unescape("tail\\F", kStd), "tail\\F");  // unterminated
  EXPECT_EQ(unescape("\\", kStd), "\\");
  EXPECT_EQ(unescape("\\Q\\F\\", kStd), "\\Q|");  // unknown, then a valid one
}

TEST(Unescape, NoEscapeCharIsACopy) {
  EXPECT_FALSE(needs_unescape("120", kStd));
  EXPECT_TRUE(needs_unescape("1\\F\\", kStd));
  EXPECT_EQ(unescape("plain", kStd), "plain");
}

TEST(Unescape, CustomDelimiters) {
  Delimiters d;
  d.field = '#';
  d.component = '@';
  d.repetition = '*';
  d.escape = '$';
  d.subcomponent = '%';
  EXPECT_EQ(unescape("a$F$b$S$c$E$", d), "a#b@c$");
  EXPECT_EQ(unescape("a\\F\\", d), "a\\F\\");  // backslash is ordinary here
}

TEST(Escape, RoundTrips) {
  const std::string text = "a|b^c&d~e\\f\rg\nh";
  const std::string escaped = escape(text, kStd);
  EXPECT_EQ(escaped.find_first_of("|^&~\r\n"), std::string::npos);
  EXPECT_EQ(unescape(escaped, kStd), text);
}

TEST(Escape, WithoutEscapeCharBlanksDelimiters) {
  Delimiters d;
  d.escape = d.field;
  d.subcomponent = d.field;
  EXPECT_EQ(escape("a|b^c\rd", d), "a b c d");
}

}  // namespace
}  // namespace vigil::hl7
