// Records for the log, the session store and the stream.
#include "alerts/alert_records.hpp"
#include "alert_harness.hpp"
#include "common/vocabulary.hpp"

namespace vigil::alerts::test {
namespace {

TEST(Records, SessionRoundTripsAndRestores) {
  Harness h;
  h.start_infusion();
  h.advance(10min);
  const SessionState saved = h.engine.session(h.bed, h.now())->state;
  const std::string bytes = to_proto(saved).SerializeAsString();

  proto::SessionInfo parsed;
  ASSERT_TRUE(parsed.ParseFromString(bytes));
  std::string error;
  auto back = from_proto(parsed, &error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(back->session_id, saved.session_id);
  EXPECT_EQ(back->phase, Phase::Infusion);
  EXPECT_EQ(back->baseline.sys_mmhg, 122);
  EXPECT_EQ(back->baseline.source, BaselineSource::Computed);
  EXPECT_EQ(back->infusion_elapsed_ms, saved.infusion_elapsed_ms);
  ASSERT_EQ(back->actions.size(), saved.actions.size());
  EXPECT_EQ(back->actions[1].kind, SessionActionKind::StartInfusion);

  Harness after;
  after.elapsed = h.elapsed;
  ASSERT_TRUE(after.engine.restore(*back, after.now()).ok);
  EXPECT_EQ(after.engine.phase(h.bed), Phase::Infusion);
}

TEST(Records, UnknownFieldsAreRefused) {
  proto::SessionInfo r;
  r.set_phase(static_cast<proto::Phase>(99));  // from a newer daemon
  std::string error;
  EXPECT_FALSE(from_proto(r, &error));
  EXPECT_NE(error.find("phase"), std::string::npos);
  r.set_phase(proto::infusion);
  r.add_actions()->set_action(static_cast<proto::SessionActionKind>(99));
  EXPECT_FALSE(from_proto(r, &error));
}

TEST(Records, TransitionAndActiveAlert) {
  Harness h;
  h.nibp(205, 100);
  ASSERT_FALSE(h.log.empty());
  const auto t = to_proto(h.of(RuleId::P1)[0]);
  EXPECT_EQ(t.rule(), proto::P1);
  EXPECT_EQ(t.transition(), proto::raised);
  EXPECT_EQ(t.priority(), proto::HIGH);
  EXPECT_EQ(t.state(), proto::ACTIVE);
  EXPECT_EQ(t.phase(), proto::monitoring);
  EXPECT_EQ(t.value(), 205);
  EXPECT_EQ(t.message(), "SBP 205 >= 200");
  EXPECT_FALSE(t.has_baseline());
  const auto a = to_proto(*h.alert(RuleId::P1), Phase::Monitoring);
  EXPECT_EQ(a.id(), t.id());
  EXPECT_EQ(a.onset_ms(), Harness::kWall0);
  EXPECT_EQ(from_proto(proto::T8), RuleId::T8);
  EXPECT_FALSE(from_proto(static_cast<proto::AlertRule>(99)));
}

// The engine's words (ids, logs) and the stream's vocabulary are the same list in the same
// order: every engine value maps to the vocabulary value of the same word.
template <class E>
void expect_same_words(E last) {
  for (int i = 0; i <= static_cast<int>(last); ++i) {
    const E e = static_cast<E>(i);
    EXPECT_EQ(word(to_proto(e)), to_string(e)) << i;
  }
}

TEST(Records, EngineValuesMapToTheVocabularyWordForWord) {
  expect_same_words(RuleId::T8);
  expect_same_words(AlertState::Resolved);
  expect_same_words(TransitionKind::Resolved);
  expect_same_words(AlertKind::Advisory);
  expect_same_words(Phase::Closed);
  expect_same_words(SessionEventKind::Restored);
  expect_same_words(SessionActionKind::End);
  expect_same_words(BaselineSource::Override);
  for (Priority p : {Priority::Low, Priority::Medium, Priority::High})
    EXPECT_EQ(word(to_proto(p)), to_string(p));
  EXPECT_EQ(word(to_proto(Direction::Above)), "above");
  EXPECT_EQ(word(to_proto(Direction::Below)), "below");
  EXPECT_EQ(to_proto(Direction::None), proto::DIRECTION_UNSET);
}

TEST(Records, TransitionCarriesTheRulesMetricAndDirection) {
  Harness h;
  h.nibp(205, 100);
  const auto p1 = to_proto(h.of(RuleId::P1)[0]);
  EXPECT_EQ(p1.metric(), proto::NIBP_SYS);
  EXPECT_EQ(p1.direction(), proto::above);
  Harness d;
  d.nibp(150, 125);
  const auto dia = to_proto(d.of(RuleId::P1)[0]);
  EXPECT_EQ(dia.metric(), proto::NIBP_DIA);
  EXPECT_EQ(dia.direction(), proto::above);
  Harness low;
  low.nibp(80, 50);
  ASSERT_FALSE(low.of(RuleId::P5).empty());
  const auto p5 = to_proto(low.of(RuleId::P5)[0]);
  EXPECT_EQ(p5.metric(), proto::NIBP_SYS);
  EXPECT_EQ(p5.direction(), proto::below);
}

// Screens grey NIBP by the chair's profile: the daemon sends T3's cycles, not a copy. And
// they switch the HR cell and line to the pulse rate when the engine does: after the
// profile's alarm.continuous_stale, not a constant of their own.
TEST(Records, NibpScheduleIsTheProfilesT3AndHrSwitchInSeconds) {
  RuleProfile p;
  p.t3.infusion_cycle = minutes(3);
  p.t3.recovery_early_cycle = minutes(7);
  p.t3.recovery_early_span = minutes(20);
  p.t3.recovery_late_cycle = minutes(12);
  p.alarm.continuous_stale = seconds(25);
  const proto::NibpSchedule s = nibp_schedule(p);
  EXPECT_EQ(s.infusion_cycle_s(), 180);
  EXPECT_EQ(s.recovery_early_cycle_s(), 420);
  EXPECT_EQ(s.recovery_early_span_s(), 1200);
  EXPECT_EQ(s.recovery_late_cycle_s(), 720);
  EXPECT_EQ(s.hr_from_pulse_after_s(), 25);
  // The defaults of docs/alarms.md.
  const proto::NibpSchedule d = nibp_schedule(RuleProfile{});
  EXPECT_EQ(d.infusion_cycle_s(), 300);
  EXPECT_EQ(d.recovery_early_cycle_s(), 600);
  EXPECT_EQ(d.recovery_early_span_s(), 1800);
  EXPECT_EQ(d.recovery_late_cycle_s(), 900);
  EXPECT_EQ(d.hr_from_pulse_after_s(), 10);
}

}  // namespace
}  // namespace vigil::alerts::test
