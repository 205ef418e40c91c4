#include "store/chair_history.hpp"

#include <algorithm>
#include <map>

#include "store/reading_export.hpp"
#include "store/timeline.hpp"

namespace vigil::store {

namespace {

// Adds items while the caps allow; counts the first refusal as a cut.
class HistoryBuilder {
 public:
  HistoryBuilder(proto::ChairHistory& out, const HistoryLimits& limits) : out_(out), limits_(limits) {}

  void reading(const StoredReading& r, WallMillis since_ms) {
    if (r.reading.received_at_ms < since_ms) return;
    // Thinned, a withdrawal would leave a screen that connected late with the value it took back.
    if (!is_nibp(r.reading.kind) && !is_withdrawal(r.reading)) {
      // One per interval per kind: the trend's shape, not every beat.
      auto [it, fresh] = last_kept_.try_emplace(r.reading.kind, r.reading.received_at_ms);
      if (!fresh) {
        if (r.reading.received_at_ms - it->second < limits_.other_every_ms) return;
        it->second = r.reading.received_at_ms;
      }
    }
    proto::Reading p = to_stream_reading(r);
    if (out_.readings_size() >= static_cast<int>(limits_.max_readings) || !fits(p.ByteSizeLong()))
      return cut();
    *out_.add_readings() = std::move(p);
  }

  void alert(const proto::AlertEvent& a, WallMillis since_ms) {
    if (a.at_ms() < since_ms) return;
    if (out_.alerts_size() >= static_cast<int>(limits_.max_alerts) || !fits(a.ByteSizeLong())) return cut();
    *out_.add_alerts() = a;
  }

  void event(const proto::SessionEvent& e, WallMillis since_ms) {
    if (e.at_ms() < since_ms) return;
    if (out_.events_size() >= static_cast<int>(limits_.max_events) || !fits(e.ByteSizeLong())) return cut();
    *out_.add_events() = e;
  }

  bool done() const { return out_.truncated(); }

 private:
  // Each repeated entry costs its size plus a tag and a length prefix (a few bytes).
  bool fits(std::size_t size) {
    if (bytes_ + size + 8 > limits_.max_bytes) return false;
    bytes_ += size + 8;
    return true;
  }
  // Oldest first, so the answer stays a prefix of the truth: stop at the first cut.
  void cut() { out_.set_truncated(true); }

  proto::ChairHistory& out_;
  const HistoryLimits& limits_;
  std::size_t bytes_ = 0;
  std::map<VitalKind, WallMillis> last_kept_;
};

}  // namespace

proto::ChairHistory read_chair_history(const std::string& path, const HistoryQuery& query,
                                       const HistoryLimits& limits) {
  std::optional<TimelineSession> session =
      find_session(path, query.bed,
                   query.session_id.empty() ? std::nullopt : std::optional<std::string>(query.session_id));
  if (!session && !query.session_id.empty())
    throw HistoryRefused("no session " + query.session_id.substr(0, 128) + " for chair " +
                         query.bed.substr(0, 64));
  const bool has_session = session.has_value();
  if (!session) {
    // Never a session: the chair's recent readings and alerts, on the daemon's clock.
    session.emplace();
    session->from_ms = std::max<WallMillis>(0, query.now_ms - limits.no_session_window_ms);
  }
  TimelineSession window = *session;
  const WallMillis since = std::max(query.since_ms, window.from_ms);
  window.from_ms = since;

  proto::ChairHistory out;
  out.set_bed(query.bed);
  out.set_session_id(session->info.session_id());
  HistoryBuilder builder(out, limits);
  std::size_t items = 0;
  // The cursors run to the end even after a cut; the callbacks then add nothing. A cut
  // answer ends at its first refusal, so nothing later than that point is sent.
  for_each_timeline_item(path, query.bed, window, [&](const TimelineItem& item) {
    ++items;
    if (builder.done()) return;
    switch (item.kind) {
      case TimelineItem::Kind::Reading: builder.reading(*item.reading, since); break;
      case TimelineItem::Kind::Alert: builder.alert(*item.alert, since); break;
      case TimelineItem::Kind::Session: builder.event(*item.session_event, since); break;
    }
  });
  if (!has_session && items == 0)
    throw HistoryRefused("no history for chair " + query.bed.substr(0, 64) +
                         ": no session and no reading stored in the last " +
                         std::to_string(limits.no_session_window_ms / 60'000) + " min");
  return out;
}

}  // namespace vigil::store
