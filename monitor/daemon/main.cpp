// vigild: receives patient monitors, stores every reading, streams it to clients.
#include <signal.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <iostream>
#include <optional>

#include "common/build_version.hpp"
#include "daemon/config_check.hpp"
#include "daemon/daemon.hpp"
#include "daemon/log_output.hpp"
#include "daemon/stream_auth.hpp"
#include "net/fd_limit.hpp"
#include "store/database_check.hpp"
#include "store/shm_fault_guard.hpp"
#include "store/store.hpp"
#include "store/writer_lock.hpp"

namespace {

// No signal from the storage layer may end the daemon silently. A file over RLIMIT_FSIZE
// ("ulimit -f") raises SIGXFSZ, whose default action kills the process; ignored, the write
// fails with EFBIG instead, SQLite reports an I/O error, the sender gets AR and T8 is raised.
// SIGBUS from the mapped -shm file: see store/shm_fault_guard.hpp.
void guard_storage_signals() {
  ::signal(SIGXFSZ, SIG_IGN);
  if (!vigil::store::install_shm_fault_guard())
    spdlog::warn("cannot install the SIGBUS guard for the database's -shm file");
}

// vigild --check-db: the full integrity check of the database, for an operator (offline or
// beside a running daemon: it reads only). 0: sound; 2: damaged; 1: could not check.
int check_db(const std::string& path) {
  try {
    const auto problems = vigil::store::check_database(path, vigil::store::CheckDepth::Full);
    if (problems.empty()) {
      std::cout << "ok: " << path << " passed PRAGMA integrity_check" << std::endl;
      return 0;
    }
    std::cout << "damaged: " << path << " failed PRAGMA integrity_check:" << std::endl;
    for (const auto& p : problems) std::cout << "  " << p << std::endl;
    std::cout << "see docs/reliability.md, \"Damaged database\", for recovery" << std::endl;
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "vigild: " << e.what() << "\n";
    return 1;
  }
}

// vigild --check-config: what a start would refuse, it refuses with the same text (exit 2);
// otherwise the effective settings on stdout.
int check_config(const vigil::daemon::Settings& settings) {
  try {
    vigil::daemon::check_start_offline(settings);
  } catch (const vigil::store::DatabaseDamaged&) {
    throw;  // main's own line, with the recovery hint
  } catch (const vigil::store::StoreError& e) {
    std::cerr << "vigild: " << e.what() << "\n";
    return 2;
  }
  std::cout << vigil::daemon::describe_settings(settings);
  std::cerr << "vigild: configuration ok\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  using vigil::daemon::ConfigError;
  // Logs go to stderr (the journal's form under systemd); stdout carries only the
  // `listening ...` line scripts read.
  vigil::daemon::configure_log_output("vigild");

  CLI::App app{"vigild: Vigil's monitoring daemon"};
  app.set_version_flag("--version", vigil::version_line("vigild"));
  std::string hl7_listen, stream_listen, db, config;
  std::string log_level = "info";
  app.add_option("--hl7-listen", hl7_listen,
                 "HL7/MLLP listen address HOST:PORT (default 127.0.0.1:2575; port 0 picks one)");
  app.add_option("--stream-listen", stream_listen,
                 "Client stream listen address HOST:PORT (default 127.0.0.1:7420)");
  std::string http_listen;
  app.add_option("--http-listen", http_listen,
                 "Health and metrics (GET /healthz, /metrics) listen address HOST:PORT (default "
                 "127.0.0.1:7421; beyond loopback only with stream TLS)");
  app.add_option("--db", db, "SQLite database file (default ./vigil.db)");
  app.add_option("--config", config, "Config file (protobuf text format, see docs/configuration.md)");
  std::vector<std::string> serial_specs;
  app.add_option("--serial", serial_specs,
                 "Serial monitor BED=DEVICE[,baud=N][,protocol=datex-s5|intellivue] (baud default 19200, "
                 "115200 for intellivue); repeatable; replaces the config file's serial list");
  std::vector<std::string> intellivue_specs;
  app.add_option("--intellivue", intellivue_specs,
                 "Philips IntelliVue on the LAN BED=HOST[:PORT] (Data Export over UDP, port default 24105); "
                 "repeatable; replaces the config file's intellivue list");
  std::string intellivue_discover;
  app.add_option(
      "--intellivue-discover", intellivue_discover,
      "Hear IntelliVue Connect Indications on UDP [HOST:]PORT (typically 0.0.0.0:24005; default "
      "off): each newly heard monitor is logged with its --intellivue line; vigilctl devices lists them");
  double time_scale = 1.0;
  bool demo = false;
  app.add_option("--time-scale", time_scale,
                 "DEMO AND TESTING ONLY: run every timer N times faster, to match vigil-sim --time-scale "
                 "(needs --demo)");
  app.add_flag("--demo", demo, "Allow demo-only settings such as --time-scale; never on a real clinic floor");
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error")->capture_default_str();
  std::string forward_hl7, daemon_id;
  app.add_option(
      "--forward-hl7", forward_hl7,
      "Forward readings (ORU^R01) and alerts (ORU^R40) to a hospital integration engine at HOST:PORT "
      "(docs/forwarding.md)");
  app.add_option("--daemon-id", daemon_id,
                 "This daemon's name in forwarded messages (default: the host name)");
  std::string forward_tls_ca;
  app.add_option(
      "--forward-tls-ca", forward_tls_ca,
      "Forward over TLS, verifying the engine's certificate (and host name) against this CA (PEM)");
  std::string tls_cert, tls_key, client_ca;
  bool hash_token = false, hash_pin = false;
  app.add_option("--stream-tls-cert", tls_cert,
                 "PEM certificate chain: serve the stream over TLS (with --stream-tls-key)");
  app.add_option("--stream-tls-key", tls_key, "PEM private key of --stream-tls-cert");
  app.add_option("--stream-client-ca", client_ca,
                 "PEM CA whose client certificates may log in (stream_user cert_cn)");
  app.add_flag("--hash-token", hash_token,
               "Read a login token on stdin, print its token_sha256 for a stream_user entry, and exit");
  app.add_flag(
      "--hash-pin", hash_pin,
      "Read a nurse's PIN (4-12 digits) on stdin, print its pin_sha256 for her stream_user entry, and exit");
  bool check_db_only = false;
  app.add_flag(
      "--check-db", check_db_only,
      "Run a full integrity check (PRAGMA integrity_check) of the database (--db or the config's db) "
      "and exit: 0 sound, 2 damaged, 1 could not check");
  std::optional<std::uint32_t> spin_us;
  app.add_option("--spin-us", spin_us,
                 "Microseconds the io and writer threads may spin for each other before sleeping (0 off; "
                 "default 200 with 2+ CPUs, 0 with one; replaces the config's spin_us)");
  bool check_config_only = false;
  app.add_flag("--check-config", check_config_only,
               "Validate the configuration (--config and flags) with every check a start makes, without "
               "binding ports or writing the database; print the effective settings; exit 0 valid, 2 not");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() != 0) {
      std::cerr << "vigild: " << e.what() << " (see vigild --help)\n";
      return 2;
    }
    return app.exit(e);
  }
  spdlog::set_level(spdlog::level::from_str(log_level));
  if (hash_pin) {
    // A PIN is short: its hash keeps it out of the file, not safe from a reader of the file
    // (10^4..10^12 guesses offline). Online guessing is what the PIN backoff bounds.
    std::string pin;
    std::getline(std::cin, pin);
    if (!pin.empty() && pin.back() == '\r') pin.pop_back();
    const bool digits = !pin.empty() && pin.find_first_not_of("0123456789") == std::string::npos;
    if (!digits || pin.size() < 4 || pin.size() > 12) {
      std::cerr << "vigild: --hash-pin: give a PIN of 4 to 12 digits on stdin\n";
      return 2;
    }
    std::cout << vigil::daemon::sha256_hex(pin) << std::endl;
    return 0;
  }
  if (hash_token) {
    // The token comes on stdin, not argv, so it never shows in `ps` or shell history.
    std::string token;
    std::getline(std::cin, token);
    if (!token.empty() && token.back() == '\r') token.pop_back();
    if (token.size() < 16) {
      std::cerr << "vigild: --hash-token: give a token of at least 16 characters on stdin "
                   "(e.g. openssl rand -hex 24)\n";
      return 2;
    }
    std::cout << vigil::daemon::sha256_hex(token) << std::endl;
    return 0;
  }

  try {
    vigil::daemon::Settings settings;
    if (!config.empty()) vigil::daemon::load_config_file(config, settings);
    if (!hl7_listen.empty())
      settings.hl7_listen = vigil::daemon::parse_listen_address(hl7_listen, "--hl7-listen");
    if (!stream_listen.empty())
      settings.stream_listen = vigil::daemon::parse_listen_address(stream_listen, "--stream-listen");
    if (!http_listen.empty())
      settings.http_listen = vigil::daemon::parse_listen_address(http_listen, "--http-listen");
    if (!db.empty()) settings.db_path = db;
    if (!daemon_id.empty()) {
      vigil::daemon::check_daemon_id(daemon_id, "--daemon-id");
      settings.daemon_id = daemon_id;
    }
    if (!forward_hl7.empty()) {
      const auto target = vigil::daemon::parse_forward_target(forward_hl7, "--forward-hl7");
      if (!settings.forward) settings.forward.emplace();
      settings.forward->host = target.host;
      settings.forward->port = target.port;
    }
    if (!forward_tls_ca.empty()) {
      if (!settings.forward)
        throw ConfigError("--forward-tls-ca needs --forward-hl7 (or forward_hl7 in the config)");
      settings.forward->tls_ca_file = forward_tls_ca;
    }
    vigil::daemon::finish_forward_settings(settings);
    if (!tls_cert.empty()) settings.stream_tls.cert_file = tls_cert;
    if (!tls_key.empty()) settings.stream_tls.key_file = tls_key;
    if (!client_ca.empty()) settings.stream_tls.client_ca_file = client_ca;
    if (!serial_specs.empty()) {
      settings.serials.clear();
      for (const auto& text : serial_specs)
        settings.serials.push_back(vigil::daemon::parse_serial_spec(text));
      vigil::daemon::check_serial_specs_unique(settings.serials);
    }
    if (!intellivue_specs.empty()) {
      settings.intellivues.clear();
      for (const auto& text : intellivue_specs)
        settings.intellivues.push_back(vigil::daemon::parse_intellivue_spec(text));
      vigil::daemon::check_intellivue_specs_unique(settings.intellivues);
    }

    if (!intellivue_discover.empty())
      settings.intellivue_discover =
          vigil::daemon::parse_discover_address(intellivue_discover, "--intellivue-discover");

    if (time_scale != 1.0) {
      if (!demo) throw ConfigError("--time-scale is for demos and tests only: add --demo to use it");
      if (!(time_scale > 0 && time_scale <= 10000)) throw ConfigError("--time-scale must be in (0, 10000]");
      settings.time_scale = time_scale;
      spdlog::warn("DEMO MODE: time runs {}x faster; alarm delays are not real time", time_scale);
    }
    if (spin_us) settings.spin = vigil::daemon::checked_spin(*spin_us, "--spin-us");
    if (check_db_only) return check_db(settings.db_path);
    if (check_config_only) return check_config(settings);
    if (const char* file = std::getenv("VIGIL_LAST_STOP_FILE")) settings.last_stop_file = file;
    vigil::net::raise_fd_limit();
    guard_storage_signals();
    vigil::daemon::Daemon daemon(settings);
    std::cout << "listening hl7=" << vigil::daemon::to_string(daemon.addresses().hl7)
              << " stream=" << vigil::daemon::to_string(daemon.addresses().stream)
              << (daemon.addresses().http ? " http=" + vigil::daemon::to_string(*daemon.addresses().http)
                                          : "")
              << (daemon.addresses().discover
                      ? " discover=" + vigil::daemon::to_string(*daemon.addresses().discover)
                      : "")
              << std::endl;
    return daemon.run();
  } catch (const ConfigError& e) {
    std::cerr << "vigild: " << e.what() << "\n";
    return 2;
  } catch (const vigil::store::DatabaseDamaged& e) {
    // One line for the operator and the service manager's log; recovery is documented.
    std::cerr << "vigild: " << e.what()
              << "; not starting (run vigild --check-db; recovery: docs/reliability.md, "
                 "\"Damaged database\")\n";
    return 2;
  } catch (const vigil::store::DatabaseInUse& e) {
    // Like a port in use: a setup mistake a restart will not mend.
    std::cerr << "vigild: " << e.what() << "\n";
    return 2;
  } catch (const vigil::store::StoreError& e) {
    std::cerr << "vigild: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "vigild: " << e.what() << "\n";
    return 1;
  }
}
