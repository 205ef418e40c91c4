// vigil-sim chair mode. One io_context on the main thread runs every chair, every link and
// the nurse's stream client.
//
// Start-up order: the serial ptys are made (and their paths printed) first, so a script can
// hand them to vigild; with --stream the session clock waits for vigild's hello (at most
// kHelloWait) and starts at vigild's own "now", so a demo's time-scaled clocks agree.
// Shutdown order: every chair ends, then the nurse's last answers (at most kNurseDrain),
// then the links close.

#include "run_chairs.hpp"

#include "bed_options.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdio>
#include <memory>
#include <random>

#include "net/fd_limit.hpp"
#include "net/host_port.hpp"
#include "sim/chair_player.hpp"
#include "sim/control_prefix.hpp"
#include "sim/intellivue_sim_monitor.hpp"
#include "sim/named_scenarios.hpp"
#include "sim/nurse_actions.hpp"
#include "sim/nurse_client.hpp"
#include "sim/s5_serial_monitor.hpp"
#include "sim/scenario_file.hpp"

namespace vigil::sim {

namespace asio = boost::asio;

namespace {

constexpr auto kHelloWait = std::chrono::seconds(10);
constexpr auto kNurseDrain = std::chrono::seconds(10);

asio::ip::tcp::endpoint resolve(asio::io_context& io, const std::string& host_port) {
  const auto colon = host_port.rfind(':');
  if (colon == std::string::npos || colon == 0)
    throw UsageError{"--hl7 must be HOST:PORT, got '" + host_port + "'"};
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

WallMillis real_wall_now() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct ChairSpec {
  std::string chair;
  std::string scenario;     // a name, or empty to use --scenario-file
  bool intellivue = false;  // protocol=intellivue: a simulated IntelliVue (Data Export)
};

std::vector<ChairSpec> chair_specs(const ChairsArgs& a) {
  std::vector<ChairSpec> out;
  std::string error;
  const auto& names = scenario_names();
  for (const auto& b : a.beds) {
    const auto eq = b.find('=');
    ChairSpec s{b.substr(0, eq), eq == std::string::npos ? a.scenario : b.substr(eq + 1)};
    if (eq != std::string::npos) {
      s.intellivue = parse_bed_options(b, b.substr(eq + 1), s.scenario, &error) == BedProtocol::IntelliVue;
      if (!error.empty()) throw UsageError{error};
      if (s.scenario.empty()) s.scenario = a.scenario;
    }
    if (s.chair.empty()) throw UsageError{"--bed needs a chair name"};
    out.push_back(s);
  }
  for (int i = 1; i <= a.chairs; ++i)
    out.push_back({"CHAIR" + std::to_string(i), a.scenario.empty() && a.scenario_file.empty()
                                                    ? names[static_cast<std::size_t>(i - 1) % names.size()]
                                                    : a.scenario});
  if (out.empty())
    throw UsageError{"give --bed CHAIR (with --scenario NAME), --bed CHAIR=SCENARIO or --chairs N"};
  for (const auto& s : out) {
    if (s.scenario.empty() && a.scenario_file.empty())
      throw UsageError{"no scenario for " + s.chair +
                       ": give --scenario NAME or --scenario-file F (see --list)"};
    if (!s.scenario.empty() && !make_named_scenario(s.scenario, 0))
      throw UsageError{"unknown scenario '" + s.scenario + "' (see vigil-sim --list)"};
  }
  return out;
}

void log_line(const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); }

// One chair: its scenario, its monitor, and (once playing) its player.
struct Chair {
  ChairSpec spec;
  Scenario scenario;
  std::uint64_t seed = 0;
  std::shared_ptr<MllpSender> sender;                // HL7 mode
  std::shared_ptr<S5SerialMonitor> serial;           // serial mode
  std::shared_ptr<IntelliVueSimMonitor> intellivue;  // protocol=intellivue
  std::shared_ptr<ChairPlayer> player;
  std::shared_ptr<std::weak_ptr<ChairPlayer>> player_slot = std::make_shared<std::weak_ptr<ChairPlayer>>();
};

// Set while run_chairs() runs: the chairs a SIGUSR1 reboots.
std::vector<std::shared_ptr<IntelliVueSimMonitor>>* g_intellivue_monitors = nullptr;

void check_modes(const ChairsArgs& a, std::size_t chairs, bool all_intellivue) {
  const bool serial = a.serial_pty || !a.serial_tty.empty();
  if (serial && !a.link.hl7.empty())
    throw UsageError{"give --hl7 or a serial mode (--serial-pty, --serial-tty), not both"};
  if (all_intellivue) return;  // they listen: no --hl7 needed
  if (!serial && a.link.hl7.empty())
    throw UsageError{"--hl7 HOST:PORT is required (or --serial-pty / --serial-tty)"};
  if (a.serial_pty && !a.serial_tty.empty()) throw UsageError{"give --serial-pty or --serial-tty, not both"};
  if (!a.serial_tty.empty() && chairs != 1) throw UsageError{"--serial-tty plays exactly one chair"};
  if (!a.serial_link.empty() && (!a.serial_pty || chairs != 1))
    throw UsageError{"--serial-link needs --serial-pty and exactly one chair"};
}

std::string sender_line(const std::string& chair, const SenderCounters& c, std::size_t unsent) {
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "%s: sent=%llu AA=%llu AE=%llu AR=%llu retries=%llu reconnects=%llu dropped=%llu unsent=%zu",
                chair.c_str(), static_cast<unsigned long long>(c.sent),
                static_cast<unsigned long long>(c.acked_aa), static_cast<unsigned long long>(c.acked_ae),
                static_cast<unsigned long long>(c.acked_ar), static_cast<unsigned long long>(c.retries),
                static_cast<unsigned long long>(c.reconnects), static_cast<unsigned long long>(c.dropped),
                unsent);
  return buf;
}

}  // namespace

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

void reboot_intellivue_monitors() {
  if (!g_intellivue_monitors) return;
  for (auto& m : *g_intellivue_monitors) m->reboot();
}

int run_chairs(const ChairsArgs& a) {
  asio::io_context io;
  const auto specs = chair_specs(a);
  bool all_intellivue = true;
  for (const auto& s : specs) all_intellivue = all_intellivue && s.intellivue;
  check_modes(a, specs.size(), all_intellivue);
  const bool serial = a.serial_pty || !a.serial_tty.empty();
  SenderOptions base;
  if (!serial && !all_intellivue) base = sender_options(io, a.link);
  std::vector<std::shared_ptr<IntelliVueSimMonitor>> iv_monitors;
  g_intellivue_monitors = &iv_monitors;
  std::vector<IvFault> iv_faults;
  if (!all_intellivue && !a.link.faults.empty() && serial) {
    // S/5 chairs take no wire faults; nothing to check.
  } else if (all_intellivue) {
    std::string error;
    auto parsed = parse_iv_fault_list(a.link.faults, &error);
    if (!parsed) throw UsageError{error};
    iv_faults = *parsed;
  }
  int next_iv_port = a.iv_port;
  std::optional<std::pair<std::string, std::uint16_t>> stream_address;
  if (!a.stream.empty()) {
    stream_address = net::parse_host_port(a.stream);
    if (!stream_address) throw UsageError{"--stream must be HOST:PORT, got '" + a.stream + "'"};
  }
  net::raise_fd_limit();

  std::vector<Chair> chairs;
  for (std::size_t i = 0; i < specs.size(); ++i) {
    Chair c;
    c.spec = specs[i];
    c.seed = a.link.seed + i;  // chair i (command-line order) plays seed + i
    if (c.spec.scenario.empty()) {
      auto parsed = load_scenario_file(a.scenario_file, c.seed);
      if (!parsed.scenario) throw UsageError{parsed.error};
      c.scenario = *parsed.scenario;
    } else {
      c.scenario = *make_named_scenario(c.spec.scenario, c.seed);
    }
    if (c.spec.intellivue) {
      IntelliVueSimOptions io_opt;
      io_opt.chair = c.spec.chair;
      io_opt.pty = a.serial_pty;
      io_opt.udp_address = a.iv_listen;
      io_opt.udp_port = static_cast<std::uint16_t>(next_iv_port);
      if (next_iv_port != 0) ++next_iv_port;
      io_opt.faults = iv_faults;
      io_opt.fault_rate = a.link.fault_rate;
      io_opt.seed = c.seed;
      io_opt.refuse_after_reboot = std::chrono::milliseconds(a.iv_refuse_ms);
      io_opt.announce_to = a.iv_announce;
      auto slot = c.player_slot;
      try {
        c.intellivue = std::make_shared<IntelliVueSimMonitor>(io, io_opt, [slot] {
          auto p = slot->lock();
          return p ? p->wall_now() : real_wall_now();
        });
      } catch (const std::exception& e) {
        throw UsageError{c.spec.chair + ": " + e.what()};
      }
      c.intellivue->set_log_hook(log_line);
      iv_monitors.push_back(c.intellivue);
      // stdout carries only these lines: a script reads them for vigild's --intellivue / --serial.
      std::printf("intellivue %s=%s\n", c.spec.chair.c_str(), c.intellivue->where().c_str());
      std::fflush(stdout);
    } else if (serial) {
      S5SerialOptions so;
      so.chair = c.spec.chair;
      so.tty = a.serial_tty;
      so.link = a.serial_link;
      so.time_scale = a.time_scale;
      auto slot = c.player_slot;
      c.serial = std::make_shared<S5SerialMonitor>(io, so, [slot] {
        auto p = slot->lock();
        return p ? p->wall_now() : real_wall_now();
      });
      c.serial->set_log_hook(log_line);
      // stdout carries only these lines: a script reads them for vigild's --serial.
      std::printf("serial %s=%s\n", c.spec.chair.c_str(), c.serial->path().c_str());
      std::fflush(stdout);
    } else {
      SenderOptions so = base;
      so.name = c.spec.chair;
      so.seed = c.seed;
      c.sender = std::make_shared<MllpSender>(io, so);
      c.sender->set_log_hook(log_line);
    }
    chairs.push_back(std::move(c));
  }

  std::unique_ptr<NurseClient> nurse;
  std::shared_ptr<NurseActionDriver> driver;
  if (stream_address) {
    NurseClientOptions no;
    no.host = stream_address->first;
    no.port = stream_address->second;
    no.user = a.nurse_user;
    nurse = std::make_unique<NurseClient>(io, no);
    nurse->set_log_hook(log_line);
    driver = std::make_shared<NurseActionDriver>(io, *nurse, a.time_scale, a.start_retries);
    driver->set_log_hook(log_line);
  }

  asio::signal_set signals(io, SIGINT, SIGTERM);
  asio::signal_set reboot_signal(io, SIGUSR1);
  std::function<void()> wait_reboot = [&] {
    reboot_signal.async_wait([&](boost::system::error_code ec, int) {
      if (ec) return;
      reboot_intellivue_monitors();
      wait_reboot();
    });
  };
  wait_reboot();
  asio::steady_timer wait_timer(io);
  int exit_code = 0;
  bool playing = false;
  std::size_t remaining = chairs.size();
  auto shut_down = [&] {
    signals.cancel();
    reboot_signal.cancel();
    wait_timer.cancel();
    if (nurse) nurse->stop();
  };
  // After the last chair: give the nurse's last requests (end) time to be answered.
  std::function<void(std::chrono::steady_clock::time_point)> drain_nurse = [&](auto deadline) {
    if (!driver || driver->idle() || std::chrono::steady_clock::now() >= deadline) {
      if (driver && !driver->idle())
        log_line("vigil-sim: gave up waiting for vigild's answers to the last nurse actions");
      shut_down();
      return;
    }
    wait_timer.expires_after(std::chrono::milliseconds(20));
    wait_timer.async_wait([&, deadline](boost::system::error_code ec) {
      if (!ec) drain_nurse(deadline);
    });
  };
  auto begin_play = [&](WallMillis wall_start, const std::string& clock_source) {
    if (playing) return;
    playing = true;
    wait_timer.cancel();
    log_line("vigil-sim: session clock starts at " + clock_source);
    const std::string prefix = random_control_prefix();
    for (std::size_t i = 0; i < chairs.size(); ++i) {
      Chair& c = chairs[i];
      ChairOptions co;
      co.chair = c.spec.chair;
      co.style = *message_style_from_string(a.link.style);
      co.time_scale = a.time_scale;
      co.numerics_interval_s = a.numerics_s;
      co.wall_start_ms = wall_start;
      co.control_prefix = prefix + std::to_string(i) + ".";
      const SessionPlan plan = plan_session(c.scenario, c.seed);
      if (c.intellivue)
        c.player = std::make_shared<ChairPlayer>(io, plan, co, std::shared_ptr<MonitorOutput>(c.intellivue));
      else if (c.serial)
        c.player = std::make_shared<ChairPlayer>(io, plan, co, std::shared_ptr<MonitorOutput>(c.serial));
      else
        c.player = std::make_shared<ChairPlayer>(io, plan, co, c.sender);
      *c.player_slot = c.player;
      c.player->set_line_hook(log_line);
      const int planned = static_cast<int>(std::lround(c.scenario.infusion_minutes));
      c.player->set_action_hook([&, planned](const std::string& chair, const NurseAction& act) {
        char buf[128];
        std::snprintf(buf, sizeof buf, "%s t=%+.1fmin nurse action: %s", chair.c_str(), act.minute,
                      to_string(act.kind));
        log_line(buf);
        if (driver) driver->act(chair, act, planned);
      });
      log_line(c.spec.chair + ": scenario " + c.scenario.name + ", seed " + std::to_string(c.seed));
    }
    for (Chair& c : chairs)
      c.player->start([&] {
        if (--remaining == 0) drain_nurse(std::chrono::steady_clock::now() + kNurseDrain);
      });
  };

  signals.async_wait([&](boost::system::error_code ec, int) {
    if (ec) return;
    exit_code = 130;
    io.stop();
  });
  if (nurse) {
    nurse->set_hello_hook([&](const proto::ServerHello& hello) {
      if (hello.server_time_ms() > 0)
        begin_play(hello.server_time_ms(), "vigild's clock");
      else
        begin_play(real_wall_now(), "this machine's clock (vigild sent no time)");
    });
    nurse->start();
    wait_timer.expires_after(kHelloWait);
    wait_timer.async_wait([&](boost::system::error_code ec) {
      if (ec || playing) return;
      log_line("vigil-sim: vigild's stream at " + a.stream +
               " has not answered yet: playing anyway, nurse actions wait for it");
      begin_play(real_wall_now(), "this machine's clock");
    });
  } else {
    begin_play(real_wall_now(), "this machine's clock");
  }
  io.run();

  for (const Chair& c : chairs) {
    if (c.sender) log_line(sender_line(c.spec.chair, c.sender->counters(), c.sender->queued()));
    if (c.serial) {
      const auto& s = c.serial->counters();
      log_line(c.spec.chair + ": serial requests=" + std::to_string(s.requests) +
               " records=" + std::to_string(s.records) + " dropped=" + std::to_string(s.records_dropped) +
               " bad_frames=" + std::to_string(s.bad_frames));
    }
  }
  if (driver) {
    const auto& n = driver->counters();
    log_line("nurse: actions=" + std::to_string(n.requested) + " done=" + std::to_string(n.done) +
             " refused=" + std::to_string(n.refused) + " retries=" + std::to_string(n.retries) +
             " given_up=" + std::to_string(n.given_up));
  }
  for (Chair& c : chairs) {
    if (c.intellivue) {
      log_line(c.spec.chair + ": " + c.intellivue->summary());
      c.intellivue->stop();
    }
  }
  for (Chair& c : chairs)
    if (c.serial) c.serial->stop();
  g_intellivue_monitors = nullptr;
  return exit_code;
}

}  // namespace vigil::sim
