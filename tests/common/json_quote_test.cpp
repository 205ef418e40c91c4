#include "common/json_lines.hpp"

#include <gtest/gtest.h>

#include <string>

namespace vigil {
namespace {

TEST(JsonQuote, EscapesQuotesBackslashesAndControlBytes) {
  EXPECT_EQ(json_quote("CHAIR 3"), R"("CHAIR 3")");
  EXPECT_EQ(json_quote(R"(a"b\c)"), R"("a\"b\\c")");
  // A device label with an ESC or a newline must not break the line or forge another.
  EXPECT_EQ(json_quote("HR\x1b[2J\n{\"type\":1}"), R"("HR\u001b[2J\u000a{\"type\":1}")");
  EXPECT_EQ(json_quote(std::string("a\0b", 3)), R"("a\u0000b")");
  EXPECT_EQ(json_quote("FAUTEUIL-\xc3\xa9"), "\"FAUTEUIL-\xc3\xa9\"");
}

}  // namespace
}  // namespace vigil
