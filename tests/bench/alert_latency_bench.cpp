// vigil-bench-alert-latency: end-to-end alert latency under load (how
// long from a bad reading to a nurse's screen when the ward is busy).
//
//   vigil-bench-alert-latency [--load-beds 1000] [--rate 1] [--alerts 1000] [--json FILE]
//                             [--hl7 HOST:PORT --stream HOST:PORT]   (an already running vigild)
//
// Starts vigild (durable storage: a fresh database in a temporary directory, synchronous=FULL
// as always) unless pointed at one, a background load of `--load-beds` simulated monitors at
// `--rate` messages/s each (vigil-sim load), and one stream client. A few probe chairs of its
// own get a session in infusion (begin, baseline, start through the stream, as a dashboard
// does). Then, one chair at a time: write an ORU^R01 whose SBP reaches P1's 200 mmHg (HIGH,
// no confirmation: docs/alarms.md), stamp CLOCK_MONOTONIC right after its last byte went to
// the MLLP socket, and stop the clock when the stream client decodes the P1 "raised" event
// of that chair. The nurse then acknowledges it and two readings back at baseline resolve it
// before the chair is used again.
//
// Why the baseline is 150/85: the P1 step is then exactly the T5 jump limit (50 mmHg), so
// both the crossing and the return are verified readings (an unverified one may raise P1
// but never clears it).
//
// Prints p50/p99/max over the alerts; timings are figures, never pass/fail.

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <set>
#include <thread>
#include <vector>

#include "bench/alert_watcher.hpp"
#include "bench/latency_summary.hpp"
#include "bench/probe_chair.hpp"
#include "net/host_port.hpp"
#include "support/child_process.hpp"
#include "support/vigild_fixture.hpp"

namespace {

using namespace vigil;
using namespace std::chrono_literals;
using Ms = std::chrono::milliseconds;

struct Flags {
  std::string hl7, stream;  // both empty: start our own vigild
  int load_beds = 1000;
  double rate = 1;
  int alerts = 1000;
  int probe_beds = 16;
  int interval_ms = 50;  // between probe starts: adds ~5 messages per probe to the load
  double warmup_s = 5;
  double baseline_sys = 150, baseline_dia = 85, alarm_sys = 200, alarm_dia = 95;
  int timeout_ms = 10000;
  std::string json;
};

struct Failure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

void require(const std::string& error, const std::string& what) {
  if (!error.empty()) throw Failure(what + ": " + error);
}

void nurse(bench::AlertWatcher& w, const std::string& bed, proto::NurseRequest r, const std::string& what,
           Ms timeout) {
  r.set_bed(bed);
  auto result = w.request(std::move(r), timeout);
  if (!result) throw Failure(what + " " + bed + ": no answer from vigild (" + w.lost() + ")");
  if (!result->ok()) throw Failure(what + " " + bed + " refused: " + result->reason());
}

// begin, two agreeing baseline readings, start: the chair's rules are those of an infusion.
void open_session(bench::AlertWatcher& w, bench::ProbeChair& chair, const Flags& f) {
  const Ms timeout(f.timeout_ms);
  proto::NurseRequest begin;
  begin.mutable_begin()->set_patient("BENCH-" + chair.bed());
  begin.mutable_begin()->set_planned_minutes(40);
  nurse(w, chair.bed(), begin, "begin", timeout);
  for (int i = 0; i < 2; ++i)
    require(chair.nibp(f.baseline_sys, f.baseline_dia, timeout), "baseline " + chair.bed());
  proto::NurseRequest start;
  start.mutable_start_infusion();
  nurse(w, chair.bed(), start, "start", timeout);
}

struct Probe {
  std::int64_t alert_ns = 0;  // last byte written -> P1 raised decoded
  std::int64_t ack_ns = 0;    // last byte written -> HL7 ACK read
};

// One alert on `chair`, then acknowledged and resolved so the chair can be used again.
Probe probe(bench::AlertWatcher& w, bench::ProbeChair& chair, const Flags& f) {
  const Ms timeout(f.timeout_ms);
  w.forget(chair.bed());
  const std::int64_t sent = chair.send_nibp(f.alarm_sys, f.alarm_dia);
  if (sent == 0) throw Failure("write to vigild's HL7 port failed (" + chair.bed() + ")");
  require(chair.read_ack(timeout), "alarm reading " + chair.bed());
  const std::int64_t acked = bench::mono_now_ns();
  auto raised = w.wait_alert(chair.bed(), proto::P1, proto::raised, timeout);
  if (!raised)
    throw Failure("no P1 raised for " + chair.bed() + " within " + std::to_string(f.timeout_ms) + " ms (" +
                  w.lost() + ")");
  Probe p{raised->mono_ns - sent, acked - sent};
  proto::NurseRequest ack;
  ack.mutable_acknowledge()->set_alert_id(raised->id);
  nurse(w, chair.bed(), ack, "acknowledge", timeout);
  for (int i = 0; i < 2; ++i)
    require(chair.nibp(f.baseline_sys, f.baseline_dia, timeout), "clearing reading " + chair.bed());
  if (!w.wait_alert(chair.bed(), proto::P1, proto::resolved, timeout))
    throw Failure("P1 of " + chair.bed() + " not resolved after two readings at baseline");
  return p;
}

// Waits until vigil-sim's periodic line says every link is connected.
bool wait_load_connected(test::ChildProcess& sim, int beds, Ms timeout) {
  const std::string all = "links=" + std::to_string(beds) + "/" + std::to_string(beds);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (!sim.running()) return false;
    if (sim.stderr_text().find(all) != std::string::npos) return true;
    std::this_thread::sleep_for(200ms);  // polling a log file; the deadline bounds it
  }
  return false;
}

std::string endpoint_or(const std::string& given, const test::Endpoint& started) {
  return given.empty() ? started.str() : given;
}

int run(const Flags& f) {
  std::unique_ptr<test::TempDir> dir;
  std::unique_ptr<test::Vigild> vigild;
  if (f.hl7.empty()) {
    dir = std::make_unique<test::TempDir>();
    vigild = std::make_unique<test::Vigild>(dir->file("vigil.db"));
  }
  const std::string hl7 = endpoint_or(f.hl7, vigild ? vigild->hl7 : test::Endpoint{});
  const std::string stream = endpoint_or(f.stream, vigild ? vigild->stream : test::Endpoint{});
  const auto hl7_at = net::parse_host_port(hl7);
  const auto stream_at = net::parse_host_port(stream);
  if (!hl7_at || !stream_at) throw Failure("bad --hl7 or --stream address");
  std::fprintf(stderr, "alert-latency: vigild hl7=%s stream=%s (%s)\n", hl7.c_str(), stream.c_str(),
               vigild ? "started, fresh durable database" : "given");

  std::unique_ptr<test::ChildProcess> load;
  if (f.load_beds > 0) {
    load = std::make_unique<test::ChildProcess>(std::vector<std::string>{
        test::bin("vigil-sim"), "load", "--hl7", hl7, "--beds", std::to_string(f.load_beds), "--rate",
        std::to_string(f.rate), "--duration", "0"});
    if (!wait_load_connected(*load, f.load_beds, 120s))
      throw Failure("vigil-sim load did not connect: " + load->stderr_text());
  }

  std::vector<std::unique_ptr<bench::ProbeChair>> chairs;
  std::set<std::string> names;
  for (int i = 0; i < f.probe_beds; ++i) {
    char name[16];
    std::snprintf(name, sizeof name, "LAT%03d", i + 1);
    names.insert(name);
    chairs.push_back(std::make_unique<bench::ProbeChair>(name, hl7_at->first, hl7_at->second));
    if (!chairs.back()->connected()) throw Failure("cannot connect to vigild's HL7 port " + hl7);
  }
  bench::AlertWatcher watcher(stream_at->first, stream_at->second, "bench", names);
  require(watcher.start(60s), "stream client");
  for (auto& c : chairs) open_session(watcher, *c, f);
  std::this_thread::sleep_for(std::chrono::duration<double>(f.warmup_s));  // let the load settle

  std::vector<std::int64_t> alert_ns, ack_ns;
  int failures = 0;
  std::string first_failure;
  auto next = std::chrono::steady_clock::now();
  for (int i = 0; i < f.alerts; ++i) {
    std::this_thread::sleep_until(next);  // pacing, so the probes add little to the load
    next += Ms(f.interval_ms);
    try {
      const Probe p = probe(watcher, *chairs[static_cast<std::size_t>(i % f.probe_beds)], f);
      alert_ns.push_back(p.alert_ns);
      ack_ns.push_back(p.ack_ns);
    } catch (const Failure& e) {
      if (first_failure.empty()) first_failure = e.what();
      std::fprintf(stderr, "alert-latency: probe %d: %s\n", i, e.what());
      if (++failures >= 10) break;
    }
    if ((i + 1) % 200 == 0) std::fprintf(stderr, "alert-latency: %d/%d alerts\n", i + 1, f.alerts);
  }

  std::string load_line = "no background load";
  if (load) {
    load->signal(SIGINT);
    load->wait(30s);
    for (const auto& line : load->drain_lines())
      if (line.rfind("load:", 0) == 0) load_line = line;
  }
  const std::uint64_t stream_messages = watcher.messages();
  const bench::LatencySummary alert = bench::summarize(alert_ns);
  const bench::LatencySummary ack = bench::summarize(ack_ns);
  std::printf(
      "alert latency at %d beds x %g msg/s (+%d probe chairs): %zu alerts, p50 %.3f ms, p99 %.3f ms, max "
      "%.3f ms; "
      "probe ACK p50 %.3f ms p99 %.3f ms; failures %d\n",
      f.load_beds, f.rate, f.probe_beds, alert.count, alert.p50_ms, alert.p99_ms, alert.max_ms, ack.p50_ms,
      ack.p99_ms, failures);
  std::printf("background %s\n", load_line.c_str());
  if (!f.json.empty()) {
    std::ofstream out(f.json);
    out << "{\"label\":\"alert-latency\",\"load_beds\":" << f.load_beds << ",\"rate_hz\":" << f.rate
        << ",\"probe_beds\":" << f.probe_beds << ",\"alerts_requested\":" << f.alerts << ","
        << bench::json_fields(alert) << ",\"failures\":" << failures
        << ",\"first_failure\":" << bench::json_string(first_failure) << ",\"probe_ack\":{"
        << bench::json_fields(ack) << "},\"stream_messages\":" << stream_messages
        << ",\"durable\":true,\"vigild\":\"" << (vigild ? "started" : "given")
        << "\",\"load_summary\":" << bench::json_string(load_line) << "}\n";
    if (!out) throw Failure("cannot write " + f.json);
  }
  if (vigild) vigild->stop();
  return failures == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"vigil-bench-alert-latency: ORU^R01 written -> alert event read, under load"};
  Flags f;
  app.add_option("--hl7", f.hl7, "a running vigild's HL7 address (with --stream); default: start one");
  app.add_option("--stream", f.stream, "a running vigild's stream address");
  app.add_option("--load-beds", f.load_beds, "background monitors (vigil-sim load); 0: none")
      ->check(CLI::Range(0, 100000))
      ->capture_default_str();
  app.add_option("--rate", f.rate, "messages per second per background monitor")
      ->check(CLI::Range(0.01, 100.0))
      ->capture_default_str();
  app.add_option("--alerts", f.alerts, "alerts to time")
      ->check(CLI::Range(1, 1000000))
      ->capture_default_str();
  app.add_option("--probe-beds", f.probe_beds, "chairs the alerts rotate over")
      ->check(CLI::Range(1, 500))
      ->capture_default_str();
  app.add_option("--interval-ms", f.interval_ms, "time between probe starts")
      ->check(CLI::Range(0, 60000))
      ->capture_default_str();
  app.add_option("--warmup", f.warmup_s, "seconds of load before the first probe")
      ->check(CLI::Range(0.0, 600.0))
      ->capture_default_str();
  app.add_option("--timeout-ms", f.timeout_ms, "wait for any one answer")
      ->check(CLI::Range(100, 600000))
      ->capture_default_str();
  app.add_option("--json", f.json, "write the figures to FILE");
  CLI11_PARSE(app, argc, argv);
  if (f.hl7.empty() != f.stream.empty()) {
    std::fprintf(stderr, "vigil-bench-alert-latency: give both --hl7 and --stream, or neither\n");
    return 2;
  }
  try {
    return run(f);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vigil-bench-alert-latency: %s\n", e.what());
    return 1;
  }
}
