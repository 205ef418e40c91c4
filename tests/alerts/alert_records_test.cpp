// Records for the log, the session store and the stream.
#include "alert_harness.hpp"
#include "alerts/alert_records.hpp"

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
  r.set_phase("dancing");
  std::string error;
  EXPECT_FALSE(from_proto(r, &error));
  EXPECT_NE(error.find("phase"), std::string::npos);
  r.set_phase("infusion");
  r.add_actions()->set_action("dance");
  EXPECT_FALSE(from_proto(r, &error));
}

TEST(Records, TransitionAndActiveAlert) {
  Harness h;
  h.nibp(205, 100);
  ASSERT_FALSE(h.log.empty());
  const auto t = to_proto(h.of(RuleId::P1)[0]);
  EXPECT_EQ(t.rule(), "P1");
  EXPECT_EQ(t.transition(), "raised");
  EXPECT_EQ(t.priority(), "HIGH");
  EXPECT_EQ(t.state(), "ACTIVE");
  EXPECT_EQ(t.phase(), "monitoring");
  EXPECT_EQ(t.value(), 205);
  EXPECT_EQ(t.message(), "SBP 205 >= 200");
  EXPECT_FALSE(t.has_baseline());
  const auto a = to_proto(*h.alert(RuleId::P1), Phase::Monitoring);
  EXPECT_EQ(a.id(), t.id());
  EXPECT_EQ(a.onset_ms(), Harness::kWall0);
  EXPECT_EQ(rule_from_string("T8"), RuleId::T8);
  EXPECT_FALSE(rule_from_string("X1"));
}

}  // namespace
}  // namespace vigil::alerts::test
