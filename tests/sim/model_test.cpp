// The physiology model and the named scenarios against the published figures
// (/work/shared/reference/alarms.md): many seeded sessions, statistics on the results.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "sim/named_scenarios.hpp"
#include "sim/physiology_model.hpp"
#include "sim/session_plan.hpp"

namespace vigil::sim {
namespace {

constexpr int kSessions = 1000;

Scenario named(const std::string& name, std::uint64_t seed) {
  auto s = make_named_scenario(name, seed);
  EXPECT_TRUE(s.has_value()) << name;
  return s.value_or(Scenario{});
}

double mean(const std::vector<double>& v) {
  return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

double sd(const std::vector<double>& v) {
  const double m = mean(v);
  double acc = 0;
  for (double x : v) acc += (x - m) * (x - m);
  return std::sqrt(acc / static_cast<double>(v.size() - 1));
}

// Baseline as the clinic computes it: the mean of the pre-infusion readings.
std::pair<double, double> baseline_of(const SessionPlan& plan) {
  double sys = 0, dia = 0;
  int n = 0;
  for (const auto& r : plan.nibp)
    if (r.start_minute < 0 && r.outcome == NibpOutcome::Ok) {
      sys += r.sys_mmhg;
      dia += r.dia_mmhg;
      ++n;
    }
  return {n ? sys / n : 0, n ? dia / n : 0};
}

TEST(PhysiologyModel, NormalResponderPeakRiseMatchesPublishedFigures) {
  std::vector<double> sys_rise, dia_rise, tail_rise;
  for (int seed = 0; seed < kSessions; ++seed) {
    const Scenario sc = named("normal-responder", static_cast<std::uint64_t>(seed));
    const PhysiologyModel model(sc, static_cast<std::uint64_t>(seed));
    const double base_sys = model.systolic_at(-6), base_dia = model.diastolic_at(-6);
    // The largest rise seen between minutes 30 and 40, as 10-minute charting would find it.
    double best_sys = -1e9, best_dia = -1e9;
    for (double m = 30; m <= 40; m += 5) {
      best_sys = std::max(best_sys, model.systolic_at(m) - base_sys);
      best_dia = std::max(best_dia, model.diastolic_at(m) - base_dia);
    }
    sys_rise.push_back(best_sys);
    dia_rise.push_back(best_dia);
    tail_rise.push_back(model.systolic_at(sc.infusion_minutes + 90) - base_sys);
  }
  EXPECT_GE(mean(sys_rise), 12.0);
  EXPECT_LE(mean(sys_rise), 16.0);
  EXPECT_GE(sd(sys_rise), 8.0);  // published SD ~11
  EXPECT_LE(sd(sys_rise), 14.0);
  EXPECT_GE(mean(dia_rise), 8.0);
  EXPECT_LE(mean(dia_rise), 11.0);
  EXPECT_LT(std::abs(mean(tail_rise)), 5.0) << "not back near baseline 90 min after the stop";
}

TEST(PhysiologyModel, MeasuredReadingsShowTheRiseAndTheReturn) {
  std::vector<double> peak_rise, late_rise;
  for (int seed = 0; seed < kSessions; ++seed) {
    const Scenario sc = named("normal-responder", static_cast<std::uint64_t>(seed));
    const SessionPlan plan = plan_session(sc, static_cast<std::uint64_t>(seed));
    const auto [base_sys, base_dia] = baseline_of(plan);
    for (const auto& r : plan.nibp) {
      if (r.start_minute == 35) peak_rise.push_back(r.sys_mmhg - base_sys);
      if (r.start_minute == sc.infusion_minutes + 60) late_rise.push_back(r.sys_mmhg - base_sys);
    }
  }
  ASSERT_EQ(peak_rise.size(), static_cast<std::size_t>(kSessions));
  ASSERT_EQ(late_rise.size(), static_cast<std::size_t>(kSessions));
  EXPECT_GE(mean(peak_rise), 10.0);
  EXPECT_LE(mean(peak_rise), 17.0);
  EXPECT_LT(std::abs(mean(late_rise)), 5.0);
}

TEST(PhysiologyModel, HeartRateNearlyFlatAndSpo2Steady) {
  std::vector<double> hr_rise;
  for (int seed = 0; seed < 200; ++seed) {
    const Scenario sc = named("normal-responder", static_cast<std::uint64_t>(seed));
    const PhysiologyModel model(sc, static_cast<std::uint64_t>(seed));
    hr_rise.push_back(model.heart_rate_at(35) - model.heart_rate_at(-6));
    for (double m = -12; m < 100; m += 1) {
      EXPECT_GE(model.spo2_at(m), 94.0);
      EXPECT_LE(model.spo2_at(m), 100.0);
    }
  }
  EXPECT_GE(mean(hr_rise), 1.0);
  EXPECT_LE(mean(hr_rise), 5.0);
}

TEST(NamedScenarios, HypertensiveResponderCrosses180Over110) {
  int crossed_sys = 0, crossed_dia = 0;
  for (int seed = 0; seed < kSessions; ++seed) {
    const SessionPlan plan = plan_session(named("hypertensive-responder", static_cast<std::uint64_t>(seed)),
                                          static_cast<std::uint64_t>(seed));
    int max_sys = 0, max_dia = 0;
    for (const auto& r : plan.nibp) {
      max_sys = std::max(max_sys, r.sys_mmhg);
      max_dia = std::max(max_dia, r.dia_mmhg);
    }
    crossed_sys += max_sys >= 180;
    crossed_dia += max_dia >= 110;
  }
  EXPECT_GE(crossed_sys, kSessions * 99 / 100);
  EXPECT_GE(crossed_dia, kSessions * 99 / 100);
}

TEST(NamedScenarios, PreInfusionHypertensionBaselineAtLeast160Over100) {
  for (int seed = 0; seed < kSessions; ++seed) {
    const SessionPlan plan =
        plan_session(named("pre-infusion-hypertension", static_cast<std::uint64_t>(seed)),
                     static_cast<std::uint64_t>(seed));
    const auto [sys, dia] = baseline_of(plan);
    ASSERT_GE(sys, 160.0) << "seed " << seed;
    ASSERT_GE(dia, 100.0) << "seed " << seed;
  }
}

bool same_plan(const SessionPlan& a, const SessionPlan& b) {
  if (a.nibp.size() != b.nibp.size() || a.numerics.size() != b.numerics.size()) return false;
  for (std::size_t i = 0; i < a.nibp.size(); ++i) {
    const auto &x = a.nibp[i], &y = b.nibp[i];
    if (x.sys_mmhg != y.sys_mmhg || x.dia_mmhg != y.dia_mmhg || x.done_minute != y.done_minute ||
        x.outcome != y.outcome || x.error != y.error)
      return false;
  }
  for (std::size_t i = 0; i < a.numerics.size(); ++i)
    if (a.numerics[i].hr_bpm != b.numerics[i].hr_bpm || a.numerics[i].spo2_pct != b.numerics[i].spo2_pct)
      return false;
  return true;
}

TEST(NamedScenarios, SameSeedSameSessionDifferentSeedDifferentSession) {
  for (const auto& name : scenario_names()) {
    const SessionPlan a = plan_session(named(name, 42), 42);
    const SessionPlan b = plan_session(named(name, 42), 42);
    const SessionPlan c = plan_session(named(name, 43), 43);
    EXPECT_TRUE(same_plan(a, b)) << name;
    EXPECT_FALSE(same_plan(a, c)) << name;
  }
}

TEST(NamedScenarios, EventsShowInTheSession) {
  auto count = [](const SessionPlan& p, NibpOutcome o) {
    return std::count_if(p.nibp.begin(), p.nibp.end(), [o](const NibpSample& s) { return s.outcome == o; });
  };
  for (std::uint64_t seed = 0; seed < 50; ++seed) {
    const auto artifact = plan_session(named("artifact-burst", seed), seed);
    EXPECT_GE(count(artifact, NibpOutcome::Artifact), 2) << seed;
    for (const auto& s : artifact.nibp)
      if (s.outcome == NibpOutcome::Artifact) {
        EXPECT_TRUE(s.sys_mmhg <= s.dia_mmhg || s.sys_mmhg - s.dia_mmhg > 150) << seed;
      }
    const auto cuff = plan_session(named("cuff-failure", seed), seed);
    EXPECT_GE(count(cuff, NibpOutcome::Failed), 2) << seed;
    const auto unplug = plan_session(named("device-unplugged", seed), seed);
    ASSERT_EQ(unplug.unplugged.size(), 1u);
    EXPECT_GT(unplug.unplugged[0].from, 0.0);
    EXPECT_LT(unplug.unplugged[0].to, 40.0);
    const auto desat = plan_session(named("desaturation", seed), seed);
    EXPECT_LE(std::min_element(desat.numerics.begin(), desat.numerics.end(),
                               [](auto& a, auto& b) { return a.spo2_pct < b.spo2_pct; })
                  ->spo2_pct,
              89);
    const auto tachy = plan_session(named("tachycardia", seed), seed);
    EXPECT_GE(std::max_element(tachy.numerics.begin(), tachy.numerics.end(),
                               [](auto& a, auto& b) { return a.hr_bpm < b.hr_bpm; })
                  ->hr_bpm,
              130);
    const auto dip = plan_session(named("vasovagal-dip", seed), seed);
    EXPECT_LE(std::min_element(dip.numerics.begin(), dip.numerics.end(),
                               [](auto& a, auto& b) { return a.hr_bpm < b.hr_bpm; })
                  ->hr_bpm,
              55);
  }
}

TEST(SessionPlan, NibpScheduleFollowsTheProtocol) {
  Scenario sc;
  const auto sched = nibp_schedule(sc);
  const std::vector<double> want = {-10, -6, -2, 5, 10, 15, 20, 25, 30, 35, 40, 50, 60, 70, 85, 100};
  EXPECT_EQ(sched, want);
  const SessionPlan plan = plan_session(sc, 7);
  for (const auto& r : plan.nibp) {
    const double seconds = (r.done_minute - r.start_minute) * 60;
    EXPECT_GE(seconds, 30.0);
    EXPECT_LE(seconds, 40.0);
  }
  EXPECT_EQ(plan.numerics.size(), static_cast<std::size_t>((plan.end_minute - plan.start_minute) * 60) + 1);
}

TEST(NamedScenarios, UnknownNameIsRejected) {
  EXPECT_FALSE(make_named_scenario("no-such-thing", 1).has_value());
  EXPECT_EQ(scenario_names().size(), 9u);
}

}  // namespace
}  // namespace vigil::sim
