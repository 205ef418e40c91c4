// vigil-sim: simulated bedside monitors for vigild.
//
//   vigil-sim --list
//   vigil-sim --hl7 HOST:PORT --scenario NAME --bed CHAIR [--time-scale N] [--seed S] ...
//   vigil-sim --hl7 HOST:PORT --chairs 6 --time-scale 30          (CHAIR1..6, scenarios in --list order)
//   vigil-sim --hl7 HOST:PORT --bed CHAIR1=normal-responder --bed CHAIR2=cuff-failure
//   vigil-sim load --hl7 HOST:PORT --beds 1000 --rate 1 --duration 60
//
// All chairs and load links share one io_context on the main thread.

#include <sys/resource.h>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "sim/chair_player.hpp"
#include "sim/load_runner.hpp"
#include "sim/named_scenarios.hpp"
#include "sim/scenario_file.hpp"

namespace {

using namespace vigil::sim;
namespace asio = boost::asio;

// Start-up failures: one line on stderr, exit 2.
struct UsageError {
  std::string message;
};

struct LinkFlags {
  std::string hl7;
  int ack_timeout_ms = 10000;
  int max_attempts = 3;
  int backoff_ms = 500;
  std::string faults;
  double fault_rate = 0.05;
  int stall_ms = 3000;
  std::string style = "ihe";
  std::uint64_t seed = 1;
};

void add_link_flags(CLI::App& app, LinkFlags& f) {
  app.add_option("--hl7", f.hl7, "vigild's HL7/MLLP listener, HOST:PORT");
  app.add_option("--style", f.style, "message style: ihe (PCD-01, MDC codes) or vendor (Philips MDIL codes)")
      ->check(CLI::IsMember({"ihe", "vendor"}));
  app.add_option("--seed", f.seed, "random seed (the same seed plays the same session)");
  app.add_option("--ack-timeout-ms", f.ack_timeout_ms, "resend when no ACK within this time")->check(CLI::Range(1, 3600000));
  app.add_option("--max-attempts", f.max_attempts, "sends per message on AE or silence")->check(CLI::Range(1, 100));
  app.add_option("--backoff-ms", f.backoff_ms, "first retry/reconnect delay (doubles, max 30 s)")->check(CLI::Range(1, 600000));
  app.add_option("--fault", f.faults, "wire faults: garbage,truncate,stall,disconnect,duplicate");
  app.add_option("--fault-rate", f.fault_rate, "fraction of messages given a fault")->check(CLI::Range(0.0, 1.0));
  app.add_option("--stall-ms", f.stall_ms, "pause length of the stall fault")->check(CLI::Range(0, 600000));
}

asio::ip::tcp::endpoint resolve(asio::io_context& io, const std::string& host_port) {
  const auto colon = host_port.rfind(':');
  if (colon == std::string::npos || colon == 0) throw UsageError{"--hl7 must be HOST:PORT, got '" + host_port + "'"};
  std::string host = host_port.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  const std::string port = host_port.substr(colon + 1);
  if (port.empty() || port.find_first_not_of("0123456789") != std::string::npos || port.size() > 5 ||
      std::stoi(port) < 1 || std::stoi(port) > 65535)
    throw UsageError{"bad port in '" + host_port + "'"};
  boost::system::error_code ec;
  asio::ip::tcp::resolver resolver(io);
  auto results = resolver.resolve(host, port, ec);
  if (ec || results.empty()) throw UsageError{"cannot resolve '" + host + "': " + ec.message()};
  return results.begin()->endpoint();
}

SenderOptions sender_options(asio::io_context& io, const LinkFlags& f) {
  if (f.hl7.empty()) throw UsageError{"--hl7 HOST:PORT is required"};
  SenderOptions o;
  o.endpoint = resolve(io, f.hl7);
  o.ack_timeout = std::chrono::milliseconds(f.ack_timeout_ms);
  o.max_attempts = f.max_attempts;
  o.backoff_initial = std::chrono::milliseconds(f.backoff_ms);
  o.seed = f.seed;
  std::string error;
  auto kinds = parse_fault_list(f.faults, &error);
  if (!kinds) throw UsageError{error};
  o.faults.kinds = *kinds;
  o.faults.rate = f.fault_rate;
  o.faults.stall = std::chrono::milliseconds(f.stall_ms);
  return o;
}

// Thousands of sockets need more than the usual 1024 descriptors.
void raise_fd_limit() {
  rlimit lim{};
  if (getrlimit(RLIMIT_NOFILE, &lim) == 0 && lim.rlim_cur < lim.rlim_max) {
    lim.rlim_cur = lim.rlim_max;
    setrlimit(RLIMIT_NOFILE, &lim);
  }
}

std::string random_prefix() {
  std::random_device rd;
  char buf[16];
  std::snprintf(buf, sizeof buf, "S%06X.", static_cast<unsigned>(rd() & 0xFFFFFF));
  return buf;
}

struct ChairSpec {
  std::string chair;
  std::string scenario;  // a name, or empty to use --scenario-file
};

std::vector<ChairSpec> chair_specs(const std::vector<std::string>& beds, int chairs, const std::string& scenario,
                                   const std::string& file) {
  std::vector<ChairSpec> out;
  const auto& names = scenario_names();
  for (const auto& b : beds) {
    const auto eq = b.find('=');
    ChairSpec s{b.substr(0, eq), eq == std::string::npos ? scenario : b.substr(eq + 1)};
    if (s.chair.empty()) throw UsageError{"--bed needs a chair name"};
    out.push_back(s);
  }
  for (int i = 1; i <= chairs; ++i)
    out.push_back({"CHAIR" + std::to_string(i),
                   scenario.empty() && file.empty() ? names[static_cast<std::size_t>(i - 1) % names.size()] : scenario});
  if (out.empty()) throw UsageError{"give --bed CHAIR (with --scenario NAME), --bed CHAIR=SCENARIO or --chairs N"};
  for (const auto& s : out) {
    if (s.scenario.empty() && file.empty())
      throw UsageError{"no scenario for " + s.chair + ": give --scenario NAME or --scenario-file F (see --list)"};
    if (!s.scenario.empty() && !make_named_scenario(s.scenario, 0))
      throw UsageError{"unknown scenario '" + s.scenario + "' (see vigil-sim --list)"};
  }
  return out;
}

void log_line(const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); }

int run_chairs(const LinkFlags& link, const std::vector<std::string>& beds, int chairs, const std::string& scenario,
               const std::string& file, double time_scale, double numerics_s, const std::string& stream) {
  asio::io_context io;
  const auto specs = chair_specs(beds, chairs, scenario, file);
  const SenderOptions base = sender_options(io, link);
  raise_fd_limit();
  if (!stream.empty())
    log_line("vigil-sim: --stream " + stream + ": nurse actions are logged only until vigild's client protocol is wired");
  const auto wall_start = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::system_clock::now().time_since_epoch()).count();
  const std::string prefix = random_prefix();
  std::vector<std::shared_ptr<ChairPlayer>> players;
  std::vector<std::shared_ptr<MllpSender>> senders;
  std::size_t remaining = specs.size();
  for (std::size_t i = 0; i < specs.size(); ++i) {
    const auto& spec = specs[i];
    const std::uint64_t seed = link.seed + i;  // chair i (command-line order) plays seed + i
    Scenario sc;
    if (spec.scenario.empty()) {
      auto parsed = load_scenario_file(file, seed);
      if (!parsed.scenario) throw UsageError{parsed.error};
      sc = *parsed.scenario;
    } else {
      sc = *make_named_scenario(spec.scenario, seed);
    }
    SenderOptions so = base;
    so.name = spec.chair;
    so.seed = seed;
    auto sender = std::make_shared<MllpSender>(io, so);
    sender->set_log_hook(log_line);
    ChairOptions co;
    co.chair = spec.chair;
    co.style = *message_style_from_string(link.style);
    co.time_scale = time_scale;
    co.numerics_interval_s = numerics_s;
    co.wall_start_ms = wall_start;
    co.control_prefix = prefix + std::to_string(i) + ".";
    auto player = std::make_shared<ChairPlayer>(io, plan_session(sc, seed), co, sender);
    player->set_line_hook(log_line);
    player->set_action_hook([](const std::string& chair, const NurseAction& a) {
      char buf[128];
      std::snprintf(buf, sizeof buf, "%s t=%+.1fmin nurse action: %s", chair.c_str(), a.minute, to_string(a.kind));
      log_line(buf);
    });
    log_line(spec.chair + ": scenario " + sc.name + ", seed " + std::to_string(seed));
    senders.push_back(sender);
    players.push_back(player);
  }
  asio::signal_set signals(io, SIGINT, SIGTERM);
  int exit_code = 0;
  signals.async_wait([&](boost::system::error_code ec, int) {
    if (ec) return;
    exit_code = 130;
    io.stop();
  });
  for (auto& p : players)
    p->start([&] {
      if (--remaining == 0) signals.cancel();
    });
  io.run();
  for (std::size_t i = 0; i < senders.size(); ++i) {
    const auto& c = senders[i]->counters();
    char buf[256];
    std::snprintf(buf, sizeof buf, "%s: sent=%llu AA=%llu AE=%llu AR=%llu retries=%llu reconnects=%llu dropped=%llu unsent=%zu",
                  specs[i].chair.c_str(), static_cast<unsigned long long>(c.sent),
                  static_cast<unsigned long long>(c.acked_aa), static_cast<unsigned long long>(c.acked_ae),
                  static_cast<unsigned long long>(c.acked_ar), static_cast<unsigned long long>(c.retries),
                  static_cast<unsigned long long>(c.reconnects), static_cast<unsigned long long>(c.dropped),
                  senders[i]->queued());
    log_line(buf);
  }
  return exit_code;
}

int run_load(const LinkFlags& link, int beds, double rate, double duration, int per_bed) {
  asio::io_context io;
  LoadOptions lo;
  lo.sender = sender_options(io, link);
  lo.beds = beds;
  lo.rate_hz = rate;
  lo.duration_s = duration;
  lo.connections_per_bed = per_bed;
  lo.style = *message_style_from_string(link.style);
  lo.control_prefix = random_prefix();
  raise_fd_limit();
  auto runner = std::make_shared<LoadRunner>(io, lo);
  runner->set_line_hook(log_line);
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](boost::system::error_code ec, int) {
    if (!ec) runner->stop();
  });
  runner->start([&] { signals.cancel(); });
  io.run();
  std::printf("%s\n", format_summary(runner->summary()).c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"vigil-sim: simulated bedside monitors sending HL7 ORU^R01 to vigild"};
  LinkFlags chair_link;
  bool list = false;
  std::string scenario, scenario_file, stream;
  std::vector<std::string> beds;
  int chairs = 0;
  double time_scale = 1, numerics_s = 5;
  app.add_flag("--list", list, "print the scenario names, one per line");
  add_link_flags(app, chair_link);
  app.add_option("--scenario", scenario, "named scenario (see --list)");
  app.add_option("--scenario-file", scenario_file, "custom scenario file (docs/scenarios.md)");
  app.add_option("--bed", beds, "chair to play: CHAIR or CHAIR=SCENARIO (repeatable)");
  app.add_option("--chairs", chairs, "play CHAIR1..CHAIRN")->check(CLI::Range(0, 500));
  app.add_option("--time-scale", time_scale, "play N times faster than real time")->check(CLI::Range(0.01, 100000.0));
  app.add_option("--numerics-interval", numerics_s, "simulated seconds between HR/SpO2 messages")->check(CLI::Range(1.0, 3600.0));
  app.add_option("--stream", stream, "vigild's client stream, HOST:PORT (nurse actions; not wired yet)");

  auto* load = app.add_subcommand("load", "drive many simulated monitors for a load test");
  LinkFlags load_link;
  int load_beds = 100, per_bed = 1;
  double rate = 1, duration = 60;
  add_link_flags(*load, load_link);
  load->add_option("--beds", load_beds, "simulated monitors")->check(CLI::Range(1, 100000));
  load->add_option("--rate", rate, "messages per second per bed")->check(CLI::Range(0.001, 1000.0));
  load->add_option("--duration", duration, "seconds to run (0: until Ctrl-C)")->check(CLI::Range(0.0, 1e7));
  load->add_option("--connections-per-bed", per_bed, "TCP connections per bed")->check(CLI::Range(1, 64));

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "vigil-sim: %s (try --help)\n", e.what());
    return 2;
  }
  try {
    if (list) {
      for (const auto& n : scenario_names()) std::printf("%s\n", n.c_str());
      return 0;
    }
    if (*load) return run_load(load_link, load_beds, rate, duration, per_bed);
    return run_chairs(chair_link, beds, chairs, scenario, scenario_file, time_scale, numerics_s, stream);
  } catch (const UsageError& e) {
    std::fprintf(stderr, "vigil-sim: %s\n", e.message.c_str());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vigil-sim: %s\n", e.what());
    return 1;
  }
}
