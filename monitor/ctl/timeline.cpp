// vigilctl timeline: one session of one chair as text (header + one line per item) or JSON
// lines, from vigild's database. The rendering rules are in store/timeline_text.hpp.
#include <iostream>

#include "ctl/commands.hpp"
#include "ctl/export_runner.hpp"
#include "store/timeline.hpp"
#include "store/timeline_text.hpp"

namespace vigil::ctl {

int run_timeline(const TimelineArgs& args) {
  const bool text = args.format == "text";
  if (!text && args.format != "jsonl")
    return bad_argument("unknown --format '" + args.format + "': use text or jsonl");
  if (args.bed.empty()) return bad_argument("--bed is required: name the chair (e.g. --bed CHAIR3)");

  bool found = true;
  int code = run_export(args.db, [&](LineOutput& out) -> std::size_t {
    auto session = store::find_session(args.db, args.bed, args.session);
    if (!session) {
      found = false;
      return 0;
    }
    store::TimelineTextRenderer renderer;
    if (text) out.lines(store::timeline_header(*session));
    std::size_t skipped =
        store::for_each_timeline_item(args.db, args.bed, *session, [&](const store::TimelineItem& item) {
          if (text) {
            out.lines(renderer.add(item));
          } else {
            out.line(store::timeline_jsonl(item));
          }
        });
    if (text) out.lines(renderer.finish());
    return skipped;
  });
  if (code != 0 || found) return code;
  std::cerr << "vigilctl: no session " << (args.session ? *args.session + " " : std::string()) << "for bed "
            << args.bed << " in " << args.db << '\n';
  return 1;
}

}  // namespace vigil::ctl
