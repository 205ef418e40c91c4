#include "report/report_data.hpp"

#include <algorithm>
#include <cmath>

#include "common/vocabulary.hpp"

namespace vigil::report {

double actual_infusion_minutes(const proto::SessionInfo& s) {
  return static_cast<double>(s.infusion_elapsed_ms()) / 60'000.0;
}

ExposureMeter::ExposureMeter(std::vector<Threshold> thresholds, std::int64_t max_hold_ms)
    : max_hold_ms_(max_hold_ms) {
  for (Threshold& t : thresholds) totals_.push_back({std::move(t), 0, 0});
}

void ExposureMeter::hold_until(WallMillis t) {
  if (!prev_) return;
  const std::int64_t held = std::clamp<std::int64_t>(t - prev_->at_ms, 0, max_hold_ms_);
  for (ThresholdTime& total : totals_) {
    if (prev_->value >= total.threshold.limit_mmhg) total.above_ms += held;
  }
}

void ExposureMeter::add(const Sample& s) {
  if (!std::isfinite(s.value)) return;
  hold_until(s.at_ms);
  for (ThresholdTime& total : totals_) {
    if (s.value >= total.threshold.limit_mmhg) ++total.readings_above;
  }
  // The first of equal peaks is the one reported: when it was first reached.
  if (!peak_ || s.value > peak_->value) peak_ = Peak{s.value, s.at_ms};
  prev_ = s;
}

std::vector<ThresholdTime> ExposureMeter::finish(WallMillis end_ms) {
  hold_until(end_ms);
  prev_.reset();
  return totals_;
}

SeriesBuilder::SeriesBuilder(WallMillis from_ms, WallMillis until_ms, std::size_t max_points)
    : from_ms_(from_ms) {
  const std::size_t n = std::max<std::size_t>(1, max_points);
  const double span = static_cast<double>(std::max<WallMillis>(1, until_ms - from_ms));
  width_ms_ = span / static_cast<double>(n);
  buckets_.resize(n);
}

void SeriesBuilder::add(const Sample& s) {
  if (!std::isfinite(s.value)) return;
  const double pos = static_cast<double>(s.at_ms - from_ms_) / width_ms_;
  const auto last = static_cast<double>(buckets_.size() - 1);
  const auto i = static_cast<std::size_t>(std::clamp(std::floor(pos), 0.0, last));
  Bucket& b = buckets_[i];
  b.sum += s.value;
  b.t_sum += static_cast<double>(s.at_ms - from_ms_);
  ++b.n;
}

std::vector<Sample> SeriesBuilder::finish() const {
  std::vector<Sample> out;
  for (const Bucket& b : buckets_) {
    if (b.n == 0) continue;
    out.push_back({from_ms_ + static_cast<WallMillis>(std::llround(b.t_sum / b.n)), b.sum / b.n});
  }
  return out;
}

std::optional<ActionEntry> AlertFolder::add(const proto::AlertEvent& e) {
  auto it =
      std::find_if(alerts_.begin(), alerts_.end(), [&](const AlertSummary& a) { return a.id == e.id(); });
  if (it == alerts_.end()) {
    if (alerts_.size() >= max_) {
      // Counted once, at its first transition.
      if (e.transition() == proto::raised) ++not_shown_;
    } else {
      AlertSummary a;
      a.id = e.id();
      a.rule = e.rule();
      a.kind = e.kind();
      a.priority = e.priority();
      a.message = e.message();
      a.phase = e.phase();
      a.onset_ms = e.onset_ms() != 0 ? e.onset_ms() : e.at_ms();
      alerts_.push_back(std::move(a));
      it = alerts_.end() - 1;
    }
  }
  if (it != alerts_.end()) {
    AlertSummary& a = *it;
    // The row stands for the worst the alert became, in that state's own words: an advisory
    // confirmed into an alarm, or a MEDIUM raised to HIGH, is no longer what first appeared.
    const bool worse = priority_rank(e.priority()) > priority_rank(a.priority);
    if (worse) a.priority = e.priority();
    if ((worse || e.transition() == proto::confirmed) && !e.message().empty()) a.message = e.message();
    a.escalated = a.escalated || e.escalated() || e.transition() == proto::escalated;
    // A rise in priority or a reactivation asks the nurse to acknowledge again (the alarm
    // sounds anew): an earlier acknowledgment no longer stands for it, and the chart must
    // not show one nobody gave. It stays among the actions below.
    const bool sounds_again = e.transition() == proto::priority_changed ||
                              e.transition() == proto::reactivated || e.transition() == proto::confirmed;
    if (sounds_again && (e.state() == proto::ACTIVE || e.state() == proto::AUDIO_PAUSED)) {
      a.acknowledged_at_ms.reset();
      a.acknowledged_by.clear();
    }
    if (e.transition() == proto::acknowledged && !a.acknowledged_at_ms) {
      a.acknowledged_at_ms = e.at_ms();
      a.acknowledged_by = !e.acknowledged_by().empty() ? e.acknowledged_by() : e.user();
    }
    if (e.transition() == proto::audio_paused) ++a.audio_pauses;
    if (e.transition() == proto::resolved || e.state() == proto::RESOLVED) a.resolved_at_ms = e.at_ms();
  }
  if (e.transition() == proto::acknowledged) {
    return ActionEntry{e.at_ms(), !e.acknowledged_by().empty() ? e.acknowledged_by() : e.user(),
                       "acknowledged", e.id() + " (" + e.message() + ")"};
  }
  if (e.transition() == proto::audio_paused) return ActionEntry{e.at_ms(), e.user(), "audio paused", e.id()};
  return std::nullopt;
}

}  // namespace vigil::report
