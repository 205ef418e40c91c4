// Alerts restored from the log after a restart live inside the engine: listed until a nurse
// acknowledges them through the same acknowledge() as a live alert, which logs them
// acknowledged and resolved, repeating the stored record; they keep their chair.
#include "alert_harness.hpp"
#include "alerts/alert_records.hpp"

namespace vigil::alerts::test {
namespace {

proto::AlertEvent stored_alert() {
  proto::AlertEvent r;
  r.set_id("BED1-P2-7");
  r.set_bed("BED1");
  r.set_rule(proto::P2);
  r.set_priority(proto::HIGH);
  r.set_state(proto::ACTIVE);
  r.set_transition(proto::escalated);
  r.set_kind(proto::physiological);
  r.set_value(186);
  r.set_limit(180);
  r.set_metric(proto::NIBP_SYS);
  r.set_direction(proto::above);
  r.set_message("SBP 186 >= 180");
  r.set_limits("SBP >= 180");
  r.set_profile("default");
  r.set_phase(proto::infusion);
  r.set_at_ms(1'000);
  r.set_onset_ms(900);
  r.set_seq(41);
  r.set_subject("NIBP");
  r.set_escalated(true);
  r.set_log_id(12);
  return r;
}

TEST(RestoredAlert, StoredRecordRoundTripsUnchanged) {
  const proto::AlertEvent stored = stored_alert();
  std::string error;
  auto restored = restored_from_proto(stored, &error);
  ASSERT_TRUE(restored) << error;
  EXPECT_EQ(to_proto(*restored).SerializeAsString(), stored.SerializeAsString());
}

TEST(RestoredAlert, UnknownRuleIsRefused) {
  proto::AlertEvent r = stored_alert();
  r.set_rule(static_cast<proto::AlertRule>(99));  // from a newer daemon
  std::string error;
  EXPECT_FALSE(restored_from_proto(r, &error));
  EXPECT_NE(error.find("rule"), std::string::npos);
}

TEST(RestoredAlert, ListedAndKeepsItsChairUntilAcknowledged) {
  Harness h;
  h.engine.restore_alert(*restored_from_proto(stored_alert()));
  ASSERT_EQ(h.engine.restored_alerts().size(), 1u);
  EXPECT_FALSE(h.engine.forget_bed("BED1"));
  EXPECT_TRUE(h.engine.forget_bed("BED2"));
  // Another chair's nurse cannot end it by naming its id.
  EXPECT_FALSE(h.engine.acknowledge("BED2", "BED1-P2-7", "nina", h.now()).ok);
  EXPECT_EQ(h.engine.restored_alerts().size(), 1u);
}

TEST(RestoredAlert, AcknowledgeLogsAcknowledgedThenResolvedFromTheStoredRecord) {
  Harness h;
  h.engine.restore_alert(*restored_from_proto(stored_alert()));
  const ActionResult r = h.engine.acknowledge("BED1", "BED1-P2-7", "nina", h.now());
  ASSERT_TRUE(r.ok) << r.reason;
  ASSERT_EQ(r.transitions.size(), 2u);
  const proto::AlertEvent ack = to_proto(r.transitions[0]);
  const proto::AlertEvent resolved = to_proto(r.transitions[1]);
  EXPECT_EQ(ack.transition(), proto::acknowledged);
  EXPECT_EQ(ack.state(), proto::ACKNOWLEDGED);
  EXPECT_EQ(resolved.transition(), proto::resolved);
  EXPECT_EQ(resolved.state(), proto::RESOLVED);
  for (const proto::AlertEvent& e : {ack, resolved}) {
    EXPECT_EQ(e.id(), "BED1-P2-7");
    EXPECT_EQ(e.user(), "nina");
    EXPECT_EQ(e.acknowledged_by(), "nina");
    EXPECT_EQ(e.at_ms(), h.now().wall_ms);
    EXPECT_EQ(e.onset_ms(), 900);
    EXPECT_EQ(e.seq(), 41u);
    EXPECT_TRUE(e.escalated());
    EXPECT_EQ(e.message(), "SBP 186 >= 180");
    EXPECT_EQ(e.metric(), proto::NIBP_SYS);
    EXPECT_EQ(e.log_id(), 0u);
  }
  EXPECT_TRUE(h.engine.restored_alerts().empty());
  EXPECT_TRUE(h.engine.forget_bed("BED1"));
  // Gone: a second acknowledgment finds nothing to end.
  EXPECT_FALSE(h.engine.acknowledge("BED1", "BED1-P2-7", "nina", h.now()).ok);
}

}  // namespace
}  // namespace vigil::alerts::test
