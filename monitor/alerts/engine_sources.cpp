// Which devices feed which chair: T1's sources (with their cadence), T7's shared monitors, and
// each device's stamp order (late readings). Split from alert_engine.cpp to keep files small.
#include "alerts/alert_engine.hpp"

#include <algorithm>
#include <cmath>

#include "alerts/bed_state.hpp"
#include "alerts/bp_rules.hpp"
#include "alerts/format.hpp"
#include "alerts/technical_rules.hpp"

namespace vigil::alerts {

void AlertEngine::note_source(BedState& bed, const std::string& source, MonoTime now, SourceData data,
                              std::optional<bool> names_device, WallMillis stamp) {
  const std::string src = clip(source, limits_.max_text);
  for (SourceSeen& s : bed.sources) {
    if (s.stand_in) s.last_seen = now;  // any device's data counts for the stand-in
  }
  SourceSeen* seen = bed.named_source(src);
  // Beyond the bound a further device is not watched by T1 (its data still counts).
  if (seen == nullptr && bed.sources.size() < BedState::kMaxSources) {
    bed.sources.push_back(SourceSeen{.source = src, .last_seen = now, .message_at = now});
    seen = &bed.sources.back();
    // A device back after it was forgotten keeps its stamp order (bed_state.hpp).
    auto past = std::find_if(bed.past_orders.begin(), bed.past_orders.end(),
                             [&](const auto& p) { return p.first == src; });
    if (past != bed.past_orders.end()) {
      seen->order = past->second;
      bed.past_orders.erase(past);
    }
  }
  if (seen != nullptr) {
    seen->settle(now);
    if (now != seen->message_at) {
      seen->previous_new_cuff = seen->message_nibp;
      seen->message_at = now;
      seen->message_vitals = seen->message_nibp = seen->message_resent_nibp = false;
    }
    seen->last_seen = now;
    if (names_device) seen->names_device = *names_device;
    if (data == SourceData::Nibp && stamp != 0) {
      if (stamp == seen->nibp_stamp && seen->nibp_stamp_at != now) {
        data = SourceData::Resent;  // the last result again: neither a cuff nor a vital
      } else {
        seen->nibp_stamp = stamp;
        seen->nibp_stamp_at = now;
      }
    }
    switch (data) {
      case SourceData::Nibp: seen->message_nibp = true; break;
      case SourceData::Vital: seen->message_vitals = true; break;
      case SourceData::Heartbeat: seen->continuous = true; break;
      case SourceData::Resent: seen->message_resent_nibp = true; break;
      case SourceData::Withdrawal: break;
    }
  }
  // What kind of monitor the chair has, for the next session's T7 too.
  bed.monitor_streams = std::any_of(bed.sources.begin(), bed.sources.end(),
                                    [](const SourceSeen& s) { return !s.stand_in && s.continuous; });
}

std::optional<StampOrder::Late> AlertEngine::late_by(BedState& bed, const Reading& r, Now now,
                                                     WallMillis received) {
  SourceSeen* seen = bed.named_source(std::string_view(r.source).substr(0, limits_.max_text));
  if (seen == nullptr) return std::nullopt;  // beyond the chair's bound of watched devices
  const auto arrived = std::chrono::duration_cast<std::chrono::milliseconds>(now.mono.time_since_epoch());
  return seen->order.add(r.kind, arrived.count(), received, r.measured_at_ms);
}

void AlertEngine::late_reading(BedState& bed, const Reading& r, StampOrder::Late late, WallMillis received,
                               Now now, ReadingResult& res) {
  res.verified = false;
  res.late = true;
  std::int64_t age = 0;
  if (__builtin_sub_overflow(received, r.measured_at_ms, &age)) age = late.by_ms;
  res.reason =
      "measured " + skew_text(age) + " before it arrived and " + skew_text(late.by_ms) +
      (late.delayed ? " later than this monitor's results of its kind usually arrive: a delayed result "
                      "(a backlog after an outage)"
                    : " before this monitor's newest reading of its kind: an old result sent again") +
      ", kept in the record, not judged and not shown as current";
  // Never blind: a late cuff result that would meet P1 may be a current one from a monitor
  // whose clock just stepped back (the stamps look an hour old until the new timeline is
  // learned, kRelearnAfterMs). It is not taken as current, but T5 asks for the repeat now and
  // says what is at stake; the repeat, judged once the timeline is learned, decides.
  if (r.kind == VitalKind::NibpSys && r.valid && std::isfinite(r.value))
    bed.last_late_sys = std::make_pair(now.mono, r.value);
  const RuleProfile& p = profile_for(bed);
  const auto part = [&](VitalKind kind) {
    return r.valid && r.kind == kind && std::isfinite(r.value) ? std::optional<double>(r.value)
                                                               : std::nullopt;
  };
  if (const std::string stake = p1_at_stake(p, part(VitalKind::NibpSys), part(VitalKind::NibpDia));
      !stake.empty()) {
    Emit emit = emit_for(bed, now, res);
    t5_plausibility(bed, p, "NIBP",
                    "a result measured " + skew_text(age) + " before it arrived, not taken as current; " +
                        stake + " if it is (a monitor clock set back?): repeat NIBP now",
                    r.value, emit);
  }
  finish_reading(bed, res);
}

bool AlertEngine::spot_value(const BedState& bed, const std::string& source) const {
  const SourceSeen* s = bed.named_source(std::string_view(source).substr(0, limits_.max_text));
  // Vitals in this message beside a cuff's result, or in an earlier one; never once it streams.
  // Values before the result in its first such message are judged again when it comes
  // (respot_vitals).
  return s != nullptr && !s->continuous && (s->spot_check || (s->message_nibp && s->message_vitals));
}

std::map<std::string, int, std::less<>> AlertEngine::sources_in_sessions(MonoTime now) const {
  std::map<std::string, int, std::less<>> count;
  for (const auto& [name, bed] : beds_) {
    if (!bed->session) continue;
    const Duration window = profile_for(*bed).t7.shared_window;
    for (const SourceSeen& s : bed->sources) {
      if (!s.source.empty() && !s.stand_in && s.names_device && now - s.last_seen <= window)
        ++count[s.source];
    }
  }
  return count;
}

std::vector<std::string> AlertEngine::shared_sources(
    const BedState& bed, MonoTime now, const std::map<std::string, int, std::less<>>& in_sessions) const {
  std::vector<std::string> shared;
  if (!bed.session || !bed.pre_infusion()) return shared;
  const Duration window = profile_for(bed).t7.shared_window;
  for (const SourceSeen& mine : bed.sources) {
    if (mine.source.empty() || mine.stand_in || !mine.names_device || now - mine.last_seen > window) continue;
    auto it = in_sessions.find(mine.source);
    if (it != in_sessions.end() && it->second >= 2) shared.push_back(mine.source);
  }
  return shared;
}

}  // namespace vigil::alerts
