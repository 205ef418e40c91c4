#include "ctl/export_runner.hpp"

#include <iostream>

#include "common/wall_time.hpp"
#include "store/records.hpp"

namespace vigil::ctl {

namespace {
// Thrown from a row callback to stop reading when stdout is gone (closed pipe, full disk).
struct OutputFailed {};
}  // namespace

bool parse_since(const std::optional<std::string>& since, std::optional<WallMillis>& out) {
  if (!since) return true;
  out = parse_time_arg(*since);
  if (out) return true;
  bad_argument("bad --since '" + *since +
               "': use RFC 3339 (2026-11-21T10:00:00Z), a date (2026-11-21) or epoch milliseconds");
  return false;
}

void LineOutput::line(const std::string& text) {
  std::cout << text << '\n';
  if (!std::cout) throw OutputFailed{};
}

void LineOutput::lines(const std::vector<std::string>& texts) {
  for (const std::string& t : texts) line(t);
}

int bad_argument(const std::string& message) {
  std::cerr << "vigilctl: " << message << '\n';
  return 2;
}

int run_export(const std::string& db, const std::function<std::size_t(LineOutput& out)>& body) {
  LineOutput out;
  std::size_t skipped = 0;
  try {
    skipped = body(out);
    std::cout.flush();
  } catch (const store::StoreError& e) {
    std::cout.flush();
    std::cerr << "vigilctl: cannot read database " << db << ": " << e.reason()
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
