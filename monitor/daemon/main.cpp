// vigild: receives patient monitors, stores every reading, streams it to clients.
#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <sys/resource.h>

#include <iostream>

#include "daemon/daemon.hpp"
#include "store/store.hpp"

namespace {

// Each monitor is a socket; the default limit of 1024 descriptors would cap a large clinic
// long before memory does.
void raise_file_limit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

}  // namespace

int main(int argc, char** argv) {
  using vigil::daemon::ConfigError;
  // Logs go to stderr; stdout carries only the `listening ...` line scripts read.
  spdlog::set_default_logger(spdlog::stderr_color_mt("vigild"));
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");

  CLI::App app{"vigild: Vigil's monitoring daemon"};
  std::string hl7_listen, stream_listen, db, config;
  std::string log_level = "info";
  app.add_option("--hl7-listen", hl7_listen, "HL7/MLLP listen address HOST:PORT (default 127.0.0.1:2575; port 0 picks one)");
  app.add_option("--stream-listen", stream_listen, "Client stream listen address HOST:PORT (default 127.0.0.1:7420)");
  app.add_option("--db", db, "SQLite database file (default ./vigil.db)");
  app.add_option("--config", config, "Config file (protobuf text format, see docs/configuration.md)");
  std::vector<std::string> serial_specs;
  app.add_option("--serial", serial_specs,
                 "Serial monitor BED=DEVICE[,baud=19200][,protocol=datex-s5]; repeatable; replaces the config file's serial list");
  double time_scale = 1.0;
  bool demo = false;
  app.add_option("--time-scale", time_scale,
                 "DEMO AND TESTING ONLY: run every timer N times faster, to match vigil-sim --time-scale (needs --demo)");
  app.add_flag("--demo", demo, "Allow demo-only settings such as --time-scale; never on a real clinic floor");
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error")->capture_default_str();
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

  try {
    vigil::daemon::Settings settings;
    if (!config.empty()) vigil::daemon::load_config_file(config, settings);
    if (!hl7_listen.empty()) settings.hl7_listen = vigil::daemon::parse_listen_address(hl7_listen, "--hl7-listen");
    if (!stream_listen.empty())
      settings.stream_listen = vigil::daemon::parse_listen_address(stream_listen, "--stream-listen");
    if (!db.empty()) settings.db_path = db;
    if (!serial_specs.empty()) {
      settings.serials.clear();
      for (const auto& text : serial_specs) settings.serials.push_back(vigil::daemon::parse_serial_spec(text));
      vigil::daemon::check_serial_specs_unique(settings.serials);
    }

    if (time_scale != 1.0) {
      if (!demo) throw ConfigError("--time-scale is for demos and tests only: add --demo to use it");
      if (!(time_scale > 0 && time_scale <= 10000)) throw ConfigError("--time-scale must be in (0, 10000]");
      settings.time_scale = time_scale;
      spdlog::warn("DEMO MODE: time runs {}x faster; alarm delays are not real time", time_scale);
    }
    raise_file_limit();
    vigil::daemon::Daemon daemon(settings);
    std::cout << "listening hl7=" << vigil::daemon::to_string(daemon.addresses().hl7)
              << " stream=" << vigil::daemon::to_string(daemon.addresses().stream) << std::endl;
    return daemon.run();
  } catch (const ConfigError& e) {
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
