#include "alerts/baseline.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace vigil::alerts {

namespace {

// 1 Hz for far longer than any sensible window; a monitor flooding us cannot grow memory.
constexpr std::size_t kMaxSamples = 1024;

void push_bounded(std::deque<std::pair<MonoTime, double>>& q, MonoTime at, double v) {
  q.emplace_back(at, v);
  while (q.size() > kMaxSamples) q.pop_front();
}

std::optional<double> median_since(const std::deque<std::pair<MonoTime, double>>& q, MonoTime from) {
  std::vector<double> v;
  for (const auto& [at, value] : q) {
    if (at >= from) v.push_back(value);
  }
  if (v.empty()) return std::nullopt;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0;
}

std::optional<double> mean_of(const std::vector<const NibpMeasurement*>& ms,
                              std::optional<double> (*get)(const NibpMeasurement&)) {
  double sum = 0;
  int n = 0;
  for (const auto* m : ms) {
    if (auto v = get(*m)) {
      sum += *v;
      ++n;
    }
  }
  if (n == 0) return std::nullopt;
  return sum / n;
}

}  // namespace

std::string_view to_string(BaselineSource source) {
  switch (source) {
    case BaselineSource::None: return "none";
    case BaselineSource::Computed: return "computed";
    case BaselineSource::Override: return "override";
  }
  return "?";
}

BaselineCalculator::Samples& BaselineCalculator::samples() {
  if (!samples_) samples_ = std::make_unique<Samples>();
  return *samples_;
}

void BaselineCalculator::add_nibp(const NibpMeasurement& m) {
  auto& nibp = samples().nibp;
  nibp.push_back(m);
  while (nibp.size() > 3) nibp.pop_front();
}

bool BaselineCalculator::withdraw_nibp(const std::string& source, WallMillis measured_at_ms) {
  if (!samples_) return false;
  return std::erase_if(samples_->nibp, [&](const NibpMeasurement& m) {
           return m.measured_at_ms == measured_at_ms && m.source == source;
         }) > 0;
}

void BaselineCalculator::add_vital(VitalKind kind, double value, MonoTime at) {
  if (kind == VitalKind::HeartRate || kind == VitalKind::PulseRate) push_bounded(samples().hr, at, value);
  if (kind == VitalKind::SpO2) push_bounded(samples().spo2, at, value);
}

Baseline BaselineCalculator::compute(const BaselineRules& rules, MonoTime now) const {
  Baseline b;
  if (!samples_) return b;
  const MonoTime from = now - rules.vital_window;
  b.hr_bpm = median_since(samples_->hr, from);
  b.spo2_pct = median_since(samples_->spo2, from);
  const auto& nibp = samples_->nibp;
  if (nibp.size() < 2) return b;

  std::vector<const NibpMeasurement*> used;
  const std::size_t n = nibp.size();
  const auto agree = [&](std::size_t i, std::size_t j) {
    return std::fabs(nibp[i].sys_mmhg - nibp[j].sys_mmhg) <= rules.max_sys_spread_mmhg;
  };
  if (agree(n - 1, n - 2)) {
    used = {&nibp[n - 2], &nibp[n - 1]};
  } else if (n == 3) {
    // The last two disagree: with the third reading, use the closest agreeing pair.
    std::pair<std::size_t, std::size_t> pairs[] = {{0, 2}, {0, 1}};
    double best = -1;
    for (auto [i, j] : pairs) {
      const double d = std::fabs(nibp[i].sys_mmhg - nibp[j].sys_mmhg);
      if (agree(i, j) && (best < 0 || d < best)) {
        best = d;
        used = {&nibp[i], &nibp[j]};
      }
    }
    if (used.empty()) used = {&nibp[0], &nibp[1], &nibp[2]};
  } else {
    return b;  // two readings that disagree: wait for a third
  }
  b.source = BaselineSource::Computed;
  b.sys_mmhg = mean_of(used, [](const NibpMeasurement& m) -> std::optional<double> { return m.sys_mmhg; });
  b.dia_mmhg = mean_of(used, [](const NibpMeasurement& m) { return m.dia_mmhg; });
  b.map_mmhg = mean_of(used, [](const NibpMeasurement& m) { return m.map_mmhg(); });
  b.nibp_readings_used = static_cast<int>(used.size());
  for (const auto* m : used) b.at_ms = std::max(b.at_ms, m->measured_at_ms);
  return b;
}

void BaselineCalculator::clear() { samples_.reset(); }

}  // namespace vigil::alerts
