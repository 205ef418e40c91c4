// vigilctl readings: streams stored readings from vigild's database as JSON lines or CSV.
#include "ctl/commands.hpp"
#include "ctl/export_runner.hpp"
#include "store/reading_export.hpp"
#include "store/reading_queries.hpp"

namespace vigil::ctl {

int run_readings(const ReadingsArgs& args) {
  store::ReadingFilter filter;
  filter.bed = args.bed;
  if (!parse_since(args.since, filter.since_ms)) return 2;
  const bool csv = args.format == "csv";
  if (!csv && args.format != "jsonl")
    return bad_argument("unknown --format '" + args.format + "': use jsonl or csv");

  return run_export(args.db, [&](LineOutput& out) {
    // The CSV header waits for the database to open, so an error prints nothing on stdout.
    bool header_written = !csv;
    auto header = [&] {
      if (!header_written) out.line(store::csv_header());
      header_written = true;
    };
    std::size_t skipped = store::for_each_reading(args.db, filter, [&](const store::StoredReading& row) {
      header();
      out.line(csv ? store::csv_row(row) : store::jsonl_row(row));
    });
    header();
    return skipped;
  });
}

}  // namespace vigil::ctl
