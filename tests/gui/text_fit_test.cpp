// The text fitting rule with a fake font (every character 10 px wide at 20 px, scaling with
// the size): one line when it fits, abbreviations by rule, wrapping at spaces, smaller
// sizes, and never a word cut in the middle.
#include "layout/text_fit.hpp"

#include <gtest/gtest.h>

namespace vigil::dashboard::layout {
namespace {

float mono(float px, std::string_view text) { return static_cast<float>(text.size()) * px * 0.5f; }

FitRequest request(float max_px, float min_px, int lines) {
  FitRequest r;
  r.max_px = max_px;
  r.min_px = min_px;
  r.max_lines = lines;
  return r;
}

// Every word of `text` appears whole in some line (no word split between lines).
void expect_whole_words(const std::string& text, const TextBlock& b) {
  std::string joined;
  for (const auto& l : b.lines) joined += (joined.empty() ? "" : " ") + l;
  EXPECT_EQ(joined, text);
}

TEST(TextFit, OneLineAtTheLargestSizeWhenItFits) {
  const auto b = fit_text(mono, "HIGH SBP 214", Rect{0, 0, 200, 40}, request(20, 10, 2));
  ASSERT_EQ(b.lines.size(), 1u);
  EXPECT_EQ(b.px, 20);
  EXPECT_TRUE(b.fits);
  EXPECT_LE(b.width, 200);
}

TEST(TextFit, WrapsAtSpacesBeforeShrinking) {
  // 20 characters = 200 px at 20 px: two lines of 100 px.
  const auto b = fit_text(mono, "HIGH  SBP 214 >= 200", Rect{0, 0, 120, 40}, request(20, 10, 2));
  EXPECT_EQ(b.px, 20);
  ASSERT_EQ(b.lines.size(), 2u);
  for (const auto& l : b.lines) EXPECT_LE(mono(b.px, l), 120);
  expect_whole_words("HIGH SBP 214 >= 200", b);
}

TEST(TextFit, AbbreviatesByRuleBeforeWrapping) {
  FitRequest r = request(20, 10, 2);
  r.abbreviations = {{"min", "m"}, {"INFUSION", "INF"}};
  // "INFUSION 0:02 / 40 min" is 22 chars = 220 px; "INF 0:02 / 40 m" is 15 = 150 px.
  const auto b = fit_text(mono, "INFUSION 0:02 / 40 min", Rect{0, 0, 160, 20}, r);
  ASSERT_EQ(b.lines.size(), 1u);
  EXPECT_EQ(b.lines[0], "INF 0:02 / 40 m");
  EXPECT_EQ(b.px, 20);
}

TEST(TextFit, AbbreviationsReplaceWholeWordsOnly) {
  EXPECT_EQ(abbreviate("5 min, admin min", {{"min", "m"}}), "5 min, admin m");
  EXPECT_EQ(abbreviate("SBP/DIA (MAP) mmHg", {{"mmHg", ""}}), "SBP/DIA (MAP)");
}

TEST(TextFit, ShrinksWhenWrappingIsNotEnough) {
  // One line of 40 px height: no wrap possible; 24 chars need px <= 100/12 = 8.3: not
  // allowed (min 10), so 12 chars a line ... at 10 px each char is 5 px.
  const auto b = fit_text(mono, "NIBP measurement failed", Rect{0, 0, 100, 20}, request(20, 8, 2));
  EXPECT_TRUE(b.fits);
  EXPECT_LT(b.px, 20);
  for (const auto& l : b.lines) EXPECT_LE(mono(b.px, l), 100);
  EXPECT_LE(b.height(), 20);
  expect_whole_words("NIBP measurement failed", b);
}

TEST(TextFit, SplitsALongWordOnlyAtItsJoints) {
  const auto lines = wrap_words(mono, "SIM-CHAIR-0042", 20, 60);  // 6 chars a line
  ASSERT_GE(lines.size(), 2u);
  EXPECT_EQ(lines[0], "SIM-");
  std::string joined;
  for (const auto& l : lines) joined += l;
  EXPECT_EQ(joined, "SIM-CHAIR-0042");
}

TEST(TextFit, SaysSoWhenNothingFits) {
  const auto b = fit_text(mono, "Unbreakablewordthatistoolong", Rect{0, 0, 50, 20}, request(20, 12, 1));
  EXPECT_FALSE(b.fits);
  ASSERT_EQ(b.lines.size(), 1u);
  EXPECT_EQ(b.lines[0], "Unbreakablewordthatistoolong");  // whole, not cut
}

TEST(TextFit, ShorterFormsAreTriedWhole) {
  FitRequest r = request(20, 20, 1);
  r.shorter = {"(93)  12 s", "(93)"};
  const auto b = fit_text(mono, "(93)  base 120/80  12 s", Rect{0, 0, 110, 20}, r);
  ASSERT_EQ(b.lines.size(), 1u);
  EXPECT_EQ(b.lines[0], "(93)  12 s");
}

TEST(TextFit, EmptyTextFitsAndDrawsNothing) {
  const auto b = fit_text(mono, "", Rect{0, 0, 10, 10}, request(20, 10, 1));
  EXPECT_TRUE(b.fits);
  EXPECT_TRUE(b.lines.empty());
}

}  // namespace
}  // namespace vigil::dashboard::layout
