// A late-connecting screen's stored history (NurseRequest.history) merged into the ward model:
// the trend and alert history reach back to the session's start, live events that arrived
// while the answer was on its way are kept once, refusals are shown with their reason.
#include <gtest/gtest.h>

#include <set>

#include "client/ward_model.hpp"
#include "support/ward_feed.hpp"

namespace vigil::client {
namespace {

using test::kMin;
using test::kT0;

proto::Reading stored_reading(std::uint64_t id, proto::VitalKind kind, double value, std::int64_t at) {
  proto::Reading r;
  r.set_id(id);
  r.set_bed("CHAIR1");
  r.set_kind(kind);
  r.set_value(value);
  r.set_measured_at_ms(at);
  r.set_received_at_ms(at);
  r.set_valid(true);
  return r;
}

proto::ServerMessage live(const proto::Reading& r) {
  proto::ServerMessage m;
  *m.mutable_reading() = r;
  return m;
}

proto::ServerMessage answer(std::uint64_t request_id, const proto::ChairHistory& h) {
  proto::ServerMessage m;
  m.mutable_result()->set_request_id(request_id);
  m.mutable_result()->set_ok(true);
  *m.mutable_result()->mutable_history() = h;
  return m;
}

// 24 minutes of a session: a cuff every 5 min (ids 1000+), HR every 10 s (ids 1+); the
// daemon answers at minute 24, when the screen has been connected since minute 23.
proto::ChairHistory twenty_four_minutes() {
  proto::ChairHistory h;
  h.set_bed("CHAIR1");
  for (int m = 0; m <= 20; m += 5) {
    *h.add_readings() = stored_reading(1000 + m, proto::NIBP_SYS, 120 + m, kT0 + m * kMin);
    *h.add_readings() = stored_reading(2000 + m, proto::NIBP_DIA, 80, kT0 + m * kMin);
  }
  for (int s = 0; s < 24 * 6; ++s) *h.add_readings() = stored_reading(1 + s, proto::HR, 70, kT0 + s * 10'000);
  proto::AlertEvent* a = h.add_alerts();
  a->set_id("CHAIR1-P2-1");
  a->set_bed("CHAIR1");
  a->set_rule(proto::P2);
  a->set_priority(proto::HIGH);
  a->set_state(proto::ACTIVE);
  a->set_transition(proto::raised);
  a->set_at_ms(kT0 + 10 * kMin);
  a->set_onset_ms(kT0 + 10 * kMin);
  return h;
}

class LateScreen : public ::testing::Test {
 protected:
  void SetUp() override {
    // Connected at minute 23: the snapshot holds only the minute-20 cuff.
    test::connect_with_snapshot(model, {test::chair_with_nibp("CHAIR1", proto::infusion, kT0 + 20 * kMin)},
                                kT0 + 23 * kMin, kT0 + 23 * kMin);
  }
  WardModel model{"nurse1"};
};

TEST_F(LateScreen, HistoryFillsTheTrendBackToTheStartWithoutDoubles) {
  EXPECT_EQ(model.trend("CHAIR1").sys.size(), 1u);
  EXPECT_EQ(model.history_status("CHAIR1").state, HistoryLoad::NotAsked);
  model.on_history_requested(7, "CHAIR1");
  EXPECT_EQ(model.history_status("CHAIR1").state, HistoryLoad::Loading);
  // Live HR arrives while the answer is on its way; the last one is also in the answer.
  const std::int64_t now = kT0 + 24 * kMin;
  model.on_message(live(stored_reading(143, proto::HR, 71, kT0 + 142 * 10'000)), now);
  model.on_message(live(stored_reading(144, proto::HR, 72, kT0 + 143 * 10'000)), now);
  model.on_message(live(stored_reading(9999, proto::HR, 73, kT0 + 24 * kMin + 500)), now);
  model.on_message(answer(7, twenty_four_minutes()), now);

  const HistoryStatus status = model.history_status("CHAIR1");
  EXPECT_EQ(status.state, HistoryLoad::Loaded);
  EXPECT_EQ(status.readings, 5u * 2 + 24 * 6);
  const ChairTrend t = model.trend("CHAIR1");
  ASSERT_EQ(t.sys.size(), 5u);  // minutes 0..20; the snapshot's minute-20 value once
  EXPECT_EQ(t.sys.front().t_ms, kT0);
  EXPECT_EQ(t.sys.back().t_ms, kT0 + 20 * kMin);
  ASSERT_EQ(t.hr.size(), 24u * 6 + 1);  // the stored 144, plus the live one after the answer's end
  std::set<std::int64_t> times;
  for (std::size_t i = 0; i < t.hr.size(); ++i) {
    EXPECT_TRUE(times.insert(t.hr[i].t_ms).second) << "duplicate at " << i;
    if (i > 0) {
      EXPECT_LT(t.hr[i - 1].t_ms, t.hr[i].t_ms);
    }
  }
  EXPECT_EQ(t.hr.front().t_ms, kT0);
  ASSERT_EQ(model.history("CHAIR1").size(), 1u);
  EXPECT_EQ(model.history("CHAIR1")[0].id, "CHAIR1-P2-1");
  ASSERT_EQ(t.marks.size(), 1u);

  // The same answer again (a re-ask after a reconnect) adds nothing.
  model.on_history_requested(8, "CHAIR1");
  model.on_message(answer(8, twenty_four_minutes()), now);
  EXPECT_EQ(model.trend("CHAIR1").hr.size(), 24u * 6 + 1);
  EXPECT_EQ(model.trend("CHAIR1").sys.size(), 5u);
  EXPECT_EQ(model.history("CHAIR1").size(), 1u);
}

// The stored history draws the HR line by the live rule (ward_hr_trend_test.cpp): ECG HR while
// it comes, the pulse rate once no ECG HR came for the switch delay (10 s: no schedule here).
TEST_F(LateScreen, HistoryDrawsThePulseRateOnTheHrLineWhereTheEngineJudgedIt) {
  model.on_history_requested(9, "CHAIR1");
  proto::ChairHistory h;
  h.set_bed("CHAIR1");
  // ECG HR every second for a minute, then the leads came off; the oximeter ran two minutes.
  for (int s = 0; s < 60; ++s) *h.add_readings() = stored_reading(1 + s, proto::HR, 72, kT0 + s * 1'000);
  for (int s = 0; s < 120; ++s)
    *h.add_readings() = stored_reading(1000 + s, proto::PULSE, 140, kT0 + s * 1'000 + 300);
  model.on_message(answer(9, h), kT0 + 24 * kMin);
  const ChairTrend t = model.trend("CHAIR1");
  ASSERT_EQ(t.hr.size(), 60u + 51u);  // pulse rates from 69.3 s: more than 10 s after the last ECG HR
  for (std::size_t i = 0; i < 60; ++i) EXPECT_FALSE(t.hr[i].from_pulse) << i;
  EXPECT_EQ(t.hr[59].t_ms, kT0 + 59'000);
  EXPECT_EQ(t.hr[60].t_ms, kT0 + 69'300);
  for (std::size_t i = 60; i < t.hr.size(); ++i) EXPECT_TRUE(t.hr[i].from_pulse && t.hr[i].value == 140) << i;
}

// A live pulse rate this screen drew knowing no ECG HR is taken off the line when the history
// shows an ECG HR just before it: the engine did not judge it as HR.
TEST_F(LateScreen, AHistoryShowingAnEcgHrJustBeforeALivePulsePointTakesItOff) {
  model.on_history_requested(9, "CHAIR1");
  const std::int64_t leads = kT0 + 23 * kMin;
  model.on_message(live(stored_reading(501, proto::PULSE, 140, leads + 2'000)), leads + 2'000);
  ASSERT_EQ(model.trend("CHAIR1").hr.size(), 1u);
  proto::ChairHistory h;
  h.set_bed("CHAIR1");
  *h.add_readings() = stored_reading(500, proto::HR, 72, leads);
  *h.add_readings() = stored_reading(501, proto::PULSE, 140, leads + 2'000);
  model.on_message(answer(9, h), kT0 + 24 * kMin);
  const ChairTrend t = model.trend("CHAIR1");
  ASSERT_EQ(t.hr.size(), 1u);
  EXPECT_EQ(t.hr[0].t_ms, leads);
  EXPECT_FALSE(t.hr[0].from_pulse);
}

TEST_F(LateScreen, RefusalKeepsItsReasonAndALostLinkAsksAgain) {
  model.on_history_requested(3, "CHAIR1");
  proto::ServerMessage m;
  m.mutable_result()->set_request_id(3);
  m.mutable_result()->set_reason("history busy (4 requests being read): try again shortly");
  model.on_message(m, kT0 + 24 * kMin);
  EXPECT_EQ(model.history_status("CHAIR1").state, HistoryLoad::Refused);
  EXPECT_EQ(model.history_status("CHAIR1").reason, "history busy (4 requests being read): try again shortly");
  // Not the screen's "last result" line: that is for the nurse's own actions.
  EXPECT_EQ(model.snapshot(kT0 + 24 * kMin).last_result, "");
  model.on_link(LinkView::Lost, "eof", kT0 + 25 * kMin);
  EXPECT_EQ(model.history_status("CHAIR1").state, HistoryLoad::NotAsked);
}

TEST_F(LateScreen, AnAnswerForAnotherRequestOrAnUnsentRequestChangesNothing) {
  model.on_history_requested(5, "CHAIR1");
  model.on_message(answer(6, twenty_four_minutes()), kT0 + 24 * kMin);
  EXPECT_EQ(model.history_status("CHAIR1").state, HistoryLoad::Loading);
  EXPECT_EQ(model.trend("CHAIR1").sys.size(), 1u);
  model.on_request_unsent(5);
  EXPECT_EQ(model.history_status("CHAIR1").state, HistoryLoad::NotAsked);
}

}  // namespace
}  // namespace vigil::client
