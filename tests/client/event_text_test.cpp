// `vigilctl watch --format text`: one readable line per event, escalations included, the
// same events (and the same bed filter) as the JSON lines.
#include <gtest/gtest.h>

#include <cmath>

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

// A reading line says what the reading is when it is not a value the rules used: a withdrawal
// (no value sent: "--"), a late reading, an unverified one.
TEST(EventText, ReadingLinesSayWithdrawnLateAndUnverified) {
  auto line = [](double value, auto setup) {
    proto::ServerMessage m;
    proto::Reading* r = m.mutable_reading();
    r->set_bed("CHAIR3");
    r->set_kind(proto::NIBP_SYS);
    r->set_value(value);
    r->set_unit("mmHg");
    r->set_received_at_ms(kAt);
    r->set_valid(true);
    setup(*r);
    return event_text_lines(m, {}).at(0);
  };
  EXPECT_EQ(line(std::nan(""),
                 [](proto::Reading& r) {
                   r.set_valid(false);
                   r.set_status(" w ");
                   r.set_withdrawn(true);
                 }),
            "2027-01-15T08:02:10Z  reading    CHAIR3 NIBP_SYS -- mmHg (withdrawn by the device, status w)");
  EXPECT_EQ(line(212, [](proto::Reading& r) { r.set_late(true), r.set_verified(false); }),
            "2027-01-15T08:02:10Z  reading    CHAIR3 NIBP_SYS 212 mmHg (late: an old result sent again)");
  EXPECT_EQ(line(262, [](proto::Reading& r) { r.set_verified(false); }),
            "2027-01-15T08:02:10Z  reading    CHAIR3 NIBP_SYS 262 mmHg (unverified)");
  EXPECT_EQ(line(140, [](proto::Reading&) {}), "2027-01-15T08:02:10Z  reading    CHAIR3 NIBP_SYS 140 mmHg");
}

}  // namespace
}  // namespace vigil::client
