// End to end: a simulated Philips IntelliVue (vigil-sim --bed C=S,protocol=intellivue) and a
// real vigild associating with it over UDP loopback (--intellivue) or over a pty in MIB
// framing (--serial ...,protocol=intellivue), with vigilctl watching the stream. Every wait
// is on a condition with a deadline; nothing depends on the date.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <map>
#include <set>
#include <string>
#include <thread>

#include "e2e/e2e_util.hpp"
#include "support/alert_lines.hpp"
#include "support/child_process.hpp"
#include "support/vigild_fixture.hpp"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;

bool iv_is_reading(const std::string& line) { return line.find("\"type\":\"reading\"") != std::string::npos; }

// Starts vigil-sim with `args` and reads "intellivue CHAIR=WHERE" from its stdout.
struct SimIntelliVue {
  std::unique_ptr<ChildProcess> process;
  std::string where;  // "127.0.0.1:PORT" or "/dev/pts/N"

  explicit SimIntelliVue(std::vector<std::string> args) {
    args.insert(args.begin(), bin("vigil-sim"));
    process = std::make_unique<ChildProcess>(args);
    auto line =
        process->wait_for_line([](const std::string& l) { return l.rfind("intellivue ", 0) == 0; }, 20s);
    if (line) where = line->substr(line->find('=') + 1);
  }
};

// vigild's stderr is a file: re-read it until `text` has appeared `times` times.
bool iv_wait_stderr(ChildProcess& process, const std::string& text, std::chrono::milliseconds timeout,
                    std::size_t times = 1) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    const std::string err = process.stderr_text();
    std::size_t n = 0;
    for (auto at = err.find(text); at != std::string::npos; at = err.find(text, at + 1)) ++n;
    if (n >= times) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(20ms);  // polling a file for a condition, with a deadline
  }
}

// Collects watched readings of `bed` until `done` says enough, or the deadline.
std::vector<proto::ReadingLine> collect(
    ChildProcess& watch, const std::string& bed,
    const std::function<bool(const std::vector<proto::ReadingLine>&)>& done,
    std::chrono::milliseconds timeout) {
  std::vector<proto::ReadingLine> seen;
  watch.wait_for_line(
      [&](const std::string& line) {
        auto r = iv_is_reading(line) ? parse_reading_line(line) : std::nullopt;
        if (r && r->bed() == bed && !(r->has_snapshot() && r->snapshot().value())) seen.push_back(*r);
        return done(seen);
      },
      timeout);
  return seen;
}

std::size_t count_kind(const std::vector<proto::ReadingLine>& v, const std::string& kind) {
  std::size_t n = 0;
  for (const auto& r : v) n += r.kind() == kind;
  return n;
}

// Over UDP: readings with the mapper's values and source; NIBP once per measurement (the
// monitor repeats the last result in every poll, once a second); then a monitor reboot
// (abort, refusals, accept) ends in a new association and fresh readings.
TEST(IntelliVueE2E, UdpReadingsNibpOncePerMeasurementAndReboot) {
  TempDir dir;
  // 20x: an NIBP measurement every few real seconds; polls stay once a real second.
  SimIntelliVue sim({"--bed", "CHAIR7=hypertensive-responder,protocol=intellivue", "--time-scale", "20",
                     "--iv-refuse-ms", "2500"});
  ASSERT_FALSE(sim.where.empty()) << sim.process->stderr_text();
  Vigild vigild(dir.file("vigil.db"), {"--intellivue", "CHAIR7=" + sim.where});
  ChildProcess watch({bin("vigilctl"), "watch", "--connect", vigild.stream.str()});
  ASSERT_TRUE(watch.wait_for_line(is_hello_line, 10s)) << watch.stderr_text();

  auto seen = collect(
      watch, "CHAIR7",
      [](const auto& v) { return count_kind(v, "NIBP_SYS") >= 3 && count_kind(v, "HR") >= 5; }, 90s);
  ASSERT_GE(count_kind(seen, "NIBP_SYS"), 3u) << vigild.process().stderr_text() << sim.process->stderr_text();
  std::set<std::string> nibp_times;
  for (const auto& r : seen) {
    EXPECT_EQ(r.source(), "intellivue:" + sim.where);
    if (r.kind() == "HR") {
      EXPECT_GT(r.value(), 30);
      EXPECT_EQ(r.unit(), "/min");
    }
    if (r.kind() == "NIBP_SYS") {
      EXPECT_EQ(r.unit(), "mmHg");
      // Each result exactly once: polls repeat it every second, so a duplicate would show.
      EXPECT_TRUE(nibp_times.insert(r.measured_at()).second) << "NIBP repeated: " << r.measured_at();
    }
  }
  ASSERT_TRUE(iv_wait_stderr(vigild.process(), "link receiving", 5s));

  // Reboot: abort, refused while it "boots", then a new association and readings again.
  sim.process->signal(SIGUSR1);
  ASSERT_TRUE(iv_wait_stderr(vigild.process(), "aborted the association", 20s))
      << vigild.process().stderr_text();
  ASSERT_TRUE(iv_wait_stderr(vigild.process(), "refused the Data Export association", 20s))
      << vigild.process().stderr_text();
  ASSERT_TRUE(iv_wait_stderr(vigild.process(), "link receiving", 40s, 2)) << vigild.process().stderr_text();
  const auto after = collect(
      watch, "CHAIR7", [](const auto& v) { return count_kind(v, "HR") >= 2; }, 20s);
  EXPECT_GE(count_kind(after, "HR"), 2u);
  EXPECT_EQ(vigild.stop(), 0) << vigild.process().stderr_text();

  // The perfusion index (not a vital vigil tracks) came in every poll of two associations:
  // it is stored once per association, not once a second.
  auto unmapped = run_command({bin("vigilctl"), "unmapped", "--db", dir.file("vigil.db")}, 20s);
  ASSERT_EQ(unmapped.exit_code, 0) << unmapped.err;
  EXPECT_NE(unmapped.out.find("intellivue:" + sim.where), std::string::npos) << unmapped.out;
  EXPECT_NE(unmapped.out.find("count 2 "), std::string::npos) << unmapped.out;
}

// Invalid states are not shown as valid: SpO2 flagged QUESTIONABLE by the monitor arrives
// with valid=false; the same SpO2 without the flag arrives valid.
TEST(IntelliVueE2E, QuestionableValuesAreNotValid) {
  TempDir dir;
  SimIntelliVue sim({"--bed", "CHAIR3=normal-responder,protocol=intellivue", "--fault", "questionable",
                     "--fault-rate", "0.5"});
  ASSERT_FALSE(sim.where.empty()) << sim.process->stderr_text();
  Vigild vigild(dir.file("vigil.db"), {"--intellivue", "CHAIR3=" + sim.where});
  ChildProcess watch({bin("vigilctl"), "watch", "--connect", vigild.stream.str()});
  ASSERT_TRUE(watch.wait_for_line(is_hello_line, 10s)) << watch.stderr_text();
  auto seen = collect(
      watch, "CHAIR3",
      [](const auto& v) {
        bool valid = false, invalid = false;
        for (const auto& r : v) {
          if (r.kind() == "SPO2") (r.valid() ? valid : invalid) = true;
        }
        return valid && invalid;
      },
      60s);
  bool valid = false, invalid = false;
  for (const auto& r : seen) {
    if (r.kind() == "HR") {
      EXPECT_TRUE(r.valid()) << "only SpO2 is flagged";
    }
    if (r.kind() != "SPO2") continue;
    (r.valid() ? valid : invalid) = true;
    if (!r.valid()) {
      EXPECT_EQ(r.status(), "4000") << "the monitor's state word is kept";
    }
  }
  EXPECT_TRUE(valid && invalid) << vigild.process().stderr_text();
  EXPECT_EQ(vigild.stop(), 0);
}

// Pulled cable: the monitor disappears. vigild says the link went silent, re-associates in
// vain, and T1 ("monitor link lost") is raised on the stream.
TEST(IntelliVueE2E, SilentMonitorRaisesT1) {
  TempDir dir;
  SimIntelliVue sim({"--bed", "CHAIR4=normal-responder,protocol=intellivue"});
  ASSERT_FALSE(sim.where.empty()) << sim.process->stderr_text();
  Vigild vigild(dir.file("vigil.db"), {"--intellivue", "CHAIR4=" + sim.where});
  ChildProcess watch({bin("vigilctl"), "watch", "--connect", vigild.stream.str()});
  ASSERT_TRUE(watch.wait_for_line(is_hello_line, 10s)) << watch.stderr_text();
  ASSERT_FALSE(collect(
                   watch, "CHAIR4", [](const auto& v) { return count_kind(v, "HR") >= 1; }, 30s)
                   .empty())
      << vigild.process().stderr_text();

  sim.process->signal(SIGKILL);
  ASSERT_TRUE(sim.process->wait(10s));
  auto t1 = watch.wait_for_line(
      [](const std::string& l) {
        auto a = parse_alert_line(l);
        return a && a->bed() == "CHAIR4" && a->rule() == "T1" && a->transition() == "raised";
      },
      60s);
  ASSERT_TRUE(t1) << vigild.process().stderr_text();
  EXPECT_TRUE(iv_wait_stderr(vigild.process(), "link silent: no poll result", 5s))
      << vigild.process().stderr_text();
  EXPECT_TRUE(vigild.process().running());
  EXPECT_EQ(vigild.stop(), 0);
}

// A monitor that never answers (Data Export off, wrong address, another client): no data ever
// comes, so T1 has nothing to miss; T8 "link:<source>" says so once the link has been down
// 30 s (3 s at --time-scale 10), naming why, and ends once the monitor delivers.
TEST(IntelliVueE2E, AMonitorThatNeverAnswersRaisesT8Link) {
  TempDir dir;
  const int silent = ::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);  // takes datagrams, answers none
  ASSERT_GE(silent, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(silent, reinterpret_cast<const sockaddr*>(&addr), sizeof addr), 0);
  socklen_t length = sizeof addr;
  ASSERT_EQ(::getsockname(silent, reinterpret_cast<sockaddr*>(&addr), &length), 0);
  const std::string where = "127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
  Vigild vigild(dir.file("vigil.db"), {"--demo", "--time-scale", "10", "--intellivue", "CHAIR9=" + where});
  ChildProcess watch({bin("vigilctl"), "watch", "--connect", vigild.stream.str()});
  ASSERT_TRUE(watch.wait_for_line(is_hello_line, 10s)) << watch.stderr_text();
  auto t8 = watch.wait_for_line(
      [](const std::string& l) {
        auto a = parse_alert_line(l);
        return a && a->bed() == "CHAIR9" && a->rule() == "T8" && a->transition() == "raised" &&
               a->message().find("no data from intellivue:") != std::string::npos;
      },
      60s);
  ::close(silent);
  ASSERT_TRUE(t8) << vigild.process().stderr_text();
  EXPECT_NE(t8->find("no answer"), std::string::npos) << *t8;
  EXPECT_EQ(vigild.stop(), 0);
}

// MIB framing over a pseudo-terminal, with damaged frames mixed in (bad FCS, junk, drops):
// the deframer drops them and readings still arrive.
TEST(IntelliVueE2E, SerialPtyWithBadFrames) {
  TempDir dir;
  SimIntelliVue sim({"--bed", "CHAIR8=normal-responder,protocol=intellivue", "--serial-pty", "--fault",
                     "bad-fcs,garbage,drop", "--fault-rate", "0.1"});
  ASSERT_FALSE(sim.where.empty()) << sim.process->stderr_text();
  Vigild vigild(dir.file("vigil.db"), {"--serial", "CHAIR8=" + sim.where + ",protocol=intellivue"});
  ChildProcess watch({bin("vigilctl"), "watch", "--connect", vigild.stream.str()});
  ASSERT_TRUE(watch.wait_for_line(is_hello_line, 10s)) << watch.stderr_text();
  auto seen = collect(
      watch, "CHAIR8", [](const auto& v) { return count_kind(v, "HR") >= 3 && count_kind(v, "SPO2") >= 3; },
      60s);
  ASSERT_GE(count_kind(seen, "HR"), 3u) << vigild.process().stderr_text() << sim.process->stderr_text();
  EXPECT_EQ(seen.front().source(), "intellivue:" + sim.where);
  EXPECT_NE(vigild.process().stderr_text().find("115200 baud"), std::string::npos)
      << "the MIB port's default speed";
  EXPECT_EQ(vigild.stop(), 0);
}

// The same promises over the MIB port as over the LAN: NIBP once per measurement, a reboot
// ends in a new association over the same pty, and a pulled cable (the monitor's end of the
// line gone) raises T1 while vigild keeps running and keeps trying the port.
TEST(IntelliVueE2E, SerialPtyNibpOnceRebootAndPulledCable) {
  TempDir dir;
  SimIntelliVue sim({"--bed", "CHAIR6=hypertensive-responder,protocol=intellivue", "--serial-pty",
                     "--time-scale", "20", "--iv-refuse-ms", "2500"});
  ASSERT_FALSE(sim.where.empty()) << sim.process->stderr_text();
  Vigild vigild(dir.file("vigil.db"), {"--serial", "CHAIR6=" + sim.where + ",protocol=intellivue"});
  ChildProcess watch({bin("vigilctl"), "watch", "--connect", vigild.stream.str()});
  ASSERT_TRUE(watch.wait_for_line(is_hello_line, 10s)) << watch.stderr_text();

  auto seen = collect(
      watch, "CHAIR6",
      [](const auto& v) { return count_kind(v, "NIBP_SYS") >= 2 && count_kind(v, "HR") >= 3; }, 90s);
  ASSERT_GE(count_kind(seen, "NIBP_SYS"), 2u) << vigild.process().stderr_text() << sim.process->stderr_text();
  std::set<std::string> nibp_times;
  for (const auto& r : seen) {
    if (r.kind() == "NIBP_SYS") {
      EXPECT_TRUE(nibp_times.insert(r.measured_at()).second) << "NIBP repeated: " << r.measured_at();
    }
  }

  sim.process->signal(SIGUSR1);
  ASSERT_TRUE(iv_wait_stderr(vigild.process(), "aborted the association", 20s))
      << vigild.process().stderr_text();
  ASSERT_TRUE(iv_wait_stderr(vigild.process(), "link receiving", 40s, 2)) << vigild.process().stderr_text();
  EXPECT_GE(count_kind(collect(
                           watch, "CHAIR6", [](const auto& v) { return count_kind(v, "HR") >= 2; }, 20s),
                       "HR"),
            2u);

  sim.process->signal(SIGKILL);  // the pty's monitor end closes: the cable is out
  ASSERT_TRUE(sim.process->wait(10s));
  auto t1 = watch.wait_for_line(
      [](const std::string& l) {
        auto a = parse_alert_line(l);
        return a && a->bed() == "CHAIR6" && a->rule() == "T1" && a->transition() == "raised";
      },
      60s);
  ASSERT_TRUE(t1) << vigild.process().stderr_text();
  EXPECT_TRUE(vigild.process().running());
  EXPECT_EQ(vigild.stop(), 0) << vigild.process().stderr_text();
}

TEST(IntelliVueE2E, BadSpecIsAOneLineStartupError) {
  auto r = run_command({bin("vigild"), "--intellivue", "CHAIR7=10.1.2.3:0"}, 20s);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--intellivue 'CHAIR7=10.1.2.3:0'"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace vigil::test
