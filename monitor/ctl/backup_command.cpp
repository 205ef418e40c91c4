// vigilctl backup: a consistent copy of vigild's database while vigild runs and ingests,
// checked before it is kept (store/backup.hpp says how). Exit codes: 0 the copy is made and
// sound; 1 it could not be made (source unreadable, disk full, copy failed its check: no
// file is left); 2 bad arguments, including an --out that exists (a backup never replaces
// a file: it may be the only good copy).
//
//   $ vigilctl backup --db /var/lib/vigil/vigil.db --out /backup/vigil-2026-12-06.db
//   backup /backup/vigil-2026-12-06.db: 52428800 bytes, 12800 pages, 410233 readings, schema 7, integrity ok,
//   0.84 s
#include <CLI/CLI.hpp>

#include <chrono>
#include <cstdio>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>

#include "store/backup.hpp"

#include "ctl/default_db.hpp"

namespace vigil::ctl {

namespace {

struct BackupArgs {
  std::string db;
  std::string out;
};

int run(const BackupArgs& args) {
  // A duration for the operator, not a time of day.
  const auto started = std::chrono::steady_clock::now();
  try {
    const store::BackupSummary s = store::backup_database(args.db, args.out);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    char elapsed[32];
    std::snprintf(elapsed, sizeof elapsed, "%.2f s", seconds);
    std::cout << "backup " << args.out << ": " << s.bytes << " bytes, " << s.pages << " pages, " << s.readings
              << " readings, schema " << s.schema_version << ", integrity ok, " << elapsed << "\n";
    return 0;
  } catch (const store::BackupTargetExists& e) {
    std::cerr << "vigilctl: " << e.what() << "\n";
    return 2;
  } catch (const store::StoreError& e) {
    std::cerr << "vigilctl: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace

// Registers the subcommand; the returned function runs it if it was chosen (nullopt if not).
std::function<std::optional<int>()> add_backup(CLI::App& app) {
  auto args = std::make_shared<BackupArgs>();
  auto* cmd = app.add_subcommand(
      "backup", "Copy vigild's database while it runs; the copy is checked (integrity_check)");
  cmd->add_option("--db", args->db, kDbHelp);
  cmd->add_option("--out", args->out, "The copy to write; must not exist")->required();
  return [cmd, args]() -> std::optional<int> {
    if (!cmd->parsed()) return std::nullopt;
    return run(*args);
  };
}

}  // namespace vigil::ctl
