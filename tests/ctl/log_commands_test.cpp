// `vigilctl alerts` and `vigilctl timeline` end to end in-process: run_alerts/run_timeline
// against a real database, with stdout and stderr captured.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>
#include <sstream>

#include "captured_run.hpp"
#include "ctl/commands.hpp"
#include "store/log_test_support.hpp"
#include "store/store.hpp"
#include "store/store_test_support.hpp"

namespace vigil::ctl {
namespace {

using store::testing::make_alert;
using store::testing::make_reading;
using store::testing::make_session_event;
using store::testing::TempDir;
using testing::capture;
using testing::Captured;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::lines;
using ::testing::StartsWith;

constexpr WallMillis kT0 = 1'763'720'100'000;  // 2025-11-21T10:15:00Z

Captured run(const AlertsArgs& args) {
  return capture([&] { return run_alerts(args); });
}
Captured run(const TimelineArgs& args) {
  return capture([&] { return run_timeline(args); });
}

class LogCommands : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.file("vigil.db");
    store::Store s({path_});
    store::WriteBatch b;
    b.sessions = {make_session_event("CHAIR3", "S-1", "begun", "setup", kT0),
                  make_session_event("CHAIR3", "S-1", "infusion_started", "infusion", kT0 + 60'000)};
    b.readings = {make_reading("CHAIR3", VitalKind::NibpSys, 184, kT0 + 120'000),
                  make_reading("CHAIR3", VitalKind::NibpDia, 96, kT0 + 120'000),
                  make_reading("CHAIR5", VitalKind::HeartRate, 60, kT0 + 120'000)};
    b.alerts = {make_alert("CHAIR3-P2-1", "CHAIR3", "ACTIVE", "raised", kT0 + 120'000),
                make_alert("CHAIR5-P2-2", "CHAIR5", "ACTIVE", "raised", kT0 + 180'000)};
    ASSERT_TRUE(s.submit(b, nullptr));
  }
  TempDir dir_;
  std::string path_;
};

TEST_F(LogCommands, AlertsJsonlInLogOrder) {
  AlertsArgs args;
  args.db = path_;
  Captured c = run(args);
  EXPECT_EQ(c.code, 0) << c.err;
  EXPECT_EQ(c.err, "");
  auto out = lines(c.out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_THAT(out[0], StartsWith(R"({"type":"alert","id":"CHAIR3-P2-1","bed":"CHAIR3",)"));
  EXPECT_THAT(out[1], StartsWith(R"({"type":"alert","id":"CHAIR5-P2-2","bed":"CHAIR5",)"));
}

TEST_F(LogCommands, AlertsCsvWithBedAndSince) {
  AlertsArgs args;
  args.db = path_;
  args.format = "csv";
  args.bed = "CHAIR5";
  args.since = "2025-11-21T10:16:00Z";
  Captured c = run(args);
  EXPECT_EQ(c.code, 0) << c.err;
  auto out = lines(c.out);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_THAT(out[0], StartsWith("id,alert_id,bed,"));
  EXPECT_THAT(out[1], StartsWith("2,CHAIR5-P2-2,CHAIR5,P2,MEDIUM,ACTIVE,raised,"));
}

TEST_F(LogCommands, AlertsBadSinceExitsTwo) {
  AlertsArgs args;
  args.db = path_;
  args.since = "soon";
  Captured c = run(args);
  EXPECT_EQ(c.code, 2);
  EXPECT_EQ(c.out, "");
  EXPECT_THAT(c.err, StartsWith("vigilctl: bad --since 'soon'"));
  EXPECT_EQ(lines(c.err).size(), 1u);
}

TEST_F(LogCommands, AlertsMissingDatabaseExitsOneWithoutCreatingIt) {
  AlertsArgs args;
  args.db = dir_.file("elsewhere.db");
  args.format = "csv";
  Captured c = run(args);
  EXPECT_EQ(c.code, 1);
  EXPECT_EQ(c.out, "");
  EXPECT_EQ(c.err, "vigilctl: cannot read database " + args.db +
                       ": No such file or directory (is vigild's --db path right?)\n");
  EXPECT_FALSE(std::filesystem::exists(args.db));
}

TEST_F(LogCommands, TimelineTextHasHeaderThenItemsInOrder) {
  TimelineArgs args;
  args.db = path_;
  args.bed = "CHAIR3";
  Captured c = run(args);
  EXPECT_EQ(c.code, 0) << c.err;
  auto out = lines(c.out);
  ASSERT_EQ(out.size(), 11u) << c.out;
  EXPECT_EQ(out[0], "Session:  S-1");
  EXPECT_EQ(out[2], "Patient:  Patient 7");
  EXPECT_THAT(std::vector<std::string>(out.begin() + 7, out.end()),
              ElementsAre("2025-11-21T10:15:00Z  session   begun by nurse1 (phase setup)",
                          "2025-11-21T10:16:00Z  session   infusion_started by nurse1 (phase infusion)",
                          "2025-11-21T10:17:00Z  reading   NIBP 184/96",
                          "2025-11-21T10:17:00Z  alert     P2 MEDIUM ACTIVE raised: SBP 184 >= 180 "
                          "(limit 180, baseline 126)"));
}

TEST_F(LogCommands, TimelineJsonlHasOneLinePerItem) {
  TimelineArgs args;
  args.db = path_;
  args.bed = "CHAIR3";
  args.session = "S-1";
  args.format = "jsonl";
  Captured c = run(args);
  EXPECT_EQ(c.code, 0) << c.err;
  auto out = lines(c.out);
  ASSERT_EQ(out.size(), 5u) << c.out;
  EXPECT_THAT(out[0], StartsWith(R"({"type":"session","event":"begun",)"));
  EXPECT_THAT(out[2], StartsWith(R"({"type":"reading","bed":"CHAIR3","kind":"NIBP_SYS",)"));
  EXPECT_THAT(out[3], StartsWith(R"({"type":"reading","bed":"CHAIR3","kind":"NIBP_DIA",)"));
  EXPECT_THAT(out[4], StartsWith(R"({"type":"alert",)"));
}

TEST_F(LogCommands, TimelineWithoutSessionExitsOne) {
  TimelineArgs args;
  args.db = path_;
  args.bed = "CHAIR5";
  Captured c = run(args);
  EXPECT_EQ(c.code, 1);
  EXPECT_EQ(c.out, "");
  EXPECT_EQ(c.err, "vigilctl: no session for bed CHAIR5 in " + path_ + "\n");
  args.bed = "CHAIR3";
  args.session = "S-7";
  c = run(args);
  EXPECT_EQ(c.code, 1);
  EXPECT_EQ(c.err, "vigilctl: no session S-7 for bed CHAIR3 in " + path_ + "\n");
}

TEST_F(LogCommands, TimelineBadFormatExitsTwo) {
  TimelineArgs args;
  args.db = path_;
  args.bed = "CHAIR3";
  args.format = "xml";
  Captured c = run(args);
  EXPECT_EQ(c.code, 2);
  EXPECT_EQ(c.out, "");
  EXPECT_EQ(lines(c.err).size(), 1u);
}

}  // namespace
}  // namespace vigil::ctl
