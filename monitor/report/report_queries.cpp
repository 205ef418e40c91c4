#include "report/report_queries.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <tuple>

#include "common/vocabulary.hpp"
#include "store/log_queries.hpp"
#include "store/read_connection.hpp"
#include "store/schema.hpp"
#include "store/sqlite_handle.hpp"
#include "store/timeline.hpp"

namespace vigil::report {

namespace {

// The chair a session id belongs to; nullopt when the log has no such session.
std::optional<std::string> bed_of_session(const std::string& path, const std::string& id) {
  store::ReadConnection c = store::open_for_reading(path);
  if (c.version < store::kFirstLogSchemaVersion) return std::nullopt;
  try {
    store::sqlite::Statement s(*c.db,
                               "SELECT bed FROM session_log WHERE session_id = ?1 ORDER BY id LIMIT 1");
    s.bind(1, id);
    if (!s.step()) return std::nullopt;
    return s.column_text(0);
  } catch (const store::sqlite::Error& e) {
    throw store::StoreError(store::kReadAction, path, e.what());
  }
}

store::TimelineSession find(const std::string& path, const ReportTarget& target) {
  const bool by_id = target.session_id && !target.session_id->empty();
  if (!by_id && !(target.bed && !target.bed->empty()))
    throw ReportError("name a session (--session ID) or a chair (--bed CHAIR --latest)");
  std::string bed;
  if (by_id) {
    auto owner = bed_of_session(path, *target.session_id);
    if (!owner) throw ReportError("no session " + *target.session_id + " in " + path);
    if (target.bed && !target.bed->empty() && *target.bed != *owner)
      throw ReportError("session " + *target.session_id + " belongs to " + *owner + ", not " + *target.bed);
    bed = *owner;
  } else {
    bed = *target.bed;
  }
  auto session = store::find_session(path, bed, by_id ? target.session_id : std::nullopt);
  if (!session) throw ReportError("no session for bed " + bed + " in " + path);
  return *session;
}

const alerts::RuleProfile& profile_for(const std::string& name, const ReportOptions& options,
                                       std::string& note) {
  static const alerts::RuleProfile kDefault{};
  const std::string wanted = name.empty() ? "default" : name;
  for (const auto& p : options.profiles) {
    if (p.name == wanted) {
      note = "profile " + wanted;
      return p;
    }
  }
  note = wanted == "default" ? "profile default (built-in limits)"
                             : "profile " + wanted + " not known here: built-in default limits shown";
  return kDefault;
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

bool counts(const store::StoredReading& r) { return r.reading.valid && (!r.context || r.context->verified); }

// A value its device took back later (OBX-11 D/W: the same device, kind and measurement
// time; a NIBP part takes back its whole measurement, as the engine judges it) is no part of
// the chart; a value sent again after the withdrawal (a correction with the same stamp) is.
// The withdrawals come after their values in the timeline, so they are read first: each key
// with the row id of its last withdrawal. Bounded: beyond kMaxWithdrawals in one session (a
// device withdrawing every value it sent) the rest of its withdrawn values count as sent.
constexpr std::size_t kMaxWithdrawals = 10'000;
using ValueKey = std::tuple<std::string, VitalKind, WallMillis>;

std::map<ValueKey, std::uint64_t> withdrawals(const std::string& db_path,
                                              const store::TimelineSession& session) {
  std::map<ValueKey, std::uint64_t> out;
  store::for_each_timeline_item(db_path, session.info.bed(), session, [&](const store::TimelineItem& item) {
    if (item.kind != store::TimelineItem::Kind::Reading || out.size() >= kMaxWithdrawals) return;
    const store::StoredReading& row = *item.reading;
    const Reading& r = row.reading;
    if (!is_withdrawal(r) || r.measured_at_ms == 0) return;
    for (const VitalKind kind : kAllVitalKinds) {
      if (withdrawal_takes(r.kind, kind)) {
        std::uint64_t& last = out[{r.source, kind, r.measured_at_ms}];
        last = std::max(last, row.id);
      }
    }
  });
  return out;
}

bool withdrawn(const std::map<ValueKey, std::uint64_t>& by, const store::StoredReading& row) {
  auto it = by.find({row.reading.source, row.reading.kind, row.reading.measured_at_ms});
  return it != by.end() && row.id < it->second;
}

// The nurse actions of the session's own record (begin, start, stop, overrides, end).
void session_actions(const proto::SessionInfo& info, std::vector<ActionEntry>& out) {
  for (const auto& a : info.actions()) out.push_back({a.at_ms(), a.user(), word(a.action()), a.detail()});
}

}  // namespace

std::vector<Threshold> thresholds_of(const alerts::RuleProfile& p) {
  std::vector<Threshold> out;
  auto pair = [&](bool enabled, const alerts::SysDia& limit, const char* rule) {
    if (!enabled) return;
    out.push_back({VitalKind::NibpSys, limit.sys_mmhg, rule});
    out.push_back({VitalKind::NibpDia, limit.dia_mmhg, rule});
  };
  pair(p.p4.enabled, p.p4.alarm, "P4");
  pair(p.p2.enabled, p.p2.alarm, "P2");
  pair(p.p1.enabled, p.p1.alarm, "P1");
  std::stable_sort(out.begin(), out.end(), [](const Threshold& a, const Threshold& b) {
    if (a.kind != b.kind) return a.kind == VitalKind::NibpSys;
    return a.limit_mmhg < b.limit_mmhg;
  });
  return out;
}

std::string discharge_criteria_text(const alerts::RuleProfile& p) {
  const auto& r = p.recovery;
  const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(r.min_after_stop).count();
  return ">= " + std::to_string(minutes) + " min after the infusion stopped, " + std::to_string(r.readings) +
         " readings with SBP <= baseline+" + number(r.sys_over_baseline_mmhg) + " or below " +
         number(r.absolute.sys_mmhg) + "/" + number(r.absolute.dia_mmhg) + ", no unacknowledged alarm";
}

ReportData gather(const std::string& db_path, const ReportTarget& target, const ReportOptions& options) {
  const store::TimelineSession session = find(db_path, target);
  ReportData d;
  d.session = session.info;
  d.from_ms = session.from_ms;
  d.open = !session.until_ms;
  // An open session ends "now" on its own clock: the reader's may be behind the daemon's
  // (a --time-scale demo), and the trend and exposure must span what was logged.
  d.until_ms = session.until_ms.value_or(std::max({options.now_ms, session.from_ms, session.last_record_ms}));
  d.generated_at_ms = options.now_ms;
  const alerts::RuleProfile& profile = profile_for(d.session.profile(), options, d.profile_note);
  const std::vector<Threshold> thresholds = thresholds_of(profile);
  auto only = [&](VitalKind k) {
    std::vector<Threshold> out;
    for (const auto& t : thresholds)
      if (t.kind == k) out.push_back(t);
    return out;
  };
  const ReportLimits& lim = options.limits;
  ExposureMeter sys_meter(only(VitalKind::NibpSys), lim.max_hold_ms);
  ExposureMeter dia_meter(only(VitalKind::NibpDia), lim.max_hold_ms);
  SeriesBuilder sys(d.from_ms, d.until_ms, lim.max_points), dia(d.from_ms, d.until_ms, lim.max_points),
      map(d.from_ms, d.until_ms, lim.max_points), hr(d.from_ms, d.until_ms, lim.max_points);
  AlertFolder folder(lim.max_alerts);
  std::vector<ActionEntry> actions;
  std::size_t dropped_actions = 0;
  auto add_action = [&](ActionEntry a) {
    if (actions.size() < lim.max_actions)
      actions.push_back(std::move(a));
    else
      ++dropped_actions;
  };

  const std::map<ValueKey, std::uint64_t> taken_back = withdrawals(db_path, session);
  store::for_each_timeline_item(db_path, session.info.bed(), session, [&](const store::TimelineItem& item) {
    switch (item.kind) {
      case store::TimelineItem::Kind::Reading: {
        const store::StoredReading& r = *item.reading;
        if (is_withdrawal(r.reading)) break;  // a notice about a value, not a reading
        ++d.readings;
        if (!counts(r) || withdrawn(taken_back, r)) {
          ++d.excluded_readings;
          break;
        }
        // On the session's clock (arrival), like its events: a monitor clock hours off, or
        // a time-scaled demo, must not move the trend away from the session.
        const Sample s{r.reading.received_at_ms, r.reading.value};
        switch (r.reading.kind) {
          case VitalKind::NibpSys:
            sys.add(s);
            sys_meter.add(s);
            break;
          case VitalKind::NibpDia:
            dia.add(s);
            dia_meter.add(s);
            break;
          case VitalKind::NibpMean: map.add(s); break;
          case VitalKind::HeartRate: hr.add(s); break;
          default: break;
        }
        break;
      }
      case store::TimelineItem::Kind::Alert:
        if (auto a = folder.add(*item.alert)) add_action(std::move(*a));
        break;
      case store::TimelineItem::Kind::Session: {
        const proto::SessionEvent& e = *item.session_event;
        if (e.session().phase() == proto::recovery && !d.recovery_started_ms)
          d.recovery_started_ms = e.at_ms();
        if (e.event() == proto::discharge_criteria_met) d.discharge_met_ms = e.at_ms();
        if (e.event() == proto::discharge_criteria_lost) d.discharge_met_ms.reset();
        if (e.event() == proto::ended) d.ended_ms = e.at_ms();
        break;
      }
    }
  });
  if (d.readings == 0) {
    throw ReportError("session " + d.session.session_id() + " of " + d.session.bed() +
                      " has no readings: nothing to report");
  }
  if (!d.discharge_met_ms && d.session.discharge_criteria_met_at_ms() != 0)
    d.discharge_met_ms = d.session.discharge_criteria_met_at_ms();
  if (!d.ended_ms && d.session.ended_at_ms() != 0) d.ended_ms = d.session.ended_at_ms();

  session_actions(d.session, actions);
  store::for_each_config_record(db_path, [&](std::uint64_t, const store::ConfigRecord& c) {
    if (c.at_ms >= d.from_ms && c.at_ms <= d.until_ms) add_action({c.at_ms, "config", c.what, c.detail});
  });
  std::stable_sort(actions.begin(), actions.end(),
                   [](const ActionEntry& a, const ActionEntry& b) { return a.at_ms < b.at_ms; });
  if (actions.size() > lim.max_actions) {
    dropped_actions += actions.size() - lim.max_actions;
    actions.resize(lim.max_actions);
  }
  d.actions = std::move(actions);
  d.actions_not_shown = dropped_actions;

  d.peak_sys = sys_meter.peak();
  d.peak_dia = dia_meter.peak();
  d.above = sys_meter.finish(d.until_ms);
  for (auto& t : dia_meter.finish(d.until_ms)) d.above.push_back(std::move(t));
  d.sys = sys.finish();
  d.dia = dia.finish();
  d.map = map.finish();
  d.hr = hr.finish();
  d.alerts = folder.finish();
  d.alerts_not_shown = folder.not_shown();
  d.profile_note += "; discharge criteria: " + discharge_criteria_text(profile);
  return d;
}

}  // namespace vigil::report
