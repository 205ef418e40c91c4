// Whole sessions at the domain level: a monitor sending HR/SpO2 every 5 s and NIBP every
// 5 min, a dashboard confirming receipt, nurses acting.
#include <functional>

#include "alert_harness.hpp"

namespace vigil::alerts::test {
namespace {

struct Bp {
  double sys, dia;
};

// Runs `minutes` of monitoring: vitals every 5 s, NIBP every 5 min from `bp(minute)`.
void run(Harness& h, int minutes, const std::function<Bp(int)>& bp, double hr = 78) {
  for (int m = 1; m <= minutes; ++m) {
    for (int s = 0; s < 60; s += 5) {
      h.reading(VitalKind::HeartRate, hr);
      h.reading(VitalKind::SpO2, 97);
      h.take(h.engine.on_dashboard_confirmed(h.now()));
      h.advance(5s);
    }
    if (m % 5 == 0) {
      const Bp b = bp(m);
      h.nibp(b.sys, b.dia);
    }
  }
}

TEST(Scenario, NormalResponderRaisesNothingAboveLow) {
  Harness h;
  ASSERT_TRUE(h.act(SessionActionKind::Begin).ok);
  h.nibp(120, 78);
  run(h, 4, [](int) { return Bp{0, 0}; });
  h.nibp(122, 80);
  ASSERT_TRUE(h.act(SessionActionKind::StartInfusion).ok);
  // SBP +14 / DBP +9 peaking at the end of a 40 min infusion.
  run(h, 40, [](int m) { return Bp{121 + 14.0 * m / 40, 79 + 9.0 * m / 40}; });
  ASSERT_TRUE(h.act(SessionActionKind::StopInfusion).ok);
  run(h, 61, [](int m) { return Bp{135 - 14.0 * std::min(m, 30) / 30, 88 - 9.0 * std::min(m, 30) / 30}; });
  EXPECT_FALSE(h.any_alarm_above_low());
  EXPECT_TRUE(h.engine.active_alerts(h.bed).empty());
  auto s = h.engine.session(h.bed, h.now());
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->state.discharge_criteria_met_at_ms);
  EXPECT_EQ(s->state.infusion_elapsed_ms, 40 * 60 * 1000);
  ASSERT_TRUE(h.act(SessionActionKind::End).ok);
}

TEST(Scenario, HypertensiveResponderClimbsThroughP3P2P1AndClears) {
  Harness h;
  ASSERT_TRUE(h.act(SessionActionKind::Begin).ok);
  h.nibp(130, 85);
  run(h, 4, [](int) { return Bp{0, 0}; });
  h.nibp(130, 85);
  ASSERT_TRUE(h.act(SessionActionKind::StartInfusion).ok);  // B 130/85
  const Bp climb[] = {{140, 88}, {150, 90},  {160, 92},  {172, 95}, {176, 96},
                      {182, 98}, {190, 100}, {196, 102}, {204, 106}};
  for (const Bp& b : climb) run(h, 5, [b](int) { return b; });
  // First raised as the pressure climbs: P3, then P2, then P1.
  std::vector<RuleId> order;
  for (const AlertTransition& t : h.log) {
    if (t.kind == TransitionKind::Raised &&
        (t.rule == RuleId::P1 || t.rule == RuleId::P2 || t.rule == RuleId::P3))
      order.push_back(t.rule);
  }
  ASSERT_EQ(order, (std::vector<RuleId>{RuleId::P3, RuleId::P2, RuleId::P1}));
  EXPECT_EQ(h.alert(RuleId::P1)->priority, Priority::High);
  EXPECT_EQ(h.alert(RuleId::P2)->priority, Priority::High);
  EXPECT_EQ(h.alert(RuleId::P3)->state, AlertState::Active);
  EXPECT_EQ(h.alert(RuleId::P1)->message, "SBP 204 >= 200");

  for (const Alert& a : h.engine.active_alerts(h.bed)) {
    if (a.state != AlertState::Advisory) {
      ASSERT_TRUE(h.ack(a.id, "nurse2").ok) << a.id;
    }
  }
  ASSERT_TRUE(h.act(SessionActionKind::StopInfusion).ok);
  for (Bp b : {Bp{185, 100}, Bp{160, 98}, Bp{150, 95}, Bp{145, 92}}) {
    h.nibp(b.sys, b.dia);
    // 185/100 still meets P2 and P3: they sound again and the nurse acknowledges again.
    for (const Alert& a : h.engine.active_alerts(h.bed)) {
      if (a.kind == AlertKind::Physiological && a.state == AlertState::Active) {
        ASSERT_TRUE(h.ack(a.id, "nurse2").ok);
      }
    }
    h.advance(5min);
  }
  EXPECT_FALSE(h.alert(RuleId::P1));
  EXPECT_FALSE(h.alert(RuleId::P2));
  EXPECT_FALSE(h.alert(RuleId::P3));
  EXPECT_EQ(h.count(RuleId::P1, TransitionKind::Resolved), 1);
  EXPECT_EQ(h.count(RuleId::P3, TransitionKind::Resolved), 1);
}

TEST(Scenario, PreInfusionHypertensionIsGated) {
  Harness h;
  ASSERT_TRUE(h.act(SessionActionKind::Begin).ok);
  h.nibp(170, 102);
  run(h, 4, [](int) { return Bp{0, 0}; });
  h.nibp(168, 100);
  ASSERT_TRUE(h.alert(RuleId::P9));
  EXPECT_EQ(h.alert(RuleId::P9)->priority, Priority::Medium);
  EXPECT_FALSE(h.act(SessionActionKind::StartInfusion).ok);
  EXPECT_EQ(h.engine.phase(h.bed), Phase::Baseline);
  ASSERT_TRUE(h.override_baseline(150, 95, "dr_jones").ok);
  ASSERT_TRUE(h.act(SessionActionKind::StartInfusion).ok);
  EXPECT_FALSE(h.alert(RuleId::P9));
  EXPECT_EQ(h.engine.baseline(h.bed)->sys_mmhg, 150);
}

// A caller that acts on a refusal (vigilctl replay's nurse accepts the baseline when the gate
// holds) reads its kind, never its text.
TEST(Scenario, TheGatesRefusalIsTypedAndOthersAreNot) {
  Harness h;
  EXPECT_EQ(h.act(SessionActionKind::StartInfusion).refusal, Refusal::Other) << "no session yet";
  ASSERT_TRUE(h.act(SessionActionKind::Begin).ok);
  h.nibp(170, 102);
  run(h, 4, [](int) { return Bp{0, 0}; });
  h.nibp(168, 100);
  ASSERT_TRUE(h.alert(RuleId::P9));
  const ActionResult held = h.act(SessionActionKind::StartInfusion);
  EXPECT_FALSE(held.ok);
  EXPECT_EQ(held.refusal, Refusal::PreInfusionGate) << held.reason;
  ASSERT_TRUE(h.override_baseline(150, 95, "dr_jones").ok);
  const ActionResult started = h.act(SessionActionKind::StartInfusion);
  EXPECT_TRUE(started.ok);
  EXPECT_EQ(started.refusal, Refusal::None);
}

TEST(Scenario, ArtifactBurstRaisesT5AndNoPhysiologicalAlarm) {
  Harness h;
  h.start_infusion();
  run(h, 5, [](int) { return Bp{125, 82}; });
  const std::size_t before = h.log.size();
  for (Bp b : {Bp{45, 20}, Bp{120, 115}, Bp{90, 95}, Bp{110, 100}}) {
    EXPECT_FALSE(h.nibp(b.sys, b.dia).verified);
    h.advance(30s);
  }
  for (int i = 0; i < 20; ++i) {
    h.reading(VitalKind::HeartRate, i % 2 ? 300 : 10);
    h.advance(1s);
  }
  bool t5 = false;
  for (std::size_t i = before; i < h.log.size(); ++i) {
    const AlertTransition& t = h.log[i];
    EXPECT_NE(t.alert_kind, AlertKind::Physiological) << to_string(t.rule) << " " << t.message;
    EXPECT_NE(t.alert_kind, AlertKind::Advisory) << to_string(t.rule) << " " << t.message;
    if (t.rule == RuleId::T5 && t.kind == TransitionKind::Raised) t5 = true;
  }
  EXPECT_TRUE(t5);
  EXPECT_TRUE(h.alert(RuleId::T5, "NIBP"));
  EXPECT_TRUE(h.alert(RuleId::T5, "HR"));
  h.nibp(126, 82);
  EXPECT_FALSE(h.alert(RuleId::T5, "NIBP"));
}

TEST(Scenario, DeviceSilentMidInfusionRaisesT1WithinItsDelay) {
  Harness h;
  h.start_infusion();
  run(h, 10, [](int) { return Bp{125, 82}; });
  h.reading(VitalKind::HeartRate, 78);
  const Duration last_data = h.elapsed;
  while (!h.alert(RuleId::T1, "MON1") && h.elapsed - last_data < 60s) h.advance(250ms);
  ASSERT_TRUE(h.alert(RuleId::T1, "MON1"));
  EXPECT_GT(h.elapsed - last_data, 15s);
  EXPECT_LE(h.elapsed - last_data, 15s + 250ms);
  EXPECT_EQ(h.alert(RuleId::T1, "MON1")->priority, Priority::Medium);
}

}  // namespace
}  // namespace vigil::alerts::test
