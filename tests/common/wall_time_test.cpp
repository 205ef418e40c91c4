#include "common/wall_time.hpp"

#include <gtest/gtest.h>

#include <cstdint>

namespace vigil {
namespace {

// 2026-11-21T10:15:00Z; every other time here is derived from it, never from the clock.
constexpr WallMillis kT = 1'795'256'100'000;

TEST(ParseTimeArg, AcceptsTheDocumentedForms) {
  EXPECT_EQ(parse_time_arg("2026-11-21T10:15:00Z"), kT);
  EXPECT_EQ(parse_time_arg("2026-11-21t10:15:00z"), kT);
  EXPECT_EQ(parse_time_arg("2026-11-21 10:15:00"), kT) << "no zone: UTC";
  EXPECT_EQ(parse_time_arg("2026-11-21T10:15"), kT) << "seconds may be left out";
  EXPECT_EQ(parse_time_arg("2026-11-21T11:15:00.250+01:00"), kT + 250);
  EXPECT_EQ(parse_time_arg("2026-11-21T05:15:00-0500"), kT);
  EXPECT_EQ(parse_time_arg("2026-11-21T10:15:00.1234567Z"), kT + 123) << "digits past ms are cut";
  EXPECT_EQ(parse_time_arg("2026-11-21"), kT - (10 * 60 + 15) * 60'000);
  EXPECT_EQ(parse_time_arg(std::to_string(kT)), kT);
}

TEST(ParseTimeArg, RoundTripsWhatVigilctlPrints) {
  for (const WallMillis t : {kT, kT + 1, kT + 999, kT - WallMillis{86'400'000} * 365, WallMillis{0}}) {
    EXPECT_EQ(parse_time_arg(format_rfc3339(t)), t) << format_rfc3339(t);
  }
}

TEST(ParseTimeArg, RefusesWhatIsNotATime) {
  for (const char* bad :
       {"", "yesterday", "2026-13-01", "2026-02-30", "2026-11-21T24:00:00Z", "2026-11-21T10:60Z",
        "2026-11-21T10:15:00.Z", "2026-11-21T10:15:00+01", "2026-11-21T10:15:00+24:00",
        "2026-11-21T10:15:00+01:60", "2026-11-21T10:15:00Z junk", "2026/11/21", "99999999999999999999999",
        "-1795256100000", "1e12"}) {
    EXPECT_FALSE(parse_time_arg(bad).has_value()) << "'" << bad << "'";
  }
}

// What a nurse or a script may type around a valid time: no trimming, no guessing.
TEST(ParseTimeArg, RefusesSpacesShortNumbersAndDaysThatDoNotExist) {
  for (const char* bad :
       {" 2026-11-21", "2026-11-21 ", "2026-11-21T10:15:00Z\n", "12345678", "2026", "2026-11", "2026-02-29",
        "2026-11-31", "2026-00-10", "2026-11-00", "2026-11-21T1:15", "2026-11-21T10:15:00.250+01:00:00"}) {
    EXPECT_FALSE(parse_time_arg(bad).has_value()) << "'" << bad << "'";
  }
  EXPECT_TRUE(parse_time_arg("2028-02-29").has_value()) << "a leap day exists";
  EXPECT_EQ(parse_time_arg("123456789"), WallMillis{123'456'789}) << "nine digits or more: epoch ms";
}

TEST(FormatRfc3339, ClampsYearsOutsideFourDigits) {
  EXPECT_EQ(format_rfc3339(kT), "2026-11-21T10:15:00Z");
  EXPECT_EQ(format_rfc3339(kT + 5), "2026-11-21T10:15:00.005Z");
  EXPECT_EQ(format_rfc3339(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(format_rfc3339(INT64_MAX), "9999-12-31T23:59:59.999Z");
  EXPECT_EQ(format_rfc3339(INT64_MIN), "0000-01-01T00:00:00Z");
}

}  // namespace
}  // namespace vigil
