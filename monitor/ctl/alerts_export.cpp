// vigilctl alerts: streams the alert log from vigild's database as JSON lines or CSV.
#include "ctl/commands.hpp"
#include "ctl/export_runner.hpp"
#include "store/alert_export.hpp"
#include "store/log_queries.hpp"

namespace vigil::ctl {

int run_alerts(const AlertsArgs& args) {
  store::AlertFilter filter;
  filter.bed = args.bed;
  if (!parse_since(args.since, filter.since_ms)) return 2;
  const bool csv = args.format == "csv";
  if (!csv && args.format != "jsonl")
    return bad_argument("unknown --format '" + args.format + "': use jsonl or csv");

  return run_export(args.db, [&](LineOutput& out) -> std::size_t {
    // The CSV header waits for the database to open, so an error prints nothing on stdout.
    bool header_written = !csv;
    auto header = [&] {
      if (!header_written) out.line(store::alert_csv_header());
      header_written = true;
    };
    store::for_each_alert(args.db, filter, [&](const proto::AlertEvent& alert) {
      header();
      out.line(csv ? store::alert_csv_row(alert) : store::alert_jsonl_row(alert));
    });
    header();
    return 0;
  });
}

}  // namespace vigil::ctl
