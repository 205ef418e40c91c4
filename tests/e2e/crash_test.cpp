// kill -9 in the middle of a reading flood and an alert burst, then restart on the same
// database, over and over with seeded random kill points (power loss mid-write must lose
// nothing that was acknowledged). After every restart:
// every reading of every message that got AA is in `vigilctl readings`, every alert
// transition a watching client printed is in `vigilctl alerts`, the open session is shown
// again in its phase, and SQLite's integrity_check says "ok".
//
// VIGIL_CRASH_ITERATIONS (default 5) and VIGIL_CRASH_SEED (default 1) set the loop;
// scripts/crash_loop.sh runs it long. Each iteration prints one "[crash] ..." line and the
// test ends with a "[crash] total ..." line (the figures docs/reliability.md reports).
#include <gtest/gtest.h>

#include <signal.h>

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <ctime>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "support/alert_lines.hpp"
#include "support/child_process.hpp"
#include "support/db_check.hpp"
#include "support/mllp_client.hpp"
#include "support/session_driver.hpp"
#include "support/vigild_fixture.hpp"
#include "support/watch_recorder.hpp"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;

constexpr int kFloodConnections = 3;
constexpr int kBurstConnections = 2;
constexpr int kFloodPerConnection = 3000;  // more than any kill point below needs
constexpr int kBurstChairsPerConnection = 300;
constexpr int kHrValues = 150;  // HR 40..189: unique per message within one bed

int env_int(const char* name, int fallback) {
  const char* text = std::getenv(name);
  return text && *text ? std::atoi(text) : fallback;
}

std::string rfc3339(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// What the monitors were told (AA) and what the watcher printed, for one iteration.
struct Evidence {
  std::mutex mu;
  std::map<std::string, std::set<int>> flood_hr;  // bed -> HR values of messages that got AA
  std::set<std::string> burst_beds;               // one hypertensive message per bed, got AA
  int acked = 0;
  std::condition_variable changed;

  void ack_flood(const std::string& bed, int hr) {
    std::lock_guard lock(mu);
    flood_hr[bed].insert(hr);
    ++acked;
    changed.notify_all();
  }
  void ack_burst(const std::string& bed) {
    std::lock_guard lock(mu);
    burst_beds.insert(bed);
    ++acked;
    changed.notify_all();
  }
};

// Sends until vigild stops answering (it was killed) or the quota is spent.
void flood(const Endpoint& at, const std::string& prefix, int c, Evidence& ev) {
  MllpClient monitor(at.host, at.port);
  for (int i = 0; i < kFloodPerConnection && monitor.connected(); ++i) {
    const std::string bed = prefix + "F" + std::to_string(c) + "B" + std::to_string(i / kHrValues);
    const int hr = 40 + i % kHrValues;
    if (!monitor.send_message(
            make_vitals_oru(bed, bed + "-" + std::to_string(hr), std::nullopt, hr, 90 + i % 10)))
      return;
    auto ack = monitor.read_reply(20s);
    if (!ack || hl7_field(*ack, "MSA", 1) != "AA") return;
    ev.ack_flood(bed, hr);
  }
}

void burst(const Endpoint& at, const std::string& prefix, int c, Evidence& ev) {
  MllpClient monitor(at.host, at.port);
  for (int i = 0; i < kBurstChairsPerConnection && monitor.connected(); ++i) {
    const std::string bed = prefix + "P" + std::to_string(c) + "N" + std::to_string(i);
    NibpValues v;
    v.sys = 205;  // P1 at once
    v.dia = 100;
    v.time = hl7_time_at(std::time(nullptr) - 2);
    if (!monitor.send_message(make_vitals_oru(bed, bed, v, 80, 97))) return;
    auto ack = monitor.read_reply(20s);
    if (!ack || hl7_field(*ack, "MSA", 1) != "AA") return;
    ev.ack_burst(bed);
  }
}

// A `vigilctl watch` that has said hello, read on its own thread from then on.
class Recorder {
 public:
  explicit Recorder(const Endpoint& stream) : watch_({bin("vigilctl"), "watch", "--connect", stream.str()}) {}
  bool start() {
    if (!watch_.wait_for_line(is_hello_line, 20s)) return false;
    lines_.emplace(watch_);
    return true;
  }
  WatchRecorder& lines() { return *lines_; }

 private:
  ChildProcess watch_;
  std::optional<WatchRecorder> lines_;  // destroyed first: its thread reads watch_
};

std::string alert_key(const proto::AlertLine& a) {
  return a.id() + "/" + a.transition() + "/" + std::to_string(a.seq());
}

struct Totals {
  long acked_messages = 0, acked_readings = 0, alerts_seen = 0, lost_readings = 0, lost_alerts = 0;
};

// Checks one killed iteration against the restarted daemon's database.
void verify(const std::string& db, int iteration, std::time_t since, Evidence& ev,
            const std::vector<proto::AlertLine>& seen, Totals& totals) {
  auto readings = run_command({bin("vigilctl"), "readings", "--db", db, "--since", rfc3339(since)}, 120s);
  ASSERT_EQ(readings.exit_code, 0) << readings.err;
  std::map<std::string, std::multiset<std::pair<std::string, int>>> stored;  // bed -> (kind, value)
  std::istringstream in(readings.out);
  for (std::string line; std::getline(in, line);) {
    if (auto r = parse_reading(line)) stored[r->bed()].insert({r->kind(), static_cast<int>(r->value())});
  }
  long lost = 0, expected = 0;
  std::string first_lost;
  // `n` rows of `kind` for `bed`, with `value` (any value when it is negative).
  auto expect = [&](const std::string& bed, const std::string& kind, int value, std::size_t n = 1) {
    expected += static_cast<long>(n);
    std::size_t have = 0;
    for (const auto& [k, v] : stored[bed]) have += (k == kind && (value < 0 || v == value)) ? 1 : 0;
    if (have >= n) return;
    lost += static_cast<long>(n - have);
    if (first_lost.empty()) first_lost = bed + " " + kind + " " + std::to_string(value);
  };
  std::lock_guard lock(ev.mu);
  for (const auto& [bed, hrs] : ev.flood_hr) {
    for (int hr : hrs) expect(bed, "HR", hr);
    expect(bed, "SPO2", -1, hrs.size());  // SpO2 values repeat: count them
  }
  for (const auto& bed : ev.burst_beds) {
    expect(bed, "NIBP_SYS", 205);
    expect(bed, "NIBP_DIA", 100);
    expect(bed, "NIBP_MEAN", -1);
    expect(bed, "HR", 80);
    expect(bed, "SPO2", 97);
  }
  EXPECT_EQ(lost, 0) << "iteration " << iteration << ": " << lost
                     << " ACKed readings missing, first: " << first_lost;

  auto alerts = run_command(
      {bin("vigilctl"), "alerts", "--db", db, "--since", rfc3339(since), "--format", "jsonl"}, 120s);
  ASSERT_EQ(alerts.exit_code, 0) << alerts.err;
  std::set<std::string> logged;
  std::istringstream ain(alerts.out);
  for (std::string line; std::getline(ain, line);) {
    if (auto a = parse_alert_line(line)) logged.insert(alert_key(*a));
  }
  long live = 0, missing = 0;
  for (const auto& a : seen) {
    if (a.snapshot().value()) continue;  // shown again after a restart: checked when it was live
    ++live;
    if (!logged.count(alert_key(a))) {
      ++missing;
      ADD_FAILURE() << "iteration " << iteration
                    << ": alert shown to a client but not logged: " << describe(a);
    }
  }
  std::cout << "[crash] iteration " << iteration << ": killed after " << ev.acked << " ACKs; " << expected
            << " ACKed readings, " << lost << " lost; " << live << " alert transitions shown, " << missing
            << " not logged" << std::endl;
  totals.acked_messages += ev.acked;
  totals.acked_readings += expected;
  totals.alerts_seen += live;
  totals.lost_readings += lost;
  totals.lost_alerts += missing;
}

TEST(CrashLoop, KillNineDuringFloodAndAlertBurstLosesNothingAcknowledgedOrShown) {
  const int iterations = env_int("VIGIL_CRASH_ITERATIONS", 5);
  const int seed = env_int("VIGIL_CRASH_SEED", 1);
  std::mt19937 rng(static_cast<std::uint32_t>(seed));
  std::uniform_int_distribution<int> kill_after(5, 600);  // ACKs before the kill
  TempDir dir;
  const std::string db = dir.file("vigil.db");
  Totals totals;
  std::string session_id;
  std::unique_ptr<Evidence> previous;
  std::vector<proto::AlertLine> previous_seen;
  std::time_t previous_start = 0;

  for (int it = 0; it <= iterations; ++it) {
    Vigild vigild(db);
    Recorder recorder(vigild.stream);
    ASSERT_TRUE(recorder.start()) << "watcher never said hello";
    if (it == 0) {
      ChairDriver chair(vigild, "KSESSION");
      ASSERT_EQ(
          chair.nurse({"session", "begin", "--patient", "PT-0707", "--planned-minutes", "600"}).exit_code, 0);
      ASSERT_EQ(chair.nibp(0, 128, 82), "");
      ASSERT_EQ(chair.nibp(5, 126, 80), "");
      ASSERT_EQ(chair.nurse({"session", "start"}).exit_code, 0);
    }
    auto session = recorder.lines().wait_session(
        [&](const proto::SessionLine& s) { return s.bed() == "KSESSION" && s.phase() == "infusion"; }, 20s);
    ASSERT_TRUE(session) << "iteration " << it << ": the session is not shown in infusion";
    if (session_id.empty()) session_id = session->session_id();
    EXPECT_EQ(session->session_id(), session_id)
        << "iteration " << it << ": a different session after restart";

    if (previous) {  // the restarted daemon recovered the killed one's database
      verify(db, it - 1, previous_start, *previous, previous_seen, totals);
      EXPECT_EQ(sqlite_integrity_check(db), "ok") << "after kill " << it - 1;
    }
    if (it == iterations) {
      EXPECT_EQ(vigild.stop(), 0);
      break;
    }

    auto ev = std::make_unique<Evidence>();
    previous_start = std::time(nullptr) - 10;  // NIBP is measured 2 s before it is sent
    const std::string prefix = "K" + std::to_string(it);
    const int target = kill_after(rng);
    std::vector<std::thread> senders;
    for (int c = 0; c < kFloodConnections; ++c)
      senders.emplace_back(flood, vigild.hl7, prefix, c, std::ref(*ev));
    for (int c = 0; c < kBurstConnections; ++c)
      senders.emplace_back(burst, vigild.hl7, prefix, c, std::ref(*ev));
    {
      std::unique_lock lock(ev->mu);
      // Not ASSERT: the senders must be joined whatever happens, and the kill ends them.
      EXPECT_TRUE(ev->changed.wait_for(lock, 120s, [&] { return ev->acked >= target; }))
          << "only " << ev->acked << " ACKs before the deadline";
    }
    ASSERT_EQ(vigild.kill_hard(), 128 + SIGKILL);
    for (auto& t : senders) t.join();  // each sees its link drop
    EXPECT_TRUE(recorder.lines().wait_ended(20s)) << "watcher did not notice the kill";
    previous_seen = recorder.lines().alerts();
    previous = std::move(ev);
  }
  EXPECT_EQ(sqlite_integrity_check(db), "ok");
  std::cout << "[crash] total: " << iterations << " kill -9 iterations (seed " << seed << "), "
            << totals.acked_messages << " ACKed messages, " << totals.acked_readings << " ACKed readings, "
            << totals.alerts_seen << " alert transitions shown; lost readings " << totals.lost_readings
            << ", lost alerts " << totals.lost_alerts << std::endl;
  EXPECT_EQ(totals.lost_readings + totals.lost_alerts, 0);
}

}  // namespace
}  // namespace vigil::test
