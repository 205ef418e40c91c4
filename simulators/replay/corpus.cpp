#include "replay/corpus.hpp"

#include <algorithm>
#include <cmath>
#include <random>

#include "sim/session_plan.hpp"

namespace vigil::replay {

namespace {

constexpr const char* kKinds[] = {"normal", "normal",    "pre-hypertensive", "hypertensive",
                                  "severe", "late-peak", "artifact-heavy",   "normal"};

sim::Scenario scenario_for(const std::string& kind, std::mt19937_64& rng, double& artifact_rate) {
  auto u = [&rng](double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng); };
  sim::Scenario s;
  s.name = kind;
  sim::PatientProfile& p = s.patient;
  p.baseline_sys_mmhg = u(108, 132);
  p.baseline_dia_mmhg = u(66, 82);
  p.peak_rise_sys_mmhg = u(4, 24);
  p.peak_rise_dia_mmhg = p.peak_rise_sys_mmhg * u(0.5, 0.7);
  p.peak_minute = u(25, 40);
  artifact_rate = 0.04;
  if (kind == "pre-hypertensive") {
    p.baseline_sys_mmhg = u(130, 139);
    p.baseline_dia_mmhg = u(82, 89);
    p.peak_rise_sys_mmhg = u(10, 30);
  } else if (kind == "hypertensive") {
    p.baseline_sys_mmhg = u(142, 165);
    p.baseline_dia_mmhg = u(90, 102);
    p.peak_rise_sys_mmhg = u(18, 40);  // every hypertensive patient surges
    p.peak_rise_dia_mmhg = p.peak_rise_sys_mmhg * u(0.5, 0.7);
  } else if (kind == "severe") {
    p.peak_rise_sys_mmhg = u(45, 75);
    p.peak_rise_dia_mmhg = p.peak_rise_sys_mmhg * u(0.5, 0.65);
  } else if (kind == "late-peak") {
    p.peak_minute = u(45, 65);
    p.peak_rise_sys_mmhg = u(20, 55);
    p.peak_rise_dia_mmhg = p.peak_rise_sys_mmhg * u(0.5, 0.65);
  } else if (kind == "artifact-heavy") {
    artifact_rate = 0.25;
  }
  return s;
}

}  // namespace

std::vector<CorpusSession> make_corpus(std::uint64_t seed, int count) {
  std::mt19937_64 rng(seed);
  std::vector<CorpusSession> out;
  for (int i = 0; i < count; ++i) {
    CorpusSession c;
    c.kind = kKinds[static_cast<std::size_t>(i) % std::size(kKinds)];
    c.scenario = scenario_for(c.kind, rng, c.artifact_rate);
    c.scenario.name = c.kind + "-" + std::to_string(i);
    c.seed = rng();
    // Alternate the monitor kind: spot-check monitors and 1 Hz numerics. Every other block of
    // spot-check monitors reports the cuff's pulse rate with each result, as many do.
    const int block = i / static_cast<int>(std::size(kKinds));
    c.feed.numerics = block % 2 == 1;
    c.feed.cuff_pulse = block % 4 == 0;
    c.feed.numerics_interval_s = 1;
    out.push_back(std::move(c));
  }
  return out;
}

Feed corpus_feed(const CorpusSession& c) {
  sim::SessionPlan plan = sim::plan_session(c.scenario, c.seed);
  // Artifacts: the plan's own shapes (inverted, flat, absurd pulse pressure) and a
  // plausible-looking spike, on a seeded share of the readings.
  std::mt19937_64 rng(c.seed ^ 0xA57Full);
  std::uniform_real_distribution<double> unit(0, 1);
  std::uniform_int_distribution<int> shape(0, 3);
  for (sim::NibpSample& s : plan.nibp) {
    if (s.outcome != sim::NibpOutcome::Ok || unit(rng) >= c.artifact_rate) continue;
    s.outcome = sim::NibpOutcome::Artifact;
    switch (shape(rng)) {
      case 0:
        std::swap(s.sys_mmhg, s.dia_mmhg);
        s.dia_mmhg += 8;
        break;                                 // SBP < DBP
      case 1: s.dia_mmhg = s.sys_mmhg; break;  // SBP == DBP
      case 2:
        s.sys_mmhg = 250 + static_cast<int>(unit(rng) * 25);
        s.dia_mmhg = 30;
        break;  // absurd width
      default:  // motion spike
        s.sys_mmhg += 55 + static_cast<int>(unit(rng) * 30);
        s.dia_mmhg += 20 + static_cast<int>(unit(rng) * 15);
        break;
    }
    s.mean_mmhg = s.dia_mmhg + (s.sys_mmhg - s.dia_mmhg) / 3;
  }
  Feed f = feed_from_plan(c.scenario, plan, c.feed);
  f.labelled = true;
  f.episodes = true_episodes(c.scenario, plan, c.seed, 0);
  return f;
}

}  // namespace vigil::replay
