// vigilctl: the command line for clinic IT. Watches vigild's stream and exports what it stored.
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <iostream>

#include "ctl/commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"vigilctl: watch Vigil's live stream and export its records"};
  app.require_subcommand(1);

  vigil::ctl::WatchArgs watch;
  if (const char* user = std::getenv("USER")) watch.user = user;
  auto* watch_cmd = app.add_subcommand("watch", "Print stream events as JSON lines");
  watch_cmd->add_option("--connect", watch.connect, "vigild stream address HOST:PORT")
      ->capture_default_str();
  watch_cmd->add_option("--bed", watch.bed, "Only this chair");
  watch_cmd->add_option("--user", watch.user, "User name sent to vigild");
  watch_cmd->add_flag("--reconnect", watch.reconnect, "Keep reconnecting when the link drops");

  vigil::ctl::ReadingsArgs readings;
  auto* readings_cmd = app.add_subcommand("readings", "Export stored readings");
  readings_cmd->add_option("--db", readings.db, "vigild's database file")->required();
  readings_cmd->add_option("--bed", readings.bed, "Only this chair");
  readings_cmd->add_option("--since", readings.since,
                           "Only readings measured at or after this time (2026-11-21T10:00:00Z)");
  readings_cmd->add_option("--format", readings.format, "jsonl or csv")
      ->check(CLI::IsMember({"jsonl", "csv"}))
      ->capture_default_str();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() != 0) {
      std::cerr << "vigilctl: " << e.what() << " (see vigilctl --help)\n";
      return 2;
    }
    return app.exit(e);
  }

  if (*watch_cmd) return vigil::ctl::run_watch(watch);
  if (*readings_cmd) return vigil::ctl::run_readings(readings);
  return 2;
}
