// The one-command demo, headless: scripts/demo.sh runs for a bounded time, exits 0, the
// hypertensive chair's blood-pressure alarms are in the alert log, and nothing it started
// is still running afterwards.

#include <dirent.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "support/child_process.hpp"
#include "support/file_text.hpp"
#include "support/vigild_fixture.hpp"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;

std::string source_dir() {
  // VIGIL_TEST_DATA_DIR is <source>/tests/data.
  std::string data = VIGIL_TEST_DATA_DIR;
  return data.substr(0, data.size() - std::string("/tests/data").size());
}

// Command lines of every process on the machine that mention `needle`.
std::vector<std::string> processes_mentioning(const std::string& needle) {
  std::vector<std::string> out;
  DIR* proc = ::opendir("/proc");
  if (proc == nullptr) return out;
  while (dirent* e = ::readdir(proc)) {
    const std::string name = e->d_name;
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream f("/proc/" + name + "/cmdline", std::ios::binary);
    std::string cmdline((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    for (char& c : cmdline)
      if (c == '\0') c = ' ';
    if (cmdline.find(needle) != std::string::npos) out.push_back(name + ": " + cmdline);
  }
  ::closedir(proc);
  return out;
}

// The demo keeps its children's logs in a vigil-demo.* directory under $TMPDIR; the test
// points $TMPDIR into its own directory (so nothing is left behind) and, when anything
// failed, prints the tail of every log there: a failure seen only on a loaded CI machine is
// then explained by the run that had it.
class DemoLogsOnFailure {
 public:
  explicit DemoLogsOnFailure(std::string dir) : dir_(std::move(dir)) {}
  DemoLogsOnFailure(const DemoLogsOnFailure&) = delete;
  DemoLogsOnFailure& operator=(const DemoLogsOnFailure&) = delete;
  ~DemoLogsOnFailure() {
    if (!::testing::Test::HasFailure()) return;
    std::error_code ec;
    for (const auto& e : std::filesystem::recursive_directory_iterator(dir_, ec)) {
      const auto ext = e.path().extension().string();
      if (!e.is_regular_file() || (ext != ".log" && ext != ".out")) continue;
      const std::string text = read_file(e.path().string());
      constexpr std::size_t kTail = 6000;
      std::cerr << "---- " << e.path().string() << " (last " << std::min(text.size(), kTail) << " of "
                << text.size() << " bytes)\n"
                << (text.size() > kTail ? text.substr(text.size() - kTail) : text) << "\n";
    }
  }

 private:
  std::string dir_;
};

TEST(Demo, HeadlessRunRaisesTheHypertensiveChairsAlarmsAndCleansUp) {
  TempDir dir;
  const DemoLogsOnFailure logs(dir.path());
  const std::string db = dir.file("demo.db");
  const std::string build_dir = std::string(VIGIL_BIN_DIR).substr(0, std::string(VIGIL_BIN_DIR).size() - 4);
  // 60 s at 100x: 100 simulated minutes, past the hypertensive responder's peak.
  auto r = run_command(
      {"/usr/bin/env", "-u", "DISPLAY", "TMPDIR=" + dir.path(), "bash", source_dir() + "/scripts/demo.sh",
       "--duration", "60", "--time-scale", "100", "--skip-deps", "--build-dir", build_dir, "--db", db},
      180s);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("vigil demo: database " + db), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("no display"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("CHAIR2"), std::string::npos) << "the board printed no table:\n" << r.out;

  // Nothing the demo started survives it: every one of them named the database or the
  // stream port on its command line.
  const auto at = r.err.find("stream on ");
  ASSERT_NE(at, std::string::npos) << r.err;
  const std::string stream = r.err.substr(at + 10, r.err.find(',', at) - at - 10);
  // The trailing space ends the port: "--stream 127.0.0.1:4140" must not find another
  // test's "--stream 127.0.0.1:41401" (a command line's arguments end in a space here).
  EXPECT_EQ(processes_mentioning(db), std::vector<std::string>{});
  EXPECT_EQ(processes_mentioning("--stream " + stream + " "), std::vector<std::string>{});
  EXPECT_EQ(processes_mentioning("--connect " + stream + " "), std::vector<std::string>{});

  // CHAIR7 is the simulated Philips IntelliVue: its readings came over Data Export (UDP).
  auto iv = run_command({bin("vigilctl"), "readings", "--db", db, "--bed", "CHAIR7", "--format", "csv"}, 20s);
  ASSERT_EQ(iv.exit_code, 0) << iv.err;
  EXPECT_NE(iv.out.find(",CHAIR7,NIBP_SYS,"), std::string::npos) << iv.out.substr(0, 2000);
  EXPECT_NE(iv.out.find("intellivue:127.0.0.1:"), std::string::npos) << iv.out.substr(0, 2000);

  auto alerts = run_command({bin("vigilctl"), "alerts", "--db", db, "--bed", "CHAIR2"}, 20s);
  ASSERT_EQ(alerts.exit_code, 0) << alerts.err;
  int bp_alarms = 0;
  std::istringstream lines(alerts.out);
  for (std::string l; std::getline(lines, l);) {
    const bool rule = l.find("\"rule\":\"P1\"") != std::string::npos ||
                      l.find("\"rule\":\"P2\"") != std::string::npos ||
                      l.find("\"rule\":\"P3\"") != std::string::npos;
    const bool priority = l.find("\"priority\":\"HIGH\"") != std::string::npos ||
                          l.find("\"priority\":\"MEDIUM\"") != std::string::npos;
    bp_alarms += rule && priority;
  }
  EXPECT_GT(bp_alarms, 0) << alerts.out;
}

}  // namespace
}  // namespace vigil::test
