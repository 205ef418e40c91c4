// `vigilctl watch --format text`: one readable line per event, escalations included, the
// same events (and the same bed filter) as the JSON lines.
#include <gtest/gtest.h>

#include "client/event_text.hpp"

namespace vigil::client {
namespace {

constexpr std::int64_t kAt = 1'800'000'130'000;  // 2027-01-15T08:02:10Z

TEST(EventText, EscalationAndAlertLines) {
  proto::ServerMessage m;
  auto* e = m.mutable_escalation();
  e->set_alert_id("CHAIR3-P1-4");
  e->set_bed("CHAIR3");
  e->set_tier(1);
  e->set_message("escalated to nurse.lee's phone: HIGH SBP 204 >= 200 (CHAIR3)");
  e->set_at_ms(kAt);
  EXPECT_EQ(event_text_lines(m, {}),
            std::vector<std::string>{"2027-01-15T08:02:10Z  escalation tier 1 CHAIR3-P1-4: escalated to "
                                     "nurse.lee's phone: HIGH SBP 204 >= 200 (CHAIR3)"});
  EXPECT_TRUE(event_text_lines(m, {std::string("CHAIR4")}).empty()) << "another chair";

  proto::ServerMessage a;
  auto* alert = a.mutable_alert();
  alert->set_bed("CHAIR3");
  alert->set_rule(proto::P1);
  alert->set_priority(proto::HIGH);
  alert->set_state(proto::ACTIVE);
  alert->set_transition(proto::raised);
  alert->set_message("SBP 204 >= 200\nforged line");
  alert->set_at_ms(kAt);
  EXPECT_EQ(event_text_lines(a, {}),
            std::vector<std::string>{"2027-01-15T08:02:10Z  alert      CHAIR3 P1 HIGH "
                                     "ACTIVE raised: SBP 204 >= 200?forged line"});
}

}  // namespace
}  // namespace vigil::client
