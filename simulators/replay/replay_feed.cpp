#include "replay/replay_feed.hpp"

#include <algorithm>
#include <cmath>

#include "sim/physiology_model.hpp"

namespace vigil::replay {

namespace {

std::int64_t ms_at(double minute, double origin) { return std::llround((minute - origin) * 60000.0); }

FeedItem reading_item(std::int64_t at, VitalKind kind, double value, const Feed& f, const FeedOptions& o) {
  FeedItem it;
  it.kind = FeedItem::Kind::Reading;
  it.at_ms = at;
  it.reading.bed = f.bed;
  it.reading.kind = kind;
  it.reading.value = value;
  it.reading.measured_at_ms = f.start_wall_ms + at;
  it.reading.received_at_ms = f.start_wall_ms + at;
  it.reading.source = o.source;
  return it;
}

alerts::SessionActionKind action_kind(sim::NurseActionKind k) {
  switch (k) {
    case sim::NurseActionKind::Begin: return alerts::SessionActionKind::Begin;
    case sim::NurseActionKind::Start: return alerts::SessionActionKind::StartInfusion;
    case sim::NurseActionKind::Stop: return alerts::SessionActionKind::StopInfusion;
    case sim::NurseActionKind::End: return alerts::SessionActionKind::End;
  }
  return alerts::SessionActionKind::End;
}

}  // namespace

void retry_later(std::vector<FeedItem>& items, std::size_t i, std::int64_t now_ms, std::int64_t delay_ms) {
  FeedItem again = items[i];
  again.at_ms = now_ms + delay_ms;
  const auto pos =
      std::upper_bound(items.begin() + static_cast<std::ptrdiff_t>(i) + 1, items.end(), again.at_ms,
                       [](std::int64_t t, const FeedItem& x) { return t < x.at_ms; });
  items.insert(pos, std::move(again));
}

Feed feed_from_plan(const sim::Scenario& sc, const sim::SessionPlan& plan, const FeedOptions& o) {
  Feed f;
  f.name = sc.name;
  // A fixed wall origin: replay output never depends on today's date.
  f.start_wall_ms = 1'600'000'000'000;
  const double origin = plan.start_minute;
  for (const sim::NibpSample& s : plan.nibp) {
    if (sim::in_window(plan.unplugged, s.done_minute)) continue;
    const std::int64_t at = ms_at(s.done_minute, origin);
    if (s.outcome == sim::NibpOutcome::Failed) {
      FeedItem it;
      it.kind = FeedItem::Kind::Device;
      it.at_ms = at;
      it.device = alerts::DeviceEvent{f.bed, o.source, alerts::DeviceEventKind::NibpFailed, "NIBP", s.error};
      f.items.push_back(std::move(it));
      continue;
    }
    if (s.outcome == sim::NibpOutcome::Artifact) f.artifact_ms.push_back(at);
    f.items.push_back(reading_item(at, VitalKind::NibpSys, s.sys_mmhg, f, o));
    f.items.push_back(reading_item(at, VitalKind::NibpDia, s.dia_mmhg, f, o));
    f.items.push_back(reading_item(at, VitalKind::NibpMean, s.mean_mmhg, f, o));
    if (!o.numerics && o.cuff_pulse && !plan.numerics.empty()) {
      // The patient's heart rate at the cuff (the plan's per-second samples), as a spot-check
      // monitor reports the pulse it measured with the result.
      const auto later =
          std::lower_bound(plan.numerics.begin(), plan.numerics.end(), s.done_minute,
                           [](const sim::NumericSample& n, double minute) { return n.minute < minute; });
      const sim::NumericSample& n = later == plan.numerics.end() ? plan.numerics.back() : *later;
      f.items.push_back(reading_item(at, VitalKind::PulseRate, n.hr_bpm, f, o));
    }
  }
  if (o.numerics) {
    const std::size_t step = static_cast<std::size_t>(std::max(1, o.numerics_interval_s));
    for (std::size_t i = 0; i < plan.numerics.size(); i += step) {
      const sim::NumericSample& n = plan.numerics[i];
      if (sim::in_window(plan.unplugged, n.minute)) continue;
      const std::int64_t at = ms_at(n.minute, origin);
      f.items.push_back(reading_item(at, VitalKind::HeartRate, n.hr_bpm, f, o));
      f.items.push_back(reading_item(at, VitalKind::SpO2, n.spo2_pct, f, o));
    }
  }
  for (const sim::NurseAction& a : plan.actions) {
    FeedItem it;
    it.kind = FeedItem::Kind::Nurse;
    it.at_ms = ms_at(a.minute, origin);
    it.action.bed = f.bed;
    it.action.kind = action_kind(a.kind);
    it.action.user = "replay-nurse";
    it.action.patient = "SIM-" + f.bed;
    it.action.planned_minutes = static_cast<int>(std::lround(sc.infusion_minutes));
    f.items.push_back(std::move(it));
  }
  // Readings before nurse actions at the same millisecond, as a monitor's data precedes the
  // nurse's response to it; stable, so equal times keep their order (deterministic).
  std::stable_sort(f.items.begin(), f.items.end(), [](const FeedItem& a, const FeedItem& b) {
    if (a.at_ms != b.at_ms) return a.at_ms < b.at_ms;
    return a.kind == FeedItem::Kind::Reading && b.kind != FeedItem::Kind::Reading;
  });
  f.labelled = sc.labelled;
  for (const sim::LabelWindow& w : sc.label_episodes) {
    const std::int64_t from = ms_at(w.from, origin), to = ms_at(w.to, origin);
    // The confirming reading: the second plausible reading inside the window (or the first
    // when there is only one).
    std::vector<std::int64_t> inside;
    for (const sim::NibpSample& s : plan.nibp) {
      const std::int64_t at = ms_at(s.done_minute, origin);
      if (s.outcome == sim::NibpOutcome::Ok && at >= from && at < to) inside.push_back(at);
    }
    const std::int64_t confirm = inside.size() >= 2 ? inside[1] : inside.empty() ? to : inside[0];
    f.episodes.push_back(Episode{from, to, confirm});
  }
  return f;
}

std::vector<Episode> episodes_from_truth(const std::vector<TruePressure>& readings, double bs, double bd,
                                         std::int64_t tail_ms) {
  std::vector<Episode> out;
  std::vector<std::int64_t> run;
  bool severe = false;
  std::int64_t first_severe = 0;
  auto close = [&](std::int64_t end) {
    if (run.size() >= 2 || severe) {
      // An alarm is due at the second reading of the run (P2/P3 confirmed) or at the first
      // reading meeting P1 (no confirmation), whichever comes first.
      std::int64_t confirm = run.size() >= 2 ? run[1] : run.front();
      if (severe) confirm = std::min(confirm, first_severe);
      out.push_back(Episode{run.front(), end, confirm});
    }
    run.clear();
    severe = false;
  };
  for (const TruePressure& r : readings) {
    if (!r.evidence) continue;  // an artifact or a failed cuff: no news either way
    const bool meets =
        r.sys_mmhg >= 180 || r.dia_mmhg >= 110 || r.sys_mmhg >= bs + 40 || r.dia_mmhg >= bd + 25;
    if (meets) {
      if (!severe && (r.sys_mmhg >= 200 || r.dia_mmhg >= 120)) {
        severe = true;
        first_severe = r.at_ms;
      }
      run.push_back(r.at_ms);
    } else if (!run.empty()) {
      close(r.at_ms);
    }
  }
  if (!run.empty()) close(run.back() + tail_ms);
  return out;
}

std::vector<Episode> true_episodes(const sim::Scenario& sc, const sim::SessionPlan& plan, std::uint64_t seed,
                                   std::int64_t origin_ms) {
  const sim::PhysiologyModel model(sc, seed);
  const double origin = plan.start_minute;
  std::vector<TruePressure> truth;
  for (const sim::NibpSample& s : plan.nibp) {
    if (s.start_minute < 0) continue;  // baseline readings, before the infusion
    const double mid = (s.start_minute + s.done_minute) / 2;
    truth.push_back(TruePressure{origin_ms + ms_at(s.done_minute, origin), model.systolic_at(mid),
                                 model.diastolic_at(mid), s.outcome == sim::NibpOutcome::Ok});
  }
  return episodes_from_truth(truth, model.systolic_at(-12), model.diastolic_at(-12),
                             static_cast<std::int64_t>(sc.nibp_cycle_min * 60000.0));
}

}  // namespace vigil::replay
