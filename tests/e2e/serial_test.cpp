// End to end over a pseudo-terminal: a simulated S/5 monitor on the "cable", a real vigild
// reading it with --serial (or the config file), and vigilctl watching the stream.
#include <gtest/gtest.h>

#include <ctime>
#include <fstream>
#include <map>
#include <sstream>
#include <thread>
#include <utility>
#include <vector>

#include "e2e/e2e_util.hpp"
#include "support/child_process.hpp"
#include "support/s5_pty_monitor.hpp"
#include "support/vigild_fixture.hpp"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;

bool is_reading(const std::string& line) { return line.find("\"type\":\"reading\"") != std::string::npos; }

// Waits for a watched reading of `bed` and `kind` for which `accept(value)` holds.
std::optional<proto::ReadingLine> wait_reading(ChildProcess& watch, const std::string& bed,
                                               const std::string& kind,
                                               const std::function<bool(double)>& accept,
                                               std::chrono::milliseconds timeout = 20s) {
  std::optional<proto::ReadingLine> found;
  watch.wait_for_line(
      [&](const std::string& line) {
        if (!is_reading(line)) return false;
        auto r = parse_reading_line(line);
        if (!r || r->bed() != bed || r->kind() != kind || !accept(r->value())) return false;
        found = *r;
        return true;
      },
      timeout);
  return found;
}

// vigild's stderr is a file: re-read it until `text` shows up or the deadline passes.
bool wait_stderr(ChildProcess& process, const std::string& text, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    if (process.stderr_text().find(text) != std::string::npos) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(20ms);  // polling a file for a condition, with a deadline
  }
}

std::size_t count_of(const std::string& haystack, const std::string& needle) {
  std::size_t n = 0;
  for (auto at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
  return n;
}

TEST(SerialE2E, PtyMonitorIsWatchedAndRecoversAfterUnplug) {
  TempDir dir;
  S5PtyMonitor monitor(dir.path(), 200ms);
  const auto nibp_time = static_cast<std::uint32_t>(std::time(nullptr)) - 20;
  monitor.set_nibp_time(nibp_time);
  Vigild vigild(dir.file("vigil.db"), {"--serial", "CHAIR5=" + monitor.path()});
  ChildProcess watch({bin("vigilctl"), "watch", "--connect", vigild.stream.str()});
  ASSERT_TRUE(watch.wait_for_line(is_hello_line, 10s)) << watch.stderr_text();

  ASSERT_TRUE(monitor.wait_for_requests(1, 20s)) << vigild.process().stderr_text();
  EXPECT_EQ(monitor.requests().at(0).interval_s, 5);

  // One record gives every vital; collect until HR and the NIBP result have both come.
  std::map<std::string, proto::ReadingLine> seen;
  watch.wait_for_line(
      [&](const std::string& line) {
        auto r = is_reading(line) ? parse_reading_line(line) : std::nullopt;
        if (r && r->bed() == "CHAIR5") seen[r->kind()] = *r;
        return seen.count("HR") && seen.count("NIBP_SYS");
      },
      20s);
  ASSERT_TRUE(seen.count("HR") && seen.count("NIBP_SYS")) << vigild.process().stderr_text();
  EXPECT_EQ(seen["HR"].value(), 72);
  EXPECT_EQ(seen["HR"].source(), "datex-s5:" + monitor.path());
  EXPECT_EQ(seen["NIBP_SYS"].value(), 128);
  EXPECT_EQ(seen["NIBP_SYS"].unit(), "mmHg");

  // Unplug: vigild notices the hangup and says so (the T1 alarm is wired by the daemon later).
  monitor.unplug();
  ASSERT_TRUE(wait_stderr(vigild.process(), "link lost", 20s)) << vigild.process().stderr_text();
  EXPECT_TRUE(vigild.process().running());

  // Replug with a different heart rate: only fresh records can carry it.
  auto physdata = S5PtyMonitor::typical_physdata();
  physdata.ecg_hr = 91;
  monitor.set_physdata(physdata);
  monitor.replug();
  auto after = wait_reading(
      watch, "CHAIR5", "HR", [](double v) { return v == 91; }, 30s);
  ASSERT_TRUE(after) << "no readings after replug; vigild stderr:\n" << vigild.process().stderr_text();
  EXPECT_GE(count_of(vigild.process().stderr_text(), "link connected"), 2u);

  EXPECT_EQ(vigild.stop(), 0) << vigild.process().stderr_text();
  // The monitor repeated one NIBP result in every record, before and after the unplug:
  // it is stored once.
  auto csv = run_command({bin("vigilctl"), "readings", "--db", dir.file("vigil.db"), "--format", "csv"}, 20s);
  ASSERT_EQ(csv.exit_code, 0) << csv.err;
  EXPECT_EQ(count_of(csv.out, "NIBP_SYS"), 1u) << csv.out;
  EXPECT_GE(count_of(csv.out, "CHAIR5"), 5u) << csv.out;
}

TEST(SerialE2E, ConfigFileSerialBlock) {
  TempDir dir;
  S5PtyMonitor monitor(dir.path(), 200ms);
  std::ofstream(dir.file("vigil.conf"))
      << "serial { bed: \"CHAIR7\" device: \"" << monitor.path() << "\" baud: 115200 }\n";
  Vigild vigild(dir.file("vigil.db"), {"--config", dir.file("vigil.conf")});
  ChildProcess watch({bin("vigilctl"), "watch", "--connect", vigild.stream.str()});
  auto spo2 = wait_reading(watch, "CHAIR7", "SPO2", [](double) { return true; });
  ASSERT_TRUE(spo2) << vigild.process().stderr_text();
  EXPECT_EQ(spo2->value(), 97.5);
  EXPECT_NE(vigild.process().stderr_text().find("115200 baud"), std::string::npos);
  EXPECT_EQ(vigild.stop(), 0);
}

TEST(SerialE2E, BadSerialSpecIsAOneLineStartupError) {
  auto r = run_command({bin("vigild"), "--serial", "CHAIR5=/dev/ttyUSB0,baud=12345"}, 20s);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("baud 12345 is not supported"), std::string::npos) << r.err;
  r = run_command({bin("vigild"), "--serial", "/dev/ttyUSB0"}, 20s);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("missing '='"), std::string::npos) << r.err;
}

// A chair name is never altered on the way in: blanks around it stop vigild as they do in
// the config file's beds { chair }, naming the flag. Its own database and free ports: a
// vigild that took the name would start, and must not touch the defaults.
TEST(SerialE2E, ChairNameWithOuterBlanksStopsStartNotTrimmed) {
  TempDir dir;
  for (const auto& [flag, spec] : std::vector<std::pair<std::string, std::string>>{
           {"--serial", " C5=/dev/null"}, {"--serial", "C5 =/dev/null"}, {"--intellivue", " C7=127.0.0.1"}}) {
    auto r = run_command({bin("vigild"), "--db", dir.file("vigil.db"), "--hl7-listen", "127.0.0.1:0",
                          "--stream-listen", "127.0.0.1:0", "--http-listen", "127.0.0.1:0", flag, spec},
                         10s);
    EXPECT_EQ(r.exit_code, 2) << spec << ": " << r.out << r.err;
    EXPECT_NE(r.err.find("vigild: " + flag + " '" + spec + "': chair name begins or ends with a space"),
              std::string::npos)
        << r.err;
  }
}

TEST(SerialE2E, AbsentPortDoesNotStopTheDaemon) {
  TempDir dir;
  Vigild vigild(dir.file("vigil.db"), {"--serial", "CHAIR9=" + dir.file("no-such-tty")});
  ASSERT_TRUE(wait_stderr(vigild.process(), "link lost: cannot open", 20s)) << vigild.process().stderr_text();
  EXPECT_TRUE(vigild.process().running());
  EXPECT_EQ(vigild.stop(), 0);
}

}  // namespace
}  // namespace vigil::test
