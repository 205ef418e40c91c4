// vigil-sim: simulated bedside monitors for vigild.
//
//   vigil-sim --list
//   vigil-sim --hl7 HOST:PORT --scenario NAME --bed CHAIR [--time-scale N] [--seed S] ...
//   vigil-sim --hl7 HOST:PORT --chairs 6 --time-scale 30          (CHAIR1..6, scenarios in --list order)
//   vigil-sim --hl7 HOST:PORT --bed CHAIR1=normal-responder --bed CHAIR2=cuff-failure
//   vigil-sim --hl7 HOST:PORT --stream HOST:PORT --bed CHAIR2=hypertensive-responder   (with nurse actions)
//   vigil-sim --serial-pty --bed CHAIR5 --scenario normal-responder   (prints "serial CHAIR5=/dev/pts/N")
//   vigil-sim --bed CHAIR7=hypertensive-responder,protocol=intellivue  (prints "intellivue
//   CHAIR7=127.0.0.1:PORT";
//              with --serial-pty: MIB framing on a pty; SIGUSR1: monitor reboot)
//   vigil-sim load --hl7 HOST:PORT --beds 1000 --rate 1 --duration 60
//
// All chairs and load links share one io_context on the main thread.

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

#include "common/build_version.hpp"
#include "net/fd_limit.hpp"
#include "run_chairs.hpp"
#include "sim/chair_player.hpp"
#include "sim/control_prefix.hpp"
#include "sim/load_runner.hpp"
#include "sim/named_scenarios.hpp"
#include "sim/scenario_file.hpp"

namespace {

using namespace vigil::sim;
namespace asio = boost::asio;

void add_link_flags(CLI::App& app, LinkFlags& f) {
  app.add_option("--hl7", f.hl7, "vigild's HL7/MLLP listener, HOST:PORT");
  app.add_option("--style", f.style, "message style: ihe (PCD-01, MDC codes) or vendor (Philips MDIL codes)")
      ->check(CLI::IsMember({"ihe", "vendor"}));
  app.add_option("--seed", f.seed, "random seed (the same seed plays the same session)");
  app.add_option("--ack-timeout-ms", f.ack_timeout_ms, "resend when no ACK within this time")
      ->check(CLI::Range(1, 3600000));
  app.add_option("--max-attempts", f.max_attempts, "sends per message on AE or silence")
      ->check(CLI::Range(1, 100));
  app.add_option("--backoff-ms", f.backoff_ms, "first retry/reconnect delay (doubles, max 30 s)")
      ->check(CLI::Range(1, 600000));
  app.add_option("--fault", f.faults,
                 "wire faults: garbage,truncate,stall,disconnect,duplicate (HL7); drop,garbage,bad-fcs,"
                 "questionable (IntelliVue)");
  app.add_option("--fault-rate", f.fault_rate, "fraction of messages given a fault")
      ->check(CLI::Range(0.0, 1.0));
  app.add_option("--stall-ms", f.stall_ms, "pause length of the stall fault")->check(CLI::Range(0, 600000));
}

void log_line(const std::string& line) { std::fprintf(stderr, "%s\n", line.c_str()); }

int run_load(const LinkFlags& link, int beds, double rate, double duration, int per_bed) {
  asio::io_context io;
  LoadOptions lo;
  lo.sender = sender_options(io, link);
  lo.beds = beds;
  lo.rate_hz = rate;
  lo.duration_s = duration;
  lo.connections_per_bed = per_bed;
  lo.style = *message_style_from_string(link.style);
  lo.control_prefix = random_control_prefix();
  vigil::net::raise_fd_limit();
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
  CLI::App app{"vigil-sim: simulated bedside monitors (HL7 ORU^R01 or serial GE S/5) for vigild"};
  ChairsArgs chairs;
  bool list = false;
  app.set_version_flag("--version", vigil::version_line("vigil-sim"));
  app.add_flag("--list", list, "print the scenario names, one per line");
  add_link_flags(app, chairs.link);
  app.add_option("--scenario", chairs.scenario, "named scenario (see --list)");
  app.add_option("--scenario-file", chairs.scenario_file, "custom scenario file (docs/scenarios.md)");
  app.add_option("--bed", chairs.beds,
                 "chair to play: CHAIR or CHAIR=SCENARIO[,protocol=intellivue] (repeatable)");
  app.add_option("--chairs", chairs.chairs, "play CHAIR1..CHAIRN")->check(CLI::Range(0, 500));
  app.add_option("--time-scale", chairs.time_scale, "play N times faster than real time")
      ->check(CLI::Range(0.01, 100000.0));
  app.add_option("--numerics-interval", chairs.numerics_s, "simulated seconds between HR/SpO2 messages")
      ->check(CLI::Range(1.0, 3600.0));
  app.add_option("--stream", chairs.stream,
                 "vigild's client stream, HOST:PORT: the nurse actions (begin, start, stop, end) go there");
  app.add_option("--user", chairs.nurse_user,
                 "who the simulated nurse is (logged by vigild with each action)");
  app.add_option("--start-retries", chairs.start_retries,
                 "a refused infusion start is tried again this often, once a simulated minute")
      ->check(CLI::Range(0, 1000));
  app.add_flag(
      "--serial-pty", chairs.serial_pty,
      "instead of --hl7: an S/5 monitor per chair on a new pseudo-terminal (path printed on stdout)");
  app.add_option("--serial-tty", chairs.serial_tty,
                 "instead of --hl7: an S/5 monitor on this serial port (one chair)");
  app.add_option("--serial-link", chairs.serial_link,
                 "with --serial-pty and one chair: also make this symlink to the pty");
  app.add_option("--iv-listen", chairs.iv_listen,
                 "IntelliVue chairs (--bed C=S,protocol=intellivue) over UDP: address to listen on");
  app.add_option("--iv-port", chairs.iv_port, "first IntelliVue chair's UDP port (0: any free; printed)")
      ->check(CLI::Range(0, 65535));
  app.add_option("--iv-announce", chairs.iv_announce,
                 "IntelliVue chairs over UDP: send a Connect Indication (address, port, model) to IP:PORT "
                 "every 5 s, as a real monitor broadcasts to port 24005 (vigild --intellivue-discover)");
  app.add_option("--iv-refuse-ms", chairs.iv_refuse_ms,
                 "after a reboot (SIGUSR1) the IntelliVue chairs refuse associations this long")
      ->check(CLI::Range(0, 600000));

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
  } catch (const CLI::Success& e) {  // --help, --version
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
    return run_chairs(chairs);
  } catch (const UsageError& e) {
    std::fprintf(stderr, "vigil-sim: %s\n", e.message.c_str());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "vigil-sim: %s\n", e.what());
    return 1;
  }
}
