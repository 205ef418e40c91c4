// A host clock step (NTP) under a real vigild: the daemon runs under libfaketime with its wall
// clock read from a file (FAKETIME_TIMESTAMP_FILE, re-read on every call) and its monotonic
// clock left alone (FAKETIME_DONT_FAKE_MONOTONIC=1). The test steps the daemon's wall clock
// +1 h and -1 h while a monitor feeds a chair in a session, then again while the monitor is
// silent, and checks that no alarm comes from a step and that T1 fires after its 15 s of
// monotonic silence: a step forwards does not fire it early, a step back does not hold it
// back for an hour. tests/alerts/clock_step_test.cpp does the same to the bare engine.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "common/wall_time.hpp"
#include "support/alert_lines.hpp"
#include "support/child_process.hpp"
#include "support/continuous_monitor.hpp"
#include "support/session_driver.hpp"
#include "support/vigild_fixture.hpp"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr WallMillis kHourMs = 3'600'000;

/// Sets environment variables for the children started while it lives (vigild only: the
/// test's own vigilctl children are started after it is gone).
class ScopedEnv {
 public:
  void set(const std::string& name, const std::string& value) {
    remember(name);
    ::setenv(name.c_str(), value.c_str(), 1);
  }
  void unset(const std::string& name) {
    remember(name);
    ::unsetenv(name.c_str());
  }
  ~ScopedEnv() {
    for (auto it = saved_.rbegin(); it != saved_.rend(); ++it) {
      if (it->second)
        ::setenv(it->first.c_str(), it->second->c_str(), 1);
      else
        ::unsetenv(it->first.c_str());
    }
  }

 private:
  void remember(const std::string& name) {
    const char* old = std::getenv(name.c_str());
    saved_.push_back({name, old ? std::optional<std::string>(old) : std::nullopt});
  }
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

/// The daemon's wall-clock offset, as libfaketime reads it: "+3600" is one hour ahead.
void set_offset(const std::string& file, WallMillis offset_ms) {
  const std::string tmp = file + ".tmp";
  {
    std::ofstream out(tmp);
    out << (offset_ms >= 0 ? "+" : "") << offset_ms / 1000 << "\n";
  }
  std::filesystem::rename(tmp, file);  // atomic: vigild never reads half a line
}

/// How far this process's wall clock is from the kernel's: non-zero when the whole suite runs
/// under libfaketime (a month ahead). The raw system call is the one clock read libfaketime
/// does not wrap.
WallMillis outer_fake_offset_ms() {
  timespec ts{};
  if (::syscall(SYS_clock_gettime, CLOCK_REALTIME, &ts) != 0) return 0;
  const WallMillis kernel_ms = static_cast<WallMillis>(ts.tv_sec) * 1000 + ts.tv_nsec / 1'000'000;
  return wall_now_ms() - kernel_ms;
}

/// Waits for a reading line of the watched chair that vigild stamped on receipt
/// (`received_at`; `measured_at` comes from the message) with a wall time `offset_ms` away
/// from the real one: proof that the step reached the daemon.
bool wait_for_stamp_offset(ChildProcess& watch, WallMillis offset_ms, std::vector<std::string>& seen) {
  return watch
      .wait_for_line(
          [&](const std::string& l) {
            seen.push_back(l);
            auto r = parse_reading(l);
            if (!r || r->kind() != "HR") return false;
            auto at = parse_time_arg(r->received_at());
            return at && std::llabs(*at - wall_now_ms() - offset_ms) < 10 * 60 * 1000;
          },
          20s)
      .has_value();
}

std::string alert_lines(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) {
    if (parse_alert_line(l)) out += "  " + l + "\n";
  }
  return out;
}

TEST(ClockStepE2e, WallClockStepsNeitherFireNorHoldBackAlarms) {
  const std::string libfaketime = VIGIL_LIBFAKETIME;
  if (libfaketime.empty() || !std::filesystem::exists(libfaketime)) {
    GTEST_SKIP() << "libfaketime is not installed (Debian: faketime libfaketime; scripts/install-deps.sh)";
  }
  // A suite already run under libfaketime (a month ahead, to catch tests that depend on the
  // date) sets FAKETIME, which libfaketime prefers to the timestamp file this test steps: the
  // daemon gets the file alone, holding the outer offset plus each step, so its clock stays
  // where this process's is and the steps still reach it.
  const WallMillis outer_ms = outer_fake_offset_ms();
  TempDir dir;
  const std::string offset_file = dir.file("faketime");
  auto step_to = [&](WallMillis offset_ms) { set_offset(offset_file, outer_ms + offset_ms); };
  step_to(0);
  std::unique_ptr<Vigild> vigild;
  {
    ScopedEnv env;
    env.unset("FAKETIME");
    env.set("LD_PRELOAD", libfaketime);
    env.set("FAKETIME_TIMESTAMP_FILE", offset_file);
    env.set("FAKETIME_NO_CACHE", "1");
    env.set("FAKETIME_DONT_FAKE_MONOTONIC", "1");
    // An ASan build insists on its runtime being the first library; libfaketime is preloaded
    // before it, which is harmless here (it only wraps the clock calls).
    const char* asan = std::getenv("ASAN_OPTIONS");
    env.set("ASAN_OPTIONS",
            std::string(asan ? asan : "") + (asan && *asan ? ":" : "") + "verify_asan_link_order=0");
    vigild = std::make_unique<Vigild>(dir.file("vigil.db"));
  }
  ChildProcess watch({bin("vigilctl"), "watch", "--connect", vigild->stream.str(), "--bed", "CHAIR1"});
  ASSERT_TRUE(watch.wait_for_line(is_hello_line, 20s)) << watch.stderr_text();
  ChairDriver chair(*vigild, "CHAIR1");
  auto begin = chair.nurse({"session", "begin", "--patient", "PT-0042", "--planned-minutes", "40"});
  ASSERT_EQ(begin.exit_code, 0) << begin.out << begin.err;

  std::vector<std::string> lines;
  // Keeps what the watcher prints until `until` (a deadline, not a wait for something).
  auto collect_until = [&](Clock::time_point until) {
    watch.wait_for_line(
        [&](const std::string& l) {
          lines.push_back(l);
          return Clock::now() >= until;
        },
        std::chrono::duration_cast<std::chrono::milliseconds>(until - Clock::now()));
  };

  // 1. Steps while the monitor sends every 200 ms: nothing may fire.
  auto monitor = std::make_unique<ContinuousMonitor>(*vigild, "CHAIR1", 200ms);
  ASSERT_TRUE(wait_for_stamp_offset(watch, 0, lines)) << "no HR reading on the stream";
  for (WallMillis offset : {kHourMs, -kHourMs, WallMillis{0}}) {
    step_to(offset);
    ASSERT_TRUE(wait_for_stamp_offset(watch, offset, lines))
        << "vigild's readings never showed the " << offset / kHourMs << " h step (is libfaketime working?)\n"
        << vigild->process().stderr_text();
    collect_until(Clock::now() + 1s);  // about 5 more messages after the step
  }
  ASSERT_EQ(monitor->stop(), "");
  const auto silent_since = Clock::now();  // the last message's ACK came before this
  monitor.reset();
  for (const auto& l : watch.drain_lines()) lines.push_back(l);
  EXPECT_EQ(alert_lines(lines), "") << "alarms while data flowed across +1 h / -1 h steps";

  // 2. Steps during the silence: +1 h at 3 s would fire T1 at once if silence were wall time,
  // -1 h at 6 s would hold it back for an hour. It must come after 15 s of silence.
  lines.clear();
  collect_until(silent_since + 3s);
  step_to(kHourMs);
  collect_until(silent_since + 6s);
  step_to(-kHourMs);
  EXPECT_EQ(alert_lines(lines), "") << "an alarm fired from a step during the silence";
  auto t1_line = watch.wait_for_line(
      [&](const std::string& l) {
        lines.push_back(l);
        auto a = parse_alert_line(l);
        return a && a->rule() == "T1" && a->transition() == "raised";
      },
      40s);
  const auto silence = std::chrono::duration<double>(Clock::now() - silent_since).count();
  ASSERT_TRUE(t1_line) << "no T1 within 46 s of silence after a -1 h step (after " << silence
                       << " s; watcher " << (watch.running() ? "still running" : "exited") << ")\n"
                       << alert_lines(lines) << "watcher stderr:\n"
                       << watch.stderr_text() << "vigild stderr:\n"
                       << vigild->process().stderr_text();
  const auto t1 = parse_alert_line(*t1_line);
  // The last message went out at most one 200 ms send period before silent_since, so T1 at
  // 15 s of daemon-measured silence shows up no earlier than ~14.8 s after it here; a step
  // taken for silence would have fired it at 3 s.
  EXPECT_GE(silence, 14.0) << "T1 came early: " << *t1_line;
  EXPECT_GT(t1->value().value(), 15) << *t1_line;
  EXPECT_LT(t1->value().value(), 60) << "silence measured across the step: " << *t1_line;
  std::cout << "[clock] T1 raised " << silence << " s after the monitor went silent (limit 15 s; "
            << "wall clock stepped +1 h at 3 s and -1 h at 6 s), reported silence " << t1->value().value()
            << " s\n";
  EXPECT_EQ(vigild->stop(), 0) << vigild->process().stderr_text();
}

}  // namespace
}  // namespace vigil::test
