// Escalation on every screen: the ward model turns EscalationEvents (and a snapshot's
// escalated_to) into AlertView::escalation, "escalated to nurse.lee's phone 14:02:10", and
// the board prints it with the alert. Times are local: the test pins TZ to UTC.
#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

#include "client/ward_model.hpp"
#include "client/ward_rules.hpp"
#include "ctl/board.hpp"
#include "support/ward_feed.hpp"

namespace vigil::client {
namespace {

using test::kT0;

class WardEscalation : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tz = std::getenv("TZ");
    saved_tz_ = tz ? std::optional<std::string>(tz) : std::nullopt;
    setenv("TZ", "UTC", 1);
    tzset();
  }
  void TearDown() override {
    if (saved_tz_)
      setenv("TZ", saved_tz_->c_str(), 1);
    else
      unsetenv("TZ");
    tzset();
  }

  static proto::AlertEvent p1(std::int64_t at) {
    proto::AlertEvent a;
    a.set_id("CHAIR3-P1-1");
    a.set_bed("CHAIR3");
    a.set_rule(proto::P1);
    a.set_priority(proto::HIGH);
    a.set_state(proto::ACTIVE);
    a.set_kind(proto::physiological);
    a.set_message("SBP 204 >= 200");
    a.set_at_ms(at);
    a.set_onset_ms(at);
    a.set_transition(proto::raised);
    return a;
  }

  static proto::ServerMessage step(unsigned tier, const std::string& target, std::int64_t at) {
    proto::ServerMessage m;
    auto* e = m.mutable_escalation();
    e->set_alert_id("CHAIR3-P1-1");
    e->set_bed("CHAIR3");
    e->set_tier(tier);
    e->set_target(target);
    e->set_priority(proto::HIGH);
    e->set_at_ms(at);
    e->set_no_one_on_call(target.empty());
    return m;
  }

  const AlertView* only_alert(std::int64_t now) {
    snapshot_ = model_.snapshot(now);
    return snapshot_.alerts.size() == 1 ? &snapshot_.alerts[0] : nullptr;
  }

  WardModel model_{"nurse1"};
  WardSnapshot snapshot_;
  std::optional<std::string> saved_tz_;
};

// kT0 is a whole minute on the UTC clock: the steps below fall at known times of day.
std::string time_at(std::int64_t ms) { return time_of_day_text(ms); }

TEST_F(WardEscalation, StepsShowOnTheAlertWithTheirTimeOfDay) {
  test::connect_with_snapshot(model_, {test::chair_with_nibp("CHAIR3", proto::infusion, kT0)}, kT0, kT0);
  proto::ServerMessage raised;
  *raised.mutable_alert() = p1(kT0);
  model_.on_message(raised, kT0);
  ASSERT_NE(only_alert(kT0), nullptr);
  EXPECT_EQ(only_alert(kT0)->escalation, "");

  model_.on_message(step(1, "nurse.lee's phone", kT0 + 120'000), kT0 + 120'000);
  EXPECT_EQ(only_alert(kT0 + 121'000)->escalation,
            "escalated to nurse.lee's phone " + time_at(kT0 + 120'000));
  model_.on_message(step(2, "", kT0 + 240'000), kT0 + 240'000);
  EXPECT_EQ(only_alert(kT0 + 241'000)->escalation,
            "escalated to nurse.lee's phone " + time_at(kT0 + 120'000) + "; no one on call for tier 2 " +
                time_at(kT0 + 240'000));
  // A later transition (audio paused) keeps what the escalation events said.
  auto paused = p1(kT0 + 250'000);
  paused.set_state(proto::AUDIO_PAUSED);
  paused.set_transition(proto::audio_paused);
  proto::ServerMessage m;
  *m.mutable_alert() = paused;
  model_.on_message(m, kT0 + 250'000);
  EXPECT_NE(only_alert(kT0 + 251'000)->escalation.find("nurse.lee's phone"), std::string::npos);
  EXPECT_NE(ctl::render_board(snapshot_).find("(escalated to nurse.lee's phone "), std::string::npos)
      << ctl::render_board(snapshot_);
}

TEST_F(WardEscalation, TimeOfDayIsLocal) { EXPECT_EQ(time_of_day_text(1'800'000'130'000), "08:02:10"); }

TEST_F(WardEscalation, SnapshotCarriesTheLastStep) {
  auto chair = test::chair_with_nibp("CHAIR3", proto::infusion, kT0);
  auto alert = p1(kT0);
  alert.clear_transition();
  alert.set_escalated_to("nurse.lee's phone");
  alert.set_escalated_at_ms(1'800'000'130'000);
  *chair.add_active_alerts() = alert;
  test::connect_with_snapshot(model_, {chair}, kT0, kT0);
  ASSERT_NE(only_alert(kT0), nullptr);
  EXPECT_EQ(only_alert(kT0)->escalation, "escalated to nurse.lee's phone 08:02:10");
}

TEST_F(WardEscalation, StepForAnUnknownAlertChangesNothing) {
  test::connect_with_snapshot(model_, {test::chair_with_nibp("CHAIR3", proto::infusion, kT0)}, kT0, kT0);
  model_.on_message(step(1, "nurse.lee's phone", kT0), kT0);
  EXPECT_TRUE(model_.snapshot(kT0).alerts.empty());
}

}  // namespace
}  // namespace vigil::client
