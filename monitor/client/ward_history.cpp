// The ward model's history side: alert history lines, and merging a chair's stored history
// (NurseRequest.history, answered with a ChairHistory) into what live events already gave.
//
// A screen that connected late has only the snapshot's latest values; the stored history
// fills the trend and record back to the session's start. Live events keep arriving while
// the answer is on its way, so the merge is by key, never by "append": a reading is the same
// reading when its row id (or, for one never stored, its arrival instant on that line)
// matches; an alert transition when its id, time and state match. Every line stays in time
// order and within the model's bounds (ward_model.hpp), the oldest dropped first.
#include <algorithm>
#include <set>
#include <tuple>

#include "client/ward_model.hpp"
#include "client/ward_time.hpp"
#include "common/vocabulary.hpp"

namespace vigil::client {

namespace {

constexpr std::size_t kMaxHistoryPending = 64;

std::int64_t arrival_ms(const proto::Reading& r) {
  return sane_ms(r.received_at_ms() != 0 ? r.received_at_ms() : r.measured_at_ms());
}

// Adds the valid readings from `history` that `on_line(reading, arrival)` accepts to `line`
// unless already there.
template <class OnLine>
void merge_trend_line(std::vector<TrendPoint>& line, const proto::ChairHistory& history, OnLine on_line,
                      std::size_t cap) {
  std::set<std::uint64_t> ids;
  std::set<std::int64_t> times;
  for (const TrendPoint& p : line) {
    if (p.reading_id != 0) ids.insert(p.reading_id);
    times.insert(p.t_ms);
  }
  bool added = false;
  for (const proto::Reading& r : history.readings()) {
    const std::int64_t t = arrival_ms(r);
    if (!r.valid() || !on_line(r, t)) continue;
    if ((r.id() != 0 && ids.count(r.id())) || times.count(t)) continue;
    line.push_back(
        {t, r.value(), r.id(), r.kind() == proto::PULSE, source_hash(r.source()), r.measured_at_ms()});
    times.insert(t);
    added = true;
  }
  if (!added) return;
  std::stable_sort(line.begin(), line.end(),
                   [](const TrendPoint& a, const TrendPoint& b) { return a.t_ms < b.t_ms; });
  if (line.size() > cap) line.erase(line.begin(), line.end() - static_cast<std::ptrdiff_t>(cap));
}

auto of_kind(proto::VitalKind kind) {
  return [kind](const proto::Reading& r, std::int64_t) { return r.kind() == kind; };
}

// The HR line by the live rule (apply_reading): the ECG HRs, and the pulse rates no valid ECG
// HR preceded within `after_ms`. Judged against every ECG HR this screen knows, the history's
// and the live ones, so a live pulse point drawn before the history showed an ECG HR just
// before it is taken off again: the merged line does not depend on what arrived first.
void merge_hr_line(std::vector<TrendPoint>& line, const proto::ChairHistory& history, std::int64_t after_ms,
                   std::size_t cap) {
  std::vector<std::int64_t> ecg;  // arrivals of valid ECG HRs, sorted
  for (const TrendPoint& p : line)
    if (!p.from_pulse) ecg.push_back(p.t_ms);
  for (const proto::Reading& r : history.readings())
    if (r.kind() == proto::HR && r.valid()) ecg.push_back(arrival_ms(r));
  std::sort(ecg.begin(), ecg.end());
  const auto counts = [&](std::int64_t t) {
    const auto after = std::upper_bound(ecg.begin(), ecg.end(), t);  // the first ECG HR later than t
    const std::optional<std::int64_t> last =
        after == ecg.begin() ? std::nullopt : std::optional<std::int64_t>(*(after - 1));
    return pulse_counts_as_hr(last, t, after_ms);
  };
  std::erase_if(line, [&](const TrendPoint& p) { return p.from_pulse && !counts(p.t_ms); });
  merge_trend_line(
      line, history,
      [&](const proto::Reading& r, std::int64_t t) {
        return r.kind() == proto::HR || (r.kind() == proto::PULSE && counts(t));
      },
      cap);
}

HistoryEntry history_entry_of(const proto::AlertEvent& e) {
  return {sane_ms(e.at_ms()),
          e.id(),
          e.rule(),
          to_view(e.priority()),
          e.transition(),
          e.state(),
          display_text(e.message()),
          !e.user().empty() ? e.user() : e.acknowledged_by()};
}

}  // namespace

void WardModel::add_history_entry(Bed& b, const proto::AlertEvent& e) {
  const HistoryEntry h = history_entry_of(e);
  // A snapshot repeats the last transition of each active alert: record it once.
  const bool seen = std::any_of(
      b.history.rbegin(), b.history.rbegin() + std::min<std::size_t>(b.history.size(), 64),
      [&](const HistoryEntry& x) { return x.id == h.id && x.at_ms == h.at_ms && x.state == h.state; });
  if (seen) return;
  if (b.history.size() >= kMaxHistoryPerChair) b.history.pop_front();
  b.history.push_back(h);
  if (e.transition() == proto::raised && b.trend.marks.size() < kMaxTrendPoints)
    b.trend.marks.push_back({sane_ms(e.onset_ms() ? e.onset_ms() : e.at_ms()), word(e.rule()), h.priority});
}

void WardModel::on_history_requested(std::uint64_t request_id, const std::string& bed_name) {
  Bed* b = bed(bed_name);
  if (!b) return;
  if (history_pending_.size() >= kMaxHistoryPending) history_pending_.erase(history_pending_.begin());
  history_pending_[request_id] = bed_name;
  b->history_load = {HistoryLoad::Loading, {}, 0, false};
}

HistoryStatus WardModel::history_status(const std::string& bed_name) const {
  auto it = beds_.find(bed_name);
  return it == beds_.end() ? HistoryStatus{} : it->second.history_load;
}

bool WardModel::on_history_result(const proto::RequestResult& result) {
  auto it = history_pending_.find(result.request_id());
  if (it == history_pending_.end()) return false;
  const std::string name = it->second;
  history_pending_.erase(it);
  auto b = beds_.find(name);
  if (b == beds_.end()) return true;
  HistoryStatus& status = b->second.history_load;
  if (!result.ok()) {
    status = {HistoryLoad::Refused, result.reason().substr(0, 256), 0, false};
    return true;
  }
  const proto::ChairHistory& h = result.history();
  // Another session's history (the chair began a new one meanwhile) would mix two trends.
  if (!h.session_id().empty() && !b->second.trend_session.empty() &&
      h.session_id() != b->second.trend_session) {
    status = {HistoryLoad::Refused, "history of an earlier session: not shown", 0, false};
    return true;
  }
  merge_history(b->second, h);
  status = {HistoryLoad::Loaded, {}, static_cast<std::size_t>(h.readings_size()), h.truncated()};
  return true;
}

void WardModel::merge_history(Bed& b, const proto::ChairHistory& h) {
  merge_trend_line(b.trend.sys, h, of_kind(proto::NIBP_SYS), kMaxNibpTrendPoints);
  merge_trend_line(b.trend.dia, h, of_kind(proto::NIBP_DIA), kMaxNibpTrendPoints);
  merge_trend_line(b.trend.map, h, of_kind(proto::NIBP_MEAN), kMaxNibpTrendPoints);
  merge_hr_line(b.trend.hr, h, b.hr_from_pulse_after_ms, kMaxTrendPoints);
  // What the history's withdrawals took back leaves the merged lines too.
  for (const proto::Reading& r : h.readings()) {
    if (r.withdrawn()) withdraw(b, r);
  }
  for (const proto::Reading& r : h.readings()) {
    const std::int64_t t = arrival_ms(r);
    if (r.kind() == proto::HR && r.valid() && (!b.last_ecg_hr_ms || t > *b.last_ecg_hr_ms))
      b.last_ecg_hr_ms = t;
  }

  using Key = std::tuple<std::string, std::int64_t, proto::AlertState>;
  std::set<Key> seen;
  for (const HistoryEntry& x : b.history) seen.insert({x.id, x.at_ms, x.state});
  std::vector<HistoryEntry> merged(b.history.begin(), b.history.end());
  std::vector<TrendMark> marks = b.trend.marks;
  for (const proto::AlertEvent& e : h.alerts()) {
    HistoryEntry entry = history_entry_of(e);
    if (!seen.insert({entry.id, entry.at_ms, entry.state}).second) continue;
    if (e.transition() == proto::raised)
      marks.push_back({sane_ms(e.onset_ms() ? e.onset_ms() : e.at_ms()), word(e.rule()), entry.priority});
    merged.push_back(std::move(entry));
  }
  std::stable_sort(merged.begin(), merged.end(),
                   [](const HistoryEntry& x, const HistoryEntry& y) { return x.at_ms < y.at_ms; });
  if (merged.size() > kMaxHistoryPerChair)
    merged.erase(merged.begin(), merged.end() - static_cast<std::ptrdiff_t>(kMaxHistoryPerChair));
  b.history.assign(merged.begin(), merged.end());
  std::stable_sort(marks.begin(), marks.end(),
                   [](const TrendMark& x, const TrendMark& y) { return x.t_ms < y.t_ms; });
  if (marks.size() > kMaxTrendPoints)
    marks.erase(marks.begin(), marks.end() - static_cast<std::ptrdiff_t>(kMaxTrendPoints));
  b.trend.marks = std::move(marks);
}

}  // namespace vigil::client
