#include "model/chair_record.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "common/vocabulary.hpp"

namespace vigil::dashboard {

namespace {

std::string whole(double v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, std::round(v), std::chars_format::fixed, 0);
  return std::string(buf, r.ec == std::errc() ? r.ptr : buf);
}

// The point of `line` at `t` (same instant), else nullptr: SYS, DIA and MAP of one
// measurement arrive together.
const TrendPoint* at_time(const std::vector<TrendPoint>& line, std::int64_t t) {
  auto it = std::lower_bound(line.begin(), line.end(), t,
                             [](const TrendPoint& p, std::int64_t x) { return p.t_ms < x; });
  return it != line.end() && it->t_ms == t ? &*it : nullptr;
}

// The last point of `line` at or before `t`, within `window_ms`.
const TrendPoint* before(const std::vector<TrendPoint>& line, std::int64_t t, std::int64_t window_ms) {
  auto it = std::upper_bound(line.begin(), line.end(), t,
                             [](std::int64_t x, const TrendPoint& p) { return x < p.t_ms; });
  if (it == line.begin()) return nullptr;
  --it;
  return t - it->t_ms <= window_ms ? &*it : nullptr;
}

}  // namespace

std::vector<RecordLine> chair_record(const ChairTrend& trend, const std::vector<HistoryEntry>& history,
                                     std::size_t max_lines) {
  std::vector<RecordLine> out;
  // Newest first, so only the newest `max_lines` of each source can appear.
  const std::size_t take = std::min(trend.sys.size(), max_lines);
  for (auto it = trend.sys.end() - static_cast<std::ptrdiff_t>(take); it != trend.sys.end(); ++it) {
    std::string text = "NIBP " + whole(it->value);
    if (const TrendPoint* d = at_time(trend.dia, it->t_ms)) text += "/" + whole(d->value);
    if (const TrendPoint* m = at_time(trend.map, it->t_ms)) text += " (" + whole(m->value) + ")";
    // HR of the minute before the cuff reading: what the heart did while it was measured
    // ("PR" where the pulse rate stood in for the ECG HR, as the HR cell says it).
    if (const TrendPoint* h = before(trend.hr, it->t_ms, 60'000))
      text += (h->from_pulse ? "  PR " : "  HR ") + whole(h->value);
    out.push_back({RecordLine::Reading, it->t_ms, std::move(text), {}, Priority::None});
  }
  for (const TrendMark& m : trend.marks)
    if (m.priority == Priority::None)
      out.push_back({RecordLine::Session, m.t_ms, "infusion " + m.label, {}, Priority::None});
  const std::size_t from = history.size() > max_lines ? history.size() - max_lines : 0;
  for (std::size_t i = from; i < history.size(); ++i) {
    const HistoryEntry& h = history[i];
    std::string text = word(h.rule) + " " + std::string(to_string(h.priority)) + " " + word(h.transition);
    if (!h.user.empty()) text += " by " + h.user;
    out.push_back({RecordLine::Alert, h.at_ms, std::move(text), h.text, h.priority});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const RecordLine& a, const RecordLine& b) { return a.at_ms > b.at_ms; });
  if (out.size() > max_lines) out.resize(max_lines);
  return out;
}

}  // namespace vigil::dashboard
