// vigilctl timeline: one session of one chair as text (header + one line per item) or JSON
// lines, from vigild's database. The rendering rules are in store/timeline_text.hpp.
#include <iostream>

#include "ctl/commands.hpp"
#include "store/timeline.hpp"
#include "store/timeline_text.hpp"

namespace vigil::ctl {

namespace {

// Thrown from the item callback to stop reading when stdout is gone.
struct OutputFailed {};

void print(const std::vector<std::string>& lines) {
  for (const std::string& l : lines) std::cout << l << '\n';
  if (!std::cout) throw OutputFailed{};
}

}  // namespace

int run_timeline(const TimelineArgs& args) {
  bool text = args.format == "text";
  if (!text && args.format != "jsonl") {
    std::cerr << "vigilctl: unknown --format '" << args.format << "': use text or jsonl\n";
    return 2;
  }
  if (args.bed.empty()) {
    std::cerr << "vigilctl: --bed is required: name the chair (e.g. --bed CHAIR3)\n";
    return 2;
  }
  std::size_t skipped = 0;
  try {
    auto session = store::find_session(args.db, args.bed, args.session);
    if (!session) {
      if (args.session) {
        std::cerr << "vigilctl: no session " << *args.session << " for bed " << args.bed
                  << " in " << args.db << '\n';
      } else {
        std::cerr << "vigilctl: no session for bed " << args.bed << " in " << args.db << '\n';
      }
      return 1;
    }
    store::TimelineTextRenderer renderer;
    if (text) print(store::timeline_header(*session));
    skipped = store::for_each_timeline_item(
        args.db, args.bed, *session, [&](const store::TimelineItem& item) {
          if (text) {
            print(renderer.add(item));
          } else {
            print({store::timeline_jsonl(item)});
          }
        });
    if (text) print(renderer.finish());
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
  if (skipped > 0) {
    std::cerr << "vigilctl: skipped " << skipped
              << " readings of kinds this vigilctl does not know (update vigilctl)\n";
  }
  return 0;
}

}  // namespace vigil::ctl
