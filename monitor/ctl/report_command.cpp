#include "ctl/report_command.hpp"

#include <filesystem>
#include <iostream>

#include "common/wall_time.hpp"
#include "ctl/export_runner.hpp"
#include "report/render.hpp"
#include "report/report_queries.hpp"
#include "store/records.hpp"

namespace vigil::ctl {

int run_report(const ReportArgs& args) {
  const auto format = report::format_from_path(args.out);
  if (!format) return bad_argument("--out " + args.out + ": unknown extension: use .pdf, .png or .csv");
  if (!args.session && !(args.bed && args.latest)) {
    return bad_argument(args.bed ? "--bed needs --latest (or name the session with --session ID)"
                                 : "name the session: --session ID, or --bed CHAIR --latest");
  }
  report::ReportTarget target;
  target.session_id = args.session;
  target.bed = args.bed;
  report::ReportOptions options;
  options.now_ms = wall_now_ms();
  try {
    const report::ReportData data = report::gather(args.db, target, options);
    report::render_report(data, args.out, *format);
  } catch (const store::StoreError& e) {
    std::cerr << "vigilctl: cannot read database " << args.db << ": " << e.reason()
              << " (is vigild's --db path right?)\n";
    return 1;
  } catch (const report::ReportError& e) {
    std::cerr << "vigilctl: report: " << e.what() << '\n';
    return 1;
  }
  std::error_code ec;
  const auto absolute = std::filesystem::absolute(args.out, ec);
  std::cout << (ec ? args.out : absolute.string()) << '\n';
  return 0;
}

}  // namespace vigil::ctl
