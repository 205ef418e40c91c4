// The one UTF-8 check every layer uses (devices/text/utf8.hpp).
#include "text/utf8.hpp"

#include <gtest/gtest.h>

#include <string>

namespace vigil {
namespace {

const std::string kFffd(kReplacementCharacter);

TEST(Utf8, AsciiAndWellFormedTextIsValid) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("FAUTEUIL-3 with a long ASCII run past eight bytes"));
  EXPECT_TRUE(is_valid_utf8("FAUTEUIL-\xC3\xA9"));         // é
  EXPECT_TRUE(is_valid_utf8("\xE2\x82\xAC 12"));           // €
  EXPECT_TRUE(is_valid_utf8("\xF0\x9F\x92\x89"));          // U+1F489
  EXPECT_TRUE(is_valid_utf8("\xED\x9F\xBF\xEE\x80\x80"));  // U+D7FF, U+E000
  EXPECT_TRUE(is_valid_utf8("\xF4\x8F\xBF\xBF"));          // U+10FFFF
  EXPECT_TRUE(is_valid_utf8(std::string("a\0b", 3)));      // NUL is a character
}

TEST(Utf8, MalformedSequencesAreInvalid) {
  for (const char* bad : {"FAUTEUIL-\xE9", "\x80", "\xBF", "\xC0\xAF", "\xC1\x81", "\xE0\x80\xAF",
                          "\xED\xA0\x80", "\xF0\x80\x80\xAF", "\xF4\x90\x80\x80", "\xF5\x80\x80\x80", "\xFF",
                          "\xC3", "\xE2\x82", "abcdefgh\xE9"}) {
    EXPECT_FALSE(is_valid_utf8(bad)) << bad;
  }
}

TEST(Utf8, EachMaximalInvalidSubpartBecomesOneReplacement) {
  std::size_t n = 0;
  EXPECT_EQ(to_valid_utf8("FAUTEUIL-\xE9", &n), "FAUTEUIL-" + kFffd);
  EXPECT_EQ(n, 1u);
  // A truncated three-byte sequence is one subpart; the next byte starts afresh.
  EXPECT_EQ(to_valid_utf8("\xE2\x82"
                          "A",
                          &n),
            kFffd + "A");
  EXPECT_EQ(n, 1u);
  // Overlong and surrogate leads: every byte is its own subpart.
  EXPECT_EQ(to_valid_utf8("\xC0\xAF", &n), kFffd + kFffd);
  EXPECT_EQ(n, 2u);
  EXPECT_EQ(to_valid_utf8("\xED\xA0\x80", &n), kFffd + kFffd + kFffd);
  EXPECT_EQ(n, 3u);
  EXPECT_EQ(to_valid_utf8("ok \xC3\xA9", &n), "ok \xC3\xA9");
  EXPECT_EQ(n, 0u);
}

TEST(Utf8, RepairedTextIsAlwaysValid) {
  // Every two-byte string after a prefix that crosses the eight-byte fast path.
  for (int a = 0; a < 256; ++a) {
    for (int b = 0; b < 256; b += 3) {
      std::string s = "0123456";
      s.push_back(static_cast<char>(a));
      s.push_back(static_cast<char>(b));
      std::string fixed = s;
      const std::size_t n = make_valid_utf8(fixed);
      ASSERT_TRUE(is_valid_utf8(fixed)) << a << " " << b;
      ASSERT_EQ(n == 0, is_valid_utf8(s)) << a << " " << b;
      ASSERT_EQ(n == 0, fixed == s);
    }
  }
}

}  // namespace
}  // namespace vigil
