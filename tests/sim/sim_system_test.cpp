// vigil-sim against a real vigild: the serial S/5 monitor on a pseudo-terminal read by
// `vigild --serial`, and a whole session whose nurse actions go through vigild's stream.
// Real processes over loopback; every wait has a deadline.

#include <gtest/gtest.h>

#include <map>
#include <sstream>

#include "e2e/e2e_util.hpp"
#include "support/child_process.hpp"
#include "support/vigild_fixture.hpp"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

bool has(const std::string& line, const std::string& part) { return line.find(part) != std::string::npos; }

TEST(SimSerial, PtyMonitorIsReadByVigildAndWatched) {
  TempDir dir;
  ChildProcess sim({bin("vigil-sim"), "--serial-pty", "--bed", "CHAIR5", "--scenario", "normal-responder",
                    "--time-scale", "600"});
  auto line = sim.wait_for_line([](const std::string& l) { return l.rfind("serial CHAIR5=", 0) == 0; }, 20s);
  ASSERT_TRUE(line) << sim.stderr_text();
  const std::string path = line->substr(std::string("serial CHAIR5=").size());
  EXPECT_EQ(path.rfind("/dev/pts/", 0), 0u) << path;

  Vigild vigild(dir.file("vigil.db"), {"--serial", "CHAIR5=" + path});
  ChildProcess watch({bin("vigilctl"), "watch", "--connect", vigild.stream.str()});
  std::map<std::string, proto::ReadingLine> seen;
  watch.wait_for_line(
      [&](const std::string& l) {
        auto r = parse_reading_line(l);
        if (r && r->bed() == "CHAIR5") seen[r->kind()] = *r;
        return seen.count("HR") && seen.count("SPO2") && seen.count("NIBP_SYS");
      },
      30s);
  ASSERT_TRUE(seen.count("HR") && seen.count("SPO2") && seen.count("NIBP_SYS"))
      << "vigild:\n"
      << vigild.process().stderr_text() << "\nvigil-sim:\n"
      << sim.stderr_text();
  EXPECT_EQ(seen["HR"].source(), "datex-s5:" + path);
  // normal-responder: a patient around 122/76, HR ~72, SpO2 ~98.
  EXPECT_GT(seen["HR"].value(), 40);
  EXPECT_LT(seen["HR"].value(), 130);
  EXPECT_GE(seen["SPO2"].value(), 90);
  EXPECT_GT(seen["NIBP_SYS"].value(), 80);
  EXPECT_LT(seen["NIBP_SYS"].value(), 200);

  // The session is 113 simulated minutes: about 11 s at 600x.
  auto code = sim.wait(60s);
  ASSERT_TRUE(code) << sim.stderr_text();
  EXPECT_EQ(*code, 0) << sim.stderr_text();
  EXPECT_TRUE(has(sim.stderr_text(), "CHAIR5: serial requests=")) << sim.stderr_text();
  EXPECT_EQ(vigild.stop(), 0);
}

TEST(SimNurse, WholeSessionThroughTheStreamRaisesBloodPressureAlerts) {
  TempDir dir;
  const std::string db = dir.file("vigil.db");
  Vigild vigild(db, {"--demo", "--time-scale", "300"});
  ChildProcess sim({bin("vigil-sim"), "--hl7", vigild.hl7.str(), "--stream", vigild.stream.str(),
                    "--scenario", "hypertensive-responder", "--bed", "CHAIR2", "--time-scale", "300",
                    "--user", "sim-nurse"});
  // 113 simulated minutes at 300x: about 23 s.
  auto code = sim.wait(120s);
  ASSERT_TRUE(code) << sim.stderr_text();
  EXPECT_EQ(*code, 0) << sim.stderr_text();
  const std::string log = sim.stderr_text();
  EXPECT_TRUE(has(log, "CHAIR2: nurse begin: done")) << log;
  EXPECT_TRUE(has(log, "CHAIR2: nurse start: done")) << log;
  EXPECT_TRUE(has(log, "CHAIR2: nurse stop: done")) << log;
  EXPECT_TRUE(has(log, "CHAIR2: nurse end: done")) << log;
  EXPECT_TRUE(has(log, "nurse: actions=4 done=4")) << log;

  // The terminal board shows the chair and its latched blood-pressure alarm.
  auto board = run_command({bin("vigilctl"), "board", "--once", "--connect", vigild.stream.str()}, 20s);
  EXPECT_EQ(board.exit_code, 0) << board.err;
  std::string chair_row;
  for (const auto& l : split_lines(board.out))
    if (l.rfind("CHAIR2 ", 0) == 0) chair_row = l;
  EXPECT_TRUE(has(chair_row, " P1 ") || has(chair_row, " P2 ")) << board.out;
  EXPECT_TRUE(has(board.out, "TOP ALERT")) << board.out;
  EXPECT_EQ(vigild.stop(), 0);

  // The session as vigild logged it: begun, started, stopped, ended, by our nurse.
  auto timeline =
      run_command({bin("vigilctl"), "timeline", "--db", db, "--bed", "CHAIR2", "--format", "jsonl"}, 20s);
  ASSERT_EQ(timeline.exit_code, 0) << timeline.err;
  std::map<std::string, std::string> events;  // event -> user
  for (const auto& l : split_lines(timeline.out)) {
    if (!has(l, "\"type\":\"session\"")) continue;
    for (const char* e : {"begun", "infusion_started", "infusion_stopped", "ended"})
      if (has(l, std::string("\"event\":\"") + e + "\""))
        events[e] = has(l, "\"user\":\"sim-nurse\"") ? "sim-nurse" : "?";
  }
  for (const char* e : {"begun", "infusion_started", "infusion_stopped", "ended"})
    EXPECT_EQ(events[e], "sim-nurse") << e << "\n" << timeline.out;

  // The responder climbs past 180/110: P2 (MEDIUM, then HIGH) and usually P1.
  auto alerts = run_command({bin("vigilctl"), "alerts", "--db", db, "--bed", "CHAIR2"}, 20s);
  ASSERT_EQ(alerts.exit_code, 0) << alerts.err;
  int bp_alarms = 0;
  for (const auto& l : split_lines(alerts.out)) {
    const bool rule = has(l, "\"rule\":\"P2\"") || has(l, "\"rule\":\"P1\"");
    const bool priority = has(l, "\"priority\":\"MEDIUM\"") || has(l, "\"priority\":\"HIGH\"");
    bp_alarms += rule && priority && has(l, "\"bed\":\"CHAIR2\"");
  }
  EXPECT_GT(bp_alarms, 0) << alerts.out;
}

TEST(SimCli, SerialAndHl7AreExclusiveAndStreamMustBeHostPort) {
  auto r = run_command({bin("vigil-sim"), "--serial-pty", "--hl7", "127.0.0.1:9", "--bed", "C1", "--scenario",
                        "normal-responder"},
                       20s);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(has(r.err, "not both")) << r.err;
  r = run_command({bin("vigil-sim"), "--hl7", "127.0.0.1:9", "--stream", "nowhere", "--bed", "C1",
                   "--scenario", "normal-responder"},
                  20s);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(has(r.err, "--stream must be HOST:PORT")) << r.err;
  r = run_command(
      {bin("vigil-sim"), "--serial-tty", "/nonexistent/tty", "--bed", "C1", "--scenario", "normal-responder"},
      20s);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(has(r.err, "cannot open /nonexistent/tty")) << r.err;
}

}  // namespace
}  // namespace vigil::test
