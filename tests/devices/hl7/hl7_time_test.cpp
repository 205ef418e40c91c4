#include "hl7/hl7_time.hpp"

#include <gtest/gtest.h>

namespace vigil::hl7 {
namespace {

// 2009-08-13 09:57:15 +05:00 = 04:57:15 UTC.
constexpr WallMillis kIheObxTime = 1250139435000;

TEST(Hl7Time, FullWithOffset) {
  EXPECT_EQ(parse_hl7_time("20090813095715+0500", 0), kIheObxTime);
  EXPECT_EQ(parse_hl7_time("20090813045715+0000", 0), kIheObxTime);
  EXPECT_EQ(parse_hl7_time("20090812235715-0500", 0), kIheObxTime);
}

TEST(Hl7Time, DefaultOffsetAppliesOnlyWithoutOne) {
  EXPECT_EQ(parse_hl7_time("20090813095715", 300), kIheObxTime);
  EXPECT_EQ(parse_hl7_time("20090813045715", 0), kIheObxTime);
  EXPECT_EQ(parse_hl7_time("20090813045715+0000", 300), kIheObxTime);
}

TEST(Hl7Time, ReducedPrecisionAndFractions) {
  EXPECT_EQ(parse_hl7_time("1970", 0), 0);
  EXPECT_EQ(parse_hl7_time("197001", 0), 0);
  EXPECT_EQ(parse_hl7_time("19700102", 0), 86400000);
  EXPECT_EQ(parse_hl7_time("1970010201", 0), 86400000 + 3600000);
  EXPECT_EQ(parse_hl7_time("197001020102", 0), 86400000 + 3600000 + 120000);
  EXPECT_EQ(parse_hl7_time("19700101000001.5", 0), 1500);
  EXPECT_EQ(parse_hl7_time("19700101000001.25", 0), 1250);
  EXPECT_EQ(parse_hl7_time("19700101000001.1239", 0), 1123);
  EXPECT_EQ(parse_hl7_time("19700101000001.123+0100", 0), 1123 - 3600000);
  EXPECT_EQ(parse_hl7_time("1970-0100", 0), 3600000);  // year only, with offset
}

TEST(Hl7Time, RejectsMalformed) {
  for (const char* bad :
       {"", "20", "2009081", "20091301", "20090230", "20090813245715", "20090813096015", "20090813095760",
        "2009081309571", "20090813.5", "20090813095715.", "20090813095715.12345", "20090813095715+05",
        "20090813095715+2500", "20090813095715+0500x", "2009-08-13", "20090813095715Z"}) {
    EXPECT_FALSE(parse_hl7_time(bad, 0).has_value()) << bad;
  }
  EXPECT_TRUE(parse_hl7_time("20240229", 0).has_value());
  EXPECT_FALSE(parse_hl7_time("20230229", 0).has_value());
}

TEST(Hl7Time, FormatRoundTrips) {
  EXPECT_EQ(format_hl7_time(kIheObxTime), "20090813045715+0000");
  EXPECT_EQ(format_hl7_time(kIheObxTime, 300), "20090813095715+0500");
  EXPECT_EQ(format_hl7_time(kIheObxTime, -90), "20090813032715-0130");
  EXPECT_EQ(format_hl7_time(-1), "19691231235959+0000");
  EXPECT_EQ(parse_hl7_time(format_hl7_time(kIheObxTime, 300), 0), kIheObxTime);
}

}  // namespace
}  // namespace vigil::hl7
