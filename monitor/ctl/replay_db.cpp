#include "ctl/replay_db.hpp"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "alerts/alert_records.hpp"
#include "store/log_queries.hpp"
#include "store/reading_queries.hpp"

namespace vigil::ctl {

namespace {

using replay::FeedItem;
using Kind = alerts::SessionActionKind;

// The nurse action a logged session event records, if it is one.
std::optional<Kind> action_of(proto::SessionEventKind event) {
  switch (event) {
    case proto::begun: return Kind::Begin;
    case proto::baseline_overridden: return Kind::OverrideBaseline;
    case proto::infusion_started: return Kind::StartInfusion;
    case proto::infusion_paused: return Kind::PauseInfusion;
    case proto::infusion_resumed: return Kind::ResumeInfusion;
    case proto::infusion_stopped: return Kind::StopInfusion;
    case proto::ended: return Kind::End;
    default: return std::nullopt;
  }
}

// Bound on what one stored session may bring into memory (1 Hz numerics of HR, SpO2 and
// pulse over a day is about 260 000 readings); beyond it the replay refuses the session.
constexpr std::size_t kMaxItemsPerSession = 2'000'000;

struct Span {
  std::string bed;
  WallMillis begun = 0;
  std::optional<WallMillis> ended;
  replay::Feed feed;
};

}  // namespace

std::vector<replay::Feed> feeds_from_db(const std::string& path, const std::optional<std::string>& bed,
                                        std::optional<WallMillis> since_ms) {
  std::map<std::string, Span> sessions;  // by session id, in id order (bed + begin time)
  store::SessionFilter sf;
  sf.bed = bed;
  store::for_each_session_event(path, sf, [&](const proto::SessionEvent& e) {
    const std::string& id = e.session().session_id();
    auto kind = action_of(e.event());
    if (!kind) return;
    if (*kind == Kind::Begin) {
      if (since_ms && e.at_ms() < *since_ms) return;
      Span& s = sessions[id];
      s.bed = e.bed();
      s.begun = e.at_ms();
      s.feed.name = id;
      s.feed.bed = e.bed();
      s.feed.start_wall_ms = e.at_ms();
    }
    auto it = sessions.find(id);
    if (it == sessions.end()) return;
    Span& s = it->second;
    FeedItem item;
    item.kind = FeedItem::Kind::Nurse;
    item.at_ms = e.at_ms() - s.begun;
    item.action.bed = e.bed();
    item.action.kind = *kind;
    item.action.user = e.user().empty() ? "replay-nurse" : e.user();
    item.action.patient = e.session().patient();
    item.action.planned_minutes = e.session().planned_minutes();
    if (*kind == Kind::OverrideBaseline) {
      item.action.override_sys = e.session().baseline().sys_mmhg();
      item.action.override_dia = e.session().baseline().dia_mmhg();
    }
    if (*kind == Kind::End) s.ended = e.at_ms();
    s.feed.items.push_back(std::move(item));
  });
  // Named references, not a structured binding: clang 14 cannot capture those in a lambda.
  for (auto& entry : sessions) {
    const auto& id = entry.first;
    auto& s = entry.second;
    store::ReadingFilter rf;
    rf.bed = s.bed;
    // The store selects by arrival (Vigil's clock), the time the engine runs on; monitor data
    // just before the begin counts (T7: data seen).
    rf.since_ms = s.begun - 60'000;
    store::for_each_reading(path, rf, [&](const store::StoredReading& r) {
      const WallMillis at = r.reading.received_at_ms ? r.reading.received_at_ms : r.reading.measured_at_ms;
      if (at < s.begun - 60'000 || (s.ended && at > *s.ended)) return;
      if (s.feed.items.size() >= kMaxItemsPerSession)
        throw std::runtime_error("session " + id + " has more than " + std::to_string(kMaxItemsPerSession) +
                                 " readings: too large to replay");
      FeedItem item;
      item.kind = FeedItem::Kind::Reading;
      item.at_ms = at - s.begun;
      item.reading = r.reading;
      s.feed.items.push_back(std::move(item));
    });
    store::AlertFilter af;
    af.bed = s.bed;
    af.since_ms = s.begun;
    store::for_each_alert(path, af, [&](const proto::AlertEvent& a) {
      if (a.transition() != proto::acknowledged || (s.ended && a.at_ms() > *s.ended)) return;
      const auto rule = alerts::from_proto(a.rule());
      if (!rule) return;
      FeedItem item;
      item.kind = FeedItem::Kind::Ack;
      item.at_ms = a.at_ms() - s.begun;
      item.rule = *rule;
      item.user = a.user();
      s.feed.items.push_back(std::move(item));
    });
    std::stable_sort(s.feed.items.begin(), s.feed.items.end(),
                     [](const FeedItem& a, const FeedItem& b) { return a.at_ms < b.at_ms; });
    // Nothing before the feed's start: readings in the minute before the begin come first.
    const std::int64_t shift =
        s.feed.items.empty() ? 0 : std::min<std::int64_t>(0, s.feed.items.front().at_ms);
    for (FeedItem& item : s.feed.items) item.at_ms -= shift;
    s.feed.start_wall_ms += shift;
  }
  std::vector<replay::Feed> out;
  for (auto& [id, s] : sessions) out.push_back(std::move(s.feed));
  return out;
}

}  // namespace vigil::ctl
