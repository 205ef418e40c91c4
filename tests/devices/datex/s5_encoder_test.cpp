// Requests must match GE's published frames byte for byte (protocols.md section 2).
#include <gtest/gtest.h>

#include <cmath>

#include "datex/s5_encoder.hpp"
#include "s5_test_support.hpp"

namespace vigil::datex {
namespace {

using test::from_hex;

// The header every GE request vector shares: r_len 49, sr_desc[1].sr_type 0xFF.
constexpr std::string_view kRequestHeaderHex =
    "31 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 ff 00 00 00 00 00 00 00 00 "
    "00 00 00 00 00 00 00 00 00 00";

TEST(S5Encoder, DisplayedValuesEvery10sMatchesGeVector) {
  const std::string expected = from_hex(
      "7e 31 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 ff 00 00 00 00 00 00 00 "
      "00 00 00 00 00 00 00 00 00 00 00 01 0a 00 0e 00 00 00 00 00 49 7e");
  EXPECT_EQ(encode_start_displayed(10), expected);
}

TEST(S5Encoder, StopDisplayedValuesMatchesGeVector) {
  const std::string expected =
      from_hex("7e") + from_hex(kRequestHeaderHex) + from_hex("01 00 00 00 00 00 00 00 00 31 7e");
  EXPECT_EQ(encode_stop_displayed(), expected);
}

TEST(S5Encoder, SixtySecondTrendStuffsChecksum7D) {
  // The checksum is 0x7D, so it must go out as 7D 5D.
  const std::string expected =
      from_hex("7e") + from_hex(kRequestHeaderHex) + from_hex("03 3c 00 0e 00 00 00 00 00 7d 5d 7e");
  EXPECT_EQ(encode_trend_request(PhdbRecordType::Trend60s, 60), expected);
  EXPECT_EQ(checksum(encode_request_record(PhdbRecordType::Trend60s, 60, kAllExtendedClasses)), 0x7D);
}

TEST(S5Encoder, StuffsFlagAndEscapeBytesInRecord) {
  const std::string framed = encode_frame(std::string("\x7e\x7d\x01", 3));
  // sum 0x7e + 0x7d + 0x01 = 0xfc
  EXPECT_EQ(framed, from_hex("7e 7d 5e 7d 5d 01 fc 7e"));
}

TEST(S5Encoder, RecordHeaderListsSubrecordsAndLength) {
  const SubrecordBytes subs[] = {{1, std::string(10, 'a')}, {4, std::string(4, 'b')}};
  RecordHeaderFields h;
  h.r_time = 0x01020304;
  const std::string r = encode_record(h, subs);
  ASSERT_EQ(r.size(), 40u + 14u);
  EXPECT_EQ(static_cast<std::uint8_t>(r[0]), 54);
  EXPECT_EQ(r.substr(6, 4), from_hex("04 03 02 01"));
  EXPECT_EQ(r.substr(16, 9), from_hex("00 00 01 0a 00 04 00 00 ff"));
}

TEST(S5Encoder, RefusesOversizedRecords) {
  const std::vector<SubrecordBytes> too_many(9, SubrecordBytes{1, "x"});
  EXPECT_TRUE(encode_record({}, too_many).empty());
  const SubrecordBytes too_big{1, std::string(kMaxDataSize + 1, 'x')};
  EXPECT_TRUE(encode_record({}, std::span(&too_big, 1)).empty());
  const SubrecordBytes just_fits{1, std::string(kMaxDataSize, 'x')};
  EXPECT_EQ(encode_record({}, std::span(&just_fits, 1)).size(), kMaxRecordSize);
}

TEST(S5Encoder, ToCentiRoundsAndNeverMakesASpecialValue) {
  EXPECT_EQ(to_centi(120.5), 12050);
  EXPECT_EQ(to_centi(36.6), 3660);
  EXPECT_EQ(to_centi(-0.25), -25);
  EXPECT_EQ(to_centi(1e9), 32767);
  EXPECT_EQ(to_centi(-1e9), -32000);
  EXPECT_GT(to_centi(std::nan("")), kSpecialLimit);
}

}  // namespace
}  // namespace vigil::datex
