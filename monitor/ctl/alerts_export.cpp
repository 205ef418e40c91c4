// vigilctl alerts: streams the alert log from vigild's database as JSON lines or CSV.
#include <iostream>

#include "common/wall_time.hpp"
#include "ctl/commands.hpp"
#include "store/alert_export.hpp"
#include "store/log_queries.hpp"

namespace vigil::ctl {

namespace {

// Thrown from the row callback to stop reading when stdout is gone (closed pipe, full disk).
struct OutputFailed {};

}  // namespace

int run_alerts(const AlertsArgs& args) {
  store::AlertFilter filter;
  filter.bed = args.bed;
  if (args.since) {
    filter.since_ms = parse_time_arg(*args.since);
    if (!filter.since_ms) {
      std::cerr << "vigilctl: bad --since '" << *args.since
                << "': use RFC 3339 (2026-11-21T10:00:00Z), a date (2026-11-21) or epoch "
                   "milliseconds\n";
      return 2;
    }
  }
  bool csv = args.format == "csv";
  if (!csv && args.format != "jsonl") {
    std::cerr << "vigilctl: unknown --format '" << args.format << "': use jsonl or csv\n";
    return 2;
  }

  // The CSV header waits for the database to open, so an error prints nothing on stdout.
  bool header_written = !csv;
  auto write_header = [&] {
    if (header_written) return;
    std::cout << store::alert_csv_header() << '\n';
    header_written = true;
  };
  try {
    store::for_each_alert(args.db, filter, [&](const proto::AlertEvent& alert) {
      write_header();
      std::cout << (csv ? store::alert_csv_row(alert) : store::alert_jsonl_row(alert)) << '\n';
      if (!std::cout) throw OutputFailed{};
    });
    write_header();
    std::cout.flush();
  } catch (const store::StoreError& e) {
    std::cout.flush();
    std::cerr << "vigilctl: cannot read database " << args.db << ": " << e.reason()
              << " (is vigild's --db path right?)\n";
    return 1;
  } catch (const OutputFailed&) {
    std::cerr << "vigilctl: cannot write the output: stopped\n";
    return 1;
  }
  if (!std::cout) {
    std::cerr << "vigilctl: cannot write the output\n";
    return 1;
  }
  return 0;
}

}  // namespace vigil::ctl
