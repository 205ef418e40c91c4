// `vigilctl readings` end to end in-process: run_readings against a real database, with
// stdout and stderr captured.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>
#include <sstream>

#include "captured_run.hpp"
#include "ctl/commands.hpp"
#include "store/store.hpp"
#include "store/store_test_support.hpp"

namespace vigil::ctl {
namespace {

using store::testing::make_reading;
using store::testing::TempDir;
using testing::capture;
using testing::Captured;
using ::testing::HasSubstr;
using testing::lines;

Captured run(const ReadingsArgs& args) {
  return capture([&] { return run_readings(args); });
}

class ReadingsCommand : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.file("vigil.db");
    store::Store s({path_});
    store::WriteBatch b;
    b.readings = {make_reading("BED2", VitalKind::HeartRate, 90, 1'763'720'160'000),
                  make_reading("BED1", VitalKind::SpO2, 97, 1'763'720'100'000),
                  make_reading("BED1", VitalKind::HeartRate, 72, 1'763'720'220'000)};
    ASSERT_TRUE(s.submit(b, nullptr));
  }
  TempDir dir_;
  std::string path_;
};

TEST_F(ReadingsCommand, JsonlInMeasuredOrder) {
  ReadingsArgs args;
  args.db = path_;
  Captured c = run(args);
  EXPECT_EQ(c.code, 0) << c.err;
  EXPECT_EQ(c.err, "");
  auto out = lines(c.out);
  ASSERT_EQ(out.size(), 3u);
  EXPECT_THAT(out[0], HasSubstr(R"("bed":"BED1","kind":"SPO2")"));
  EXPECT_THAT(out[1], HasSubstr(R"("bed":"BED2","kind":"HR")"));
  EXPECT_THAT(out[2], HasSubstr(R"("bed":"BED1","kind":"HR")"));
  EXPECT_THAT(out[0], ::testing::StartsWith(R"({"type":"reading",)"));
}

TEST_F(ReadingsCommand, CsvWithBedAndSince) {
  ReadingsArgs args;
  args.db = path_;
  args.format = "csv";
  args.bed = "BED1";
  args.since = "2025-11-21T10:16:00Z";
  Captured c = run(args);
  EXPECT_EQ(c.code, 0) << c.err;
  auto out = lines(c.out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(
      out[0],
      "id,bed,kind,value,unit,measured_at,received_at,source,valid,status,verified,phase,late,withdrawn");
  EXPECT_THAT(out[1], HasSubstr(",BED1,HR,72,/min,2025-11-21T10:17:00Z,"));
}

TEST_F(ReadingsCommand, CsvWithNoMatchesPrintsOnlyTheHeader) {
  ReadingsArgs args;
  args.db = path_;
  args.format = "csv";
  args.bed = "NOBODY";
  Captured c = run(args);
  EXPECT_EQ(c.code, 0);
  EXPECT_EQ(
      c.out,
      "id,bed,kind,value,unit,measured_at,received_at,source,valid,status,verified,phase,late,withdrawn\n");
}

TEST_F(ReadingsCommand, BadSinceExitsTwoWithOneLine) {
  ReadingsArgs args;
  args.db = path_;
  args.since = "yesterday";
  Captured c = run(args);
  EXPECT_EQ(c.code, 2);
  EXPECT_EQ(c.out, "");
  EXPECT_THAT(c.err, ::testing::StartsWith("vigilctl: bad --since 'yesterday'"));
  EXPECT_EQ(lines(c.err).size(), 1u);
}

TEST_F(ReadingsCommand, MissingDatabaseExitsOneWithoutCreatingIt) {
  ReadingsArgs args;
  args.db = dir_.file("elsewhere.db");
  args.format = "csv";
  Captured c = run(args);
  EXPECT_EQ(c.code, 1);
  EXPECT_EQ(c.out, "");  // not even the CSV header
  EXPECT_EQ(c.err, "vigilctl: cannot read database " + args.db +
                       ": No such file or directory (is vigild's --db path right?)\n");
  EXPECT_FALSE(std::filesystem::exists(args.db));
}

}  // namespace
}  // namespace vigil::ctl
