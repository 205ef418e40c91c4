// Monitors with wrong clocks (time zone, DST, never set) against a real vigild: what is
// current is decided by arrival on Vigil's clock, the device's time is kept as reported,
// ages are never negative, T8 "clock:<source>" tells the nurse, and a reading belongs to
// the session open when it arrived. Every stamp is derived from the daemon's own clock (its
// hello), never from today's date.
#include <gtest/gtest.h>

#include <chrono>
#include <iostream>
#include <memory>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "common/wall_time.hpp"
#include "support/alert_lines.hpp"
#include "support/child_process.hpp"
#include "support/mllp_client.hpp"
#include "support/session_driver.hpp"
#include "support/vigild_fixture.hpp"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr WallMillis kHourMs = 3'600'000;

bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

/// The daemon's wall clock, read from a watcher's hello and carried forward on our
/// monotonic clock (times `scale` for a --time-scale daemon).
class DaemonTime {
 public:
  explicit DaemonTime(ChildProcess& watch, double scale = 1) : scale_(scale) {
    auto hello = watch.wait_for_line(is_hello_line, 20s);
    std::smatch m;
    if (hello && std::regex_search(*hello, m, std::regex(R"re("server_time":"([^"]+)")re"))) {
      if (auto t = parse_time_arg(m[1].str())) at_hello_ = *t;
    }
    mono_ = Clock::now();
  }
  bool ok() const { return at_hello_ != 0; }
  WallMillis now() const {
    const auto real = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - mono_).count();
    return at_hello_ + static_cast<WallMillis>(static_cast<double>(real) * scale_);
  }

 private:
  double scale_;
  WallMillis at_hello_ = 0;
  Clock::time_point mono_;
};

std::string hl7_time_ms(WallMillis ms) { return hl7_time_at(static_cast<std::time_t>(ms / 1000)); }

/// Sends `v` and returns the ACK code ("AA", ...; "" when none came).
std::string send(MllpClient& monitor, const OruValues& v) {
  if (!monitor.send_message(make_oru(v))) return "";
  auto ack = monitor.read_reply(20s);
  return ack ? hl7_field(*ack, "MSA", 1) : "";
}

/// The connect-time snapshot's reading of `kind` for `bed`, from a fresh `vigilctl watch`.
std::optional<proto::ReadingLine> snapshot_reading(const Vigild& vigild, const std::string& bed,
                                                   const std::string& kind) {
  ChildProcess watch({bin("vigilctl"), "watch", "--connect", vigild.stream.str(), "--bed", bed});
  std::optional<proto::ReadingLine> found;
  watch.wait_for_line(
      [&](const std::string& l) {
        auto r = parse_reading(l);
        if (r && r->kind() == kind && r->snapshot().value()) found = r;
        return found.has_value();
      },
      20s);
  return found;
}

std::string board_once(Vigild& vigild) {
  auto board = run_command({bin("vigilctl"), "board", "--once", "--connect", vigild.stream.str()}, 30s);
  return board.out + board.err;
}

TEST(DeviceClockE2e, MonitorFiveHoursAheadNeitherHidesLaterReadingsNorGoesUnnoticed) {
  TempDir dir;
  auto vigild = std::make_unique<Vigild>(dir.file("vigil.db"));
  ChildProcess watch({bin("vigilctl"), "watch", "--connect", vigild->stream.str(), "--bed", "CHAIR1"});
  DaemonTime daemon(watch);
  ASSERT_TRUE(daemon.ok()) << watch.stderr_text();
  MllpClient monitor(vigild->hl7.host, vigild->hl7.port);
  ASSERT_TRUE(monitor.connected());

  // A monitor whose clock is 5 h ahead (a time zone set wrong) sends every second; T8
  // comes once the skew has held 30 s. Each wait for it paces the next message.
  std::vector<std::string> lines;
  std::optional<std::string> t8;
  const auto deadline = Clock::now() + 120s;
  for (int i = 0; !t8 && Clock::now() < deadline; ++i) {
    OruValues v;
    v.control_id = "AHEAD" + std::to_string(i);
    v.time = hl7_time_ms(daemon.now() + 5 * kHourMs);
    v.sys = 150 + i % 3;
    v.hr = 90 + i % 3;
    ASSERT_EQ(send(monitor, v), "AA") << vigild->process().stderr_text();
    t8 = watch.wait_for_line(
        [&](const std::string& l) {
          lines.push_back(l);
          auto a = parse_alert_line(l);
          return a && a->rule() == "T8" && a->transition() == "raised" && has(a->subject(), "clock:");
        },
        1s);
  }
  ASSERT_TRUE(t8) << "no T8 for a monitor clock 5 h ahead; lines:\n"
                  << [&] {
                       std::string all;
                       for (const auto& l : lines) all += l + "\n";
                       return all;
                     }();
  const auto alert = parse_alert_line(*t8);
  EXPECT_EQ(alert->bed(), "CHAIR1");
  EXPECT_TRUE(has(alert->message(), "monitor clock is off by 5 h 0 min")) << *t8;
  std::cout << "[clock] " << *t8 << "\n";

  // Its clock is set right: the next reading is current at once.
  OruValues fixed;
  fixed.control_id = "RIGHT1";
  fixed.time = hl7_time_ms(daemon.now());
  fixed.sys = 111;
  fixed.hr = 61;
  ASSERT_EQ(send(monitor, fixed), "AA");

  for (const char* kind : {"NIBP_SYS", "HR"}) {
    auto r = snapshot_reading(*vigild, "CHAIR1", kind);
    ASSERT_TRUE(r) << kind;
    EXPECT_EQ(r->value(), std::string(kind) == "HR" ? 61 : 111) << kind << ": the later arrival is current";
    EXPECT_GE(r->age_s().value(), 0) << kind;
    EXPECT_LT(r->age_s().value(), 600) << kind;
  }
  const std::string board = board_once(*vigild);
  std::cout << "[clock] board:\n" << board;
  EXPECT_TRUE(has(board, "111/80")) << board;
  EXPECT_FALSE(has(board, "150/80") || has(board, "151/80") || has(board, "152/80")) << board;

  // After a restart the board is rebuilt from the log by arrival too.
  ASSERT_EQ(vigild->stop(), 0);
  vigild = std::make_unique<Vigild>(dir.file("vigil.db"));
  auto after = snapshot_reading(*vigild, "CHAIR1", "NIBP_SYS");
  ASSERT_TRUE(after);
  EXPECT_EQ(after->value(), 111);
  EXPECT_GE(after->age_s().value(), 0);
  // The device's own time is kept as it reported it.
  auto csv = run_command({bin("vigilctl"), "readings", "--db", dir.file("vigil.db"), "--format", "csv"}, 30s);
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_TRUE(has(csv.out, "NIBP_SYS,150")) << csv.out;
  EXPECT_EQ(vigild->stop(), 0);
}

TEST(DeviceClockE2e, StampsInTheYear9999And1970BreakNothing) {
  TempDir dir;
  Vigild vigild(dir.file("vigil.db"));
  ChildProcess watch({bin("vigilctl"), "watch", "--connect", vigild.stream.str(), "--bed", "CHAIR2"});
  DaemonTime daemon(watch);
  ASSERT_TRUE(daemon.ok());
  MllpClient monitor(vigild.hl7.host, vigild.hl7.port);
  int n = 0;
  for (const char* stamp : {"99991231235959+0000", "19700101000001+0000", "99991231235959+0000"}) {
    OruValues v;
    v.bed = "CHAIR2";
    v.control_id = "ODD" + std::to_string(n++);
    v.time = stamp;
    v.sys = 130 + n;
    ASSERT_EQ(send(monitor, v), "AA") << stamp << "\n" << vigild.process().stderr_text();
  }
  auto line = watch.wait_for_line(
      [](const std::string& l) {
        auto r = parse_reading(l);
        return r && r->kind() == "NIBP_SYS" && r->value() == 133;
      },
      20s);
  ASSERT_TRUE(line);
  EXPECT_EQ(parse_reading(*line)->measured_at(), "9999-12-31T23:59:59Z");
  auto r = snapshot_reading(vigild, "CHAIR2", "NIBP_SYS");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->value(), 133);
  EXPECT_GE(r->age_s().value(), 0);
  EXPECT_LT(r->age_s().value(), 600);
  const std::string board = board_once(vigild);
  EXPECT_TRUE(has(board, "133/80")) << board;
  for (const char* format : {"csv", "jsonl"}) {
    auto out =
        run_command({bin("vigilctl"), "readings", "--db", dir.file("vigil.db"), "--format", format}, 30s);
    ASSERT_EQ(out.exit_code, 0) << out.err;
    EXPECT_TRUE(has(out.out, "9999-12-31T23:59:59Z")) << out.out;
    EXPECT_TRUE(has(out.out, "1970-01-01T00:00:01Z")) << out.out;
  }
  auto alerts = run_command({bin("vigilctl"), "alerts", "--db", dir.file("vigil.db")}, 30s);
  EXPECT_EQ(alerts.exit_code, 0) << alerts.err;
  EXPECT_EQ(vigild.stop(), 0);
}

/// The "at" of the first session line of `event` the watcher prints, on the daemon's clock.
std::optional<WallMillis> session_event_at(ChildProcess& watch, const std::string& event) {
  auto line = watch.wait_for_line(
      [&](const std::string& l) {
        auto e = parse_session_line(l);
        return e && e->event() == event;
      },
      20s);
  if (!line) return std::nullopt;
  return parse_time_arg(parse_session_line(*line)->at());
}

/// The SBP chart points of a report's CSV ("series,<time>,SBP,<value>,mmHg").
std::vector<std::string> sbp_series(const std::string& csv) {
  std::vector<std::string> out;
  std::istringstream in(csv);
  for (std::string row; std::getline(in, row);) {
    if (row.rfind("series,", 0) == 0 && has(row, ",SBP,")) out.push_back(row);
  }
  return out;
}

TEST(DeviceClockE2e, ReadingStampedJustBeforeTheSessionBeganByDeviceTimeIsInItsReport) {
  TempDir dir;
  Vigild vigild(dir.file("vigil.db"));
  ChildProcess watch({bin("vigilctl"), "watch", "--connect", vigild.stream.str(), "--bed", "CHAIR3"});
  DaemonTime daemon(watch);
  ASSERT_TRUE(daemon.ok());
  ChairDriver chair(vigild, "CHAIR3");
  auto begin = chair.nurse({"session", "begin", "--patient", "PT-0043", "--planned-minutes", "40"});
  ASSERT_EQ(begin.exit_code, 0) << begin.out << begin.err;
  const auto begun = session_event_at(watch, "begun");
  ASSERT_TRUE(begun) << "no session line";
  // The monitor's stamp (1 s resolution) is 0.5 s before the session began by Vigil's
  // clock; the message itself arrives after it.
  MllpClient monitor(vigild.hl7.host, vigild.hl7.port);
  OruValues v;
  v.bed = "CHAIR3";
  v.control_id = "EDGE1";
  v.time = hl7_time_ms(*begun - 500);
  v.sys = 171;
  ASSERT_EQ(send(monitor, v), "AA");
  const std::string csv = dir.file("chair3.csv");
  auto made = run_command(
      {bin("vigilctl"), "report", "--db", dir.file("vigil.db"), "--bed", "CHAIR3", "--latest", "--out", csv},
      60s);
  ASSERT_EQ(made.exit_code, 0) << made.out << made.err;
  auto report = run_command({"/bin/cat", csv}, 10s).out;
  EXPECT_TRUE(std::regex_search(report, std::regex(R"(\npeak,[^,]*,SBP,171,mmHg)"))) << report;
  EXPECT_EQ(sbp_series(report).size(), 1u) << report;
  EXPECT_EQ(vigild.stop(), 0);
}

TEST(DeviceClockE2e, TimeScaledDemoReportDrawsEveryNibpOnTheSessionsClock) {
  TempDir dir;
  Vigild vigild(dir.file("vigil.db"), {"--demo", "--time-scale", "25"});
  ChildProcess watch({bin("vigilctl"), "watch", "--connect", vigild.stream.str(), "--bed", "CHAIR4"});
  // A monitor that knows nothing of the demo: its clock runs at real speed from the
  // daemon's start, so the session (on the demo clock) runs ever further ahead of it.
  DaemonTime device(watch, 1.0);
  ASSERT_TRUE(device.ok());
  ChairDriver chair(vigild, "CHAIR4");
  auto begin = chair.nurse({"session", "begin", "--patient", "PT-0044", "--planned-minutes", "40"});
  ASSERT_EQ(begin.exit_code, 0) << begin.out << begin.err;
  MllpClient monitor(vigild.hl7.host, vigild.hl7.port);
  constexpr int kNibps = 4;
  for (int i = 0; i < kNibps; ++i) {
    if (i > 0) {
      // A new device second for each measurement (the engine tells measurements apart by
      // their stamp): wait on the clock for it, 25 s of demo time each.
      const WallMillis next = (device.now() / 1000 + 1) * 1000;
      while (device.now() < next) std::this_thread::sleep_for(20ms);
    }
    OruValues v;
    v.bed = "CHAIR4";
    v.control_id = "DEMO" + std::to_string(i);
    v.time = hl7_time_ms(device.now());
    v.sys = 120 + 10 * i;
    ASSERT_EQ(send(monitor, v), "AA");
  }
  const std::string csv = dir.file("chair4.csv");
  auto made = run_command(
      {bin("vigilctl"), "report", "--db", dir.file("vigil.db"), "--bed", "CHAIR4", "--latest", "--out", csv},
      60s);
  ASSERT_EQ(made.exit_code, 0) << made.out << made.err;
  const std::string report = run_command({"/bin/cat", csv}, 10s).out;
  EXPECT_EQ(sbp_series(report).size(), static_cast<std::size_t>(kNibps)) << report;
  EXPECT_EQ(vigild.stop(), 0);
}

}  // namespace
}  // namespace vigil::test
