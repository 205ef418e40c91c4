// The hand-written fast paths against plain reference implementations, over many inputs:
// the block scans behind piece/split/Fields (every length around the 8- and 16-byte block
// edges), the integer fast path of parse_hl7_number (against from_chars) and the digit
// formatter of format_hl7_time (round trip through parse_hl7_time).

#include <gtest/gtest.h>

#include <algorithm>
#include <charconv>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "hl7/hl7_time.hpp"
#include "hl7/message.hpp"
#include "hl7/units.hpp"

namespace vigil::hl7 {
namespace {

// Reference: split on every separator, no limits.
std::vector<std::string_view> naive_split(std::string_view text, char sep) {
  std::vector<std::string_view> out;
  std::size_t begin = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == sep) {
      out.push_back(text.substr(begin, i - begin));
      begin = i + 1;
    }
  }
  return out;
}

// Random text of `len` bytes over a small alphabet rich in separators; every byte value
// shows up now and then so the SWAR and SSE masks meet high-bit bytes too.
std::string random_text(std::mt19937& rng, std::size_t len) {
  static constexpr char kAlphabet[] = "||^^~&\\ab1\r\x80\xff";
  std::string s(len, 'a');
  for (char& c : s) {
    const unsigned pick = std::uniform_int_distribution<unsigned>(0, 40)(rng);
    c = pick < sizeof kAlphabet - 1 ? kAlphabet[pick] : static_cast<char>(pick * 7);
  }
  return s;
}

TEST(FastPaths, PieceAndSplitMatchANaiveSplit) {
  std::mt19937 rng(1);
  for (std::size_t len = 0; len <= 70; ++len) {
    for (int round = 0; round < 40; ++round) {
      // Scan a view in the middle of a larger string, as the parser does.
      const std::string backing = random_text(rng, len + 40);
      const std::string_view text = std::string_view(backing).substr(20, len);
      for (char sep : {'|', '^', '~', '\x80'}) {
        const auto want = naive_split(text, sep);
        for (std::size_t n = 0; n <= want.size() + 1; ++n) {
          const std::string_view expected = n >= 1 && n <= want.size() ? want[n - 1] : std::string_view{};
          ASSERT_EQ(piece(text, sep, n), expected) << "len " << len << " n " << n;
        }
        for (std::size_t max : {std::size_t{1}, std::size_t{2}, std::size_t{5}, std::size_t{40}}) {
          std::vector<std::string_view> got(max, "sentinel");
          const std::size_t count = split(text, sep, got.data(), max);
          ASSERT_EQ(count, std::min(max, want.size())) << "len " << len;
          for (std::size_t i = 0; i < max; ++i) {
            ASSERT_EQ(got[i], i < count ? want[i] : std::string_view{}) << "len " << len << " i " << i;
          }
        }
      }
    }
  }
}

TEST(FastPaths, FieldsMatchSegmentFieldAtEveryLength) {
  std::mt19937 rng(2);
  for (std::size_t len = 0; len <= 90; ++len) {
    for (int round = 0; round < 30; ++round) {
      for (const char* name : {"OBX", "MSH"}) {
        const std::string text = name + ("|" + random_text(rng, len));
        const Segment s(text, '|');
        for (std::size_t max :
             {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{13}, Fields::kMaxFields}) {
          const Fields f(s, '|', max);
          for (std::size_t n = 0; n < Fields::kMaxFields + 2; ++n) {
            ASSERT_EQ(f[n], n < max ? s.field(n) : std::string_view{})
                << name << " len " << len << " max " << max << " n " << n;
          }
        }
      }
    }
  }
}

TEST(FastPaths, NumbersMatchFromChars) {
  std::mt19937 rng(3);
  for (int round = 0; round < 200000; ++round) {
    const std::size_t digits = std::uniform_int_distribution<std::size_t>(1, 19)(rng);
    std::string text;
    const unsigned sign = std::uniform_int_distribution<unsigned>(0, 2)(rng);
    if (sign == 1) text += '-';
    if (sign == 2) text += '+';
    const std::size_t point = std::uniform_int_distribution<std::size_t>(0, digits)(rng);
    for (std::size_t i = 0; i < digits; ++i) {
      if (i == point && round % 3) text += '.';
      text += static_cast<char>('0' + std::uniform_int_distribution<int>(0, 9)(rng));
    }
    const std::string_view body = text[0] == '+' ? std::string_view(text).substr(1) : text;
    double want = 0;
    ASSERT_EQ(std::from_chars(body.data(), body.data() + body.size(), want).ec, std::errc()) << text;
    const auto got = parse_hl7_number(text);
    ASSERT_TRUE(got.has_value()) << text;
    ASSERT_EQ(*got, want) << text;  // exactly: the fast path is correctly rounded
  }
}

TEST(FastPaths, FormattedTimesParseBack) {
  std::mt19937_64 rng(4);
  // 1900 .. 2200, offsets -12:00 .. +14:00 in quarter hours.
  const WallMillis lo = -2'208'988'800'000, hi = 7'258'118'400'000;
  for (int round = 0; round < 100000; ++round) {
    const WallMillis ms = std::uniform_int_distribution<WallMillis>(lo, hi)(rng);
    const int offset = 15 * std::uniform_int_distribution<int>(-48, 56)(rng);
    const std::string text = format_hl7_time(ms, offset);
    ASSERT_EQ(text.size(), 19u) << text;
    const WallMillis floor_s = (ms >= 0 ? ms / 1000 : (ms - 999) / 1000) * 1000;
    ASSERT_EQ(parse_hl7_time(text, 0), floor_s) << text << " offset " << offset;
  }
  // Outside four-digit years the general formatter takes over.
  EXPECT_EQ(format_hl7_time(-62'198'755'200'000), "-0010101000000+0000");  // 1 BC
}

}  // namespace
}  // namespace vigil::hl7
