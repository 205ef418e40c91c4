// T8 "hospital link down" and the forwarding warning: pure engine, fake clock.
#include "alert_harness.hpp"

namespace vigil::alerts::test {
namespace {

// Link down: MEDIUM on every chair until the link delivers again.
TEST(T8Forward, HospitalLinkDownOnEveryChairUntilItDeliversAgain) {
  Harness h;
  h.reading(VitalKind::HeartRate, 80, true, "BED1");
  h.reading(VitalKind::HeartRate, 80, true, "BED2");
  h.take(h.engine.on_system_event(
      SystemEvent{SystemEventKind::ForwardFailed, 0, "nothing delivered for over 60 s: cannot connect"},
      h.now()));
  for (std::string bed : {"BED1", "BED2"}) {
    h.bed = bed;
    ASSERT_TRUE(h.alert(RuleId::T8, "forward"));
    EXPECT_EQ(h.alert(RuleId::T8, "forward")->priority, Priority::Medium);
    EXPECT_EQ(h.alert(RuleId::T8, "forward")->kind, AlertKind::Technical);
    EXPECT_NE(h.alert(RuleId::T8, "forward")->message.find("Hospital link down: nothing delivered"),
              std::string::npos);
    EXPECT_FALSE(h.alert(RuleId::T8, "forward-warning"));
  }
  h.take(h.engine.on_system_event(SystemEvent{SystemEventKind::ForwardOk, 0, {}}, h.now()));
  for (std::string bed : {"BED1", "BED2"}) {
    h.bed = bed;
    EXPECT_FALSE(h.alert(RuleId::T8, "forward"));
  }
}

// A refused message or dropped readings: LOW, separate from the link alarm.
TEST(T8Forward, WarningIsLowAndIndependentOfTheLink) {
  Harness h;
  h.reading(VitalKind::HeartRate, 80, true, "BED1");
  h.bed = "BED1";
  h.take(h.engine.on_system_event(SystemEvent{SystemEventKind::ForwardWarning, 0, "message d-4 refused: AE"},
                                  h.now()));
  ASSERT_TRUE(h.alert(RuleId::T8, "forward-warning"));
  EXPECT_EQ(h.alert(RuleId::T8, "forward-warning")->priority, Priority::Low);
  EXPECT_NE(h.alert(RuleId::T8, "forward-warning")->message.find("d-4 refused"), std::string::npos);
  EXPECT_FALSE(h.alert(RuleId::T8, "forward"));
  h.take(h.engine.on_system_event(SystemEvent{SystemEventKind::ForwardOk, 0, {}}, h.now()));
  EXPECT_TRUE(h.alert(RuleId::T8, "forward-warning"));  // the link being fine does not end it
  h.take(h.engine.on_system_event(SystemEvent{SystemEventKind::ForwardWarningOk, 0, {}}, h.now()));
  EXPECT_FALSE(h.alert(RuleId::T8, "forward-warning"));
}

}  // namespace
}  // namespace vigil::alerts::test
