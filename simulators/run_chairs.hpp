#pragma once
// vigil-sim's chair mode: plays each chair's session into an HL7 link or a serial S/5
// monitor, and the scripted nurse actions through vigild's stream when one is given.

#include <string>
#include <vector>

#include "sim/mllp_sender.hpp"

namespace vigil::sim {

/// Start-up failures: one line on stderr, exit 2.
struct UsageError {
  std::string message;
};

/// The HL7 link flags (shared with load mode).
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

/// Everything the chair mode takes from the command line.
struct ChairsArgs {
  LinkFlags link;
  std::vector<std::string> beds;  // CHAIR or CHAIR=SCENARIO
  int chairs = 0;
  std::string scenario;
  std::string scenario_file;
  double time_scale = 1;
  double numerics_s = 5;
  std::string stream;  // HOST:PORT of vigild's client stream, or empty
  std::string nurse_user = "vigil-sim";
  int start_retries = 5;
  bool serial_pty = false;  // an S/5 on a new pseudo-terminal per chair
  std::string serial_tty;   // an S/5 on this tty (one chair)
  std::string serial_link;  // pty mode, one chair: symlink to the slave
  // IntelliVue chairs (--bed CHAIR=SCENARIO,protocol=intellivue): UDP unless --serial-pty.
  std::string iv_listen = "127.0.0.1";  // UDP address to listen on
  int iv_port = 0;                      // first chair's port (0: any free one); next chairs +1
  std::string iv_announce;              // "IP:PORT": each chair sends Connect Indications there
  int iv_refuse_ms = 3000;              // after a reboot (SIGUSR1), refuse associations this long
};

/// The sender options of the HL7 link; throws UsageError.
SenderOptions sender_options(boost::asio::io_context& io, const LinkFlags& f);

/// Plays the IntelliVue chairs' reboot (abort, refuse, accept); vigil-sim calls it on SIGUSR1.
void reboot_intellivue_monitors();

/// Runs until every chair's session ended; returns the exit code (130 on a signal).
int run_chairs(const ChairsArgs& args);

}  // namespace vigil::sim
