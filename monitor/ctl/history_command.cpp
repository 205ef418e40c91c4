#include "ctl/history_command.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <iostream>
#include <vector>

#include "common/json_lines.hpp"
#include "common/reading_marks.hpp"
#include "common/vocabulary.hpp"
#include "common/wall_time.hpp"
#include "stream.pb.h"

namespace vigil::ctl {

namespace {

std::string history_number(double v) {
  if (std::isnan(v)) return "--";  // a withdrawal that sent no value
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ec == std::errc() ? r.ptr : buf);
}

struct HistoryLine {
  std::int64_t at_ms;
  std::string text;
};

// Every item of `h` as one line of `format`, in time order (readings by arrival).
std::vector<HistoryLine> history_lines(const proto::ChairHistory& h, bool jsonl) {
  std::vector<HistoryLine> lines;
  for (const auto& r : h.readings()) {
    std::string text = jsonl ? to_json_line(reading_line(r, false))
                             : format_rfc3339(r.received_at_ms()) + "  reading  " + word(r.kind()) + " " +
                                   history_number(r.value()) + " " + r.unit() + reading_marks(r);
    lines.push_back({r.received_at_ms(), std::move(text)});
  }
  for (const auto& a : h.alerts()) {
    std::string text = jsonl ? to_json_line(alert_line(a, false))
                             : format_rfc3339(a.at_ms()) + "  alert    " + a.id() + " " +
                                   word(a.transition()) + " " + word(a.state()) + "  " + a.message() +
                                   (a.user().empty() ? "" : " (by " + a.user() + ")");
    lines.push_back({a.at_ms(), std::move(text)});
  }
  for (const auto& e : h.events()) {
    std::string text = jsonl ? to_json_line(session_line(e, false))
                             : format_rfc3339(e.at_ms()) + "  session  " + word(e.event()) + " " +
                                   e.session().session_id() +
                                   (e.user().empty() ? "" : " (by " + e.user() + ")");
    lines.push_back({e.at_ms(), std::move(text)});
  }
  std::stable_sort(lines.begin(), lines.end(),
                   [](const HistoryLine& a, const HistoryLine& b) { return a.at_ms < b.at_ms; });
  return lines;
}

void print_history(const proto::RequestResult& result, const std::string& bed, bool jsonl) {
  if (!result.ok()) {
    if (jsonl) std::cout << to_json_line(result_line(result, bed)) << std::endl;
    return;
  }
  const proto::ChairHistory& h = result.history();
  for (const auto& line : history_lines(h, jsonl)) std::cout << line.text << '\n';
  if (jsonl) {
    std::cout << "{\"type\":\"history\",\"bed\":" << json_quote(h.bed())
              << ",\"session_id\":" << json_quote(h.session_id()) << ",\"readings\":" << h.readings_size()
              << ",\"alerts\":" << h.alerts_size() << ",\"events\":" << h.events_size()
              << ",\"truncated\":" << (h.truncated() ? "true" : "false") << "}" << std::endl;
  } else {
    std::cout << "history " << h.bed() << " session " << (h.session_id().empty() ? "(none)" : h.session_id())
              << ": " << h.readings_size() << " readings, " << h.alerts_size() << " alert transitions, "
              << h.events_size() << " session events" << (h.truncated() ? " (truncated)" : "") << std::endl;
  }
}

}  // namespace

int run_history(const HistoryArgs& args) {
  if (args.format != "text" && args.format != "jsonl") {
    std::cerr << "vigilctl: bad --format '" << args.format << "': use text or jsonl\n";
    return 2;
  }
  proto::NurseRequest request;
  request.mutable_history()->set_session_id(args.session);
  request.set_bed(args.link.bed);
  const bool jsonl = args.format == "jsonl";
  const std::string bed = args.link.bed;
  return send_stream_request(args.link, request, [&bed, jsonl](const proto::RequestResult& result) {
    print_history(result, bed, jsonl);
    if (!result.ok()) std::cerr << "vigilctl: refused: " << result.reason() << "\n";
    return result.ok() ? 0 : 1;
  });
}

}  // namespace vigil::ctl
