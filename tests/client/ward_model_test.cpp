// The ward model (monitor/client/ward_model.hpp) the dashboard draws, with a fake clock: snapshot +
// events -> what each chair shows.
#include <gtest/gtest.h>

#include <limits>

#include "client/ward_model.hpp"
#include "client/ward_rules.hpp"
#include "client/ward_views.hpp"
#include "common/vocabulary.hpp"
#include "support/ward_feed.hpp"

namespace vigil::client {
namespace {

using test::kMin;
using test::kT0;

proto::ServerMessage reading(const std::string& bed, proto::VitalKind kind, double value, std::int64_t at) {
  proto::ServerMessage m;
  auto* r = m.mutable_reading();
  r->set_bed(bed);
  r->set_kind(kind);
  r->set_value(value);
  r->set_measured_at_ms(at);
  r->set_received_at_ms(at);
  r->set_valid(true);
  return m;
}

proto::AlertEvent alert(const std::string& bed, const std::string& id, const std::string& priority,
                        const std::string& state, std::int64_t onset,
                        const std::string& kind = "physiological") {
  proto::AlertEvent a;
  a.set_id(id);
  a.set_bed(bed);
  a.set_rule(from_word<proto::AlertRule>(id.substr(id.find('-') + 1, 2)).value());
  a.set_priority(from_word<proto::Priority>(priority).value());
  a.set_state(from_word<proto::AlertState>(state).value());
  a.set_kind(from_word<proto::AlertKind>(kind).value());
  a.set_message("SBP 186 >= 180");
  a.set_at_ms(onset);
  a.set_onset_ms(onset);
  a.set_transition(proto::raised);
  return a;
}

// A connected model whose daemon clock equals the local clock, with a snapshot of `beds`.
class ModelTest : public ::testing::Test {
 protected:
  client::WardModel model{"nurse1"};

  void connect(const std::vector<proto::BedState>& beds, std::int64_t now = kT0) {
    test::connect_with_snapshot(model, beds, now, now);
  }

  static proto::BedState bed(const std::string& name, std::int64_t sys_at) {
    return test::chair_with_nibp(name, proto::infusion, sys_at);
  }

  const ChairView& chair(const WardSnapshot& s, const std::string& name) { return test::chair_of(s, name); }
};

TEST_F(ModelTest, FreshValueShownWithAgeThenGreyedAfterItsCycle) {
  connect({bed("CHAIR1", kT0 - 30'000)});
  auto s = model.snapshot(kT0);
  const auto& c = chair(s, "CHAIR1");
  ASSERT_TRUE(c.sys.value);
  EXPECT_EQ(*c.sys.value, 150);
  EXPECT_EQ(c.sys.freshness, Freshness::Fresh);
  EXPECT_EQ(c.sys.age_ms, 30'000);
  EXPECT_EQ(c.sys.age_text, "30 s");
  // Infusion cadence is 5 min: at 5 min 30 s the value is greyed and says how old.
  s = model.snapshot(kT0 + 5 * kMin);
  EXPECT_EQ(chair(s, "CHAIR1").sys.freshness, Freshness::Stale);
  EXPECT_EQ(chair(s, "CHAIR1").sys.age_text, "5 min");
  EXPECT_EQ(*chair(s, "CHAIR1").sys.value, 150);
  // Next NIBP was due 4.5 min after... now overdue by 30 s.
  ASSERT_TRUE(chair(s, "CHAIR1").next_nibp_in_ms);
  EXPECT_EQ(*chair(s, "CHAIR1").next_nibp_in_ms, -30'000);
}

TEST_F(ModelTest, AgesUseTheDaemonsClock) {
  // The dashboard's clock is 10 s behind the daemon's.
  model.on_link(LinkView::Connected, "", kT0);
  proto::ServerMessage begin;
  begin.mutable_snapshot_begin()->set_server_time_ms(kT0 + 10'000);
  model.on_message(begin, kT0);
  proto::ServerMessage end;
  end.mutable_snapshot_end();
  model.on_message(end, kT0);
  model.on_message(reading("CHAIR2", proto::HR, 72, kT0 + 10'000), kT0);
  auto s = model.snapshot(kT0 + 2'000);
  EXPECT_EQ(chair(s, "CHAIR2").hr.age_ms, 2'000);
}

TEST_F(ModelTest, LinkLostBlanksEveryValueAndAlertUntilTheNextSnapshot) {
  auto b = bed("CHAIR1", kT0);
  *b.add_active_alerts() = alert("CHAIR1", "CHAIR1-P1-1", "HIGH", "ACTIVE", kT0);
  connect({b});
  ASSERT_TRUE(chair(model.snapshot(kT0), "CHAIR1").sys.value);
  model.on_link(LinkView::Lost, "closed by server", kT0 + 100);
  auto s = model.snapshot(kT0 + 200);
  EXPECT_FALSE(s.data_valid);
  EXPECT_EQ(s.link, LinkView::Lost);
  EXPECT_EQ(s.link_detail, "closed by server");
  EXPECT_FALSE(chair(s, "CHAIR1").sys.value);
  EXPECT_EQ(chair(s, "CHAIR1").sys.freshness, Freshness::Blank);
  EXPECT_TRUE(chair(s, "CHAIR1").alerts.empty());
  EXPECT_TRUE(s.alerts.empty());
  // Not knowing the alarms is itself sounded.
  EXPECT_EQ(s.sound, Priority::Medium);
  // Reconnected but no snapshot yet: still blank.
  model.on_link(LinkView::Connected, "", kT0 + 2000);
  EXPECT_FALSE(chair(model.snapshot(kT0 + 2000), "CHAIR1").sys.value);
  connect({bed("CHAIR1", kT0 + 1000)}, kT0 + 2500);
  EXPECT_TRUE(chair(model.snapshot(kT0 + 2500), "CHAIR1").sys.value);
}

TEST_F(ModelTest, LostDeviceBlanksItsChairOnly) {
  auto b1 = bed("CHAIR1", kT0);
  auto* dev = b1.add_devices();
  dev->set_source("MON1");
  dev->set_state(proto::connected);
  connect({b1, bed("CHAIR2", kT0)});
  proto::ServerMessage lost;
  lost.mutable_device()->set_bed("CHAIR1");
  lost.mutable_device()->set_source("MON1");
  lost.mutable_device()->set_state(proto::lost);
  model.on_message(lost, kT0 + 1000);
  auto s = model.snapshot(kT0 + 1000);
  EXPECT_TRUE(chair(s, "CHAIR1").device_lost);
  EXPECT_FALSE(chair(s, "CHAIR1").sys.value);
  EXPECT_TRUE(chair(s, "CHAIR2").sys.value);
}

TEST_F(ModelTest, AlertColoursFlashPhasesAndText) {
  connect({bed("CHAIR1", kT0)});
  proto::ServerMessage m;
  *m.mutable_alert() = alert("CHAIR1", "CHAIR1-P1-1", "HIGH", "ACTIVE", kT0);
  model.on_message(m, kT0);
  *m.mutable_alert() = alert("CHAIR1", "CHAIR1-P2-2", "MEDIUM", "ACTIVE", kT0);
  model.on_message(m, kT0);
  *m.mutable_alert() = alert("CHAIR1", "CHAIR1-P4-3", "LOW", "ACTIVE", kT0);
  model.on_message(m, kT0);
  // t = 0 ms into both periods: all lit. HIGH 2 Hz is dark at 250 ms, MEDIUM 0.5 Hz at 1000 ms.
  const std::int64_t base = (kT0 / 2000) * 2000 + 2000;
  auto at = [&](std::int64_t dt) { return model.snapshot(base + dt).alerts; };
  auto a = at(0);
  ASSERT_EQ(a.size(), 3u);
  EXPECT_EQ(a[0].colour, AlertColour::Red);
  EXPECT_EQ(a[1].colour, AlertColour::Yellow);
  EXPECT_EQ(a[2].colour, AlertColour::Cyan);
  EXPECT_TRUE(a[0].flashing && a[1].flashing);
  EXPECT_FALSE(a[2].flashing);
  EXPECT_TRUE(a[0].lit && a[1].lit && a[2].lit);
  a = at(250);
  EXPECT_FALSE(a[0].lit);
  EXPECT_TRUE(a[1].lit);
  a = at(500);
  EXPECT_TRUE(a[0].lit);
  a = at(1000);
  EXPECT_FALSE(a[1].lit);
  EXPECT_TRUE(a[2].lit);  // LOW is steady
  EXPECT_EQ(a[0].text, "SBP 186 \xE2\x89\xA5 180");
  EXPECT_EQ(model.snapshot(base).sound, Priority::High);
}

TEST_F(ModelTest, AlertsSortedHighFirstUnacknowledgedFirstOldestFirstAdvisoriesLast) {
  connect({bed("CHAIR1", kT0), bed("CHAIR2", kT0)});
  proto::ServerMessage m;
  for (const auto& a : {alert("CHAIR1", "CHAIR1-P3-1", "MEDIUM", "ACTIVE", kT0 - 5000),
                        alert("CHAIR2", "CHAIR2-P1-2", "HIGH", "ACKNOWLEDGED", kT0 - 9000),
                        alert("CHAIR1", "CHAIR1-P1-3", "HIGH", "ACTIVE", kT0 - 1000),
                        alert("CHAIR2", "CHAIR2-P1-4", "HIGH", "ACTIVE", kT0 - 2000),
                        alert("CHAIR2", "CHAIR2-P2-5", "MEDIUM", "ADVISORY", kT0 - 9999, "advisory")}) {
    *m.mutable_alert() = a;
    model.on_message(m, kT0);
  }
  auto s = model.snapshot(kT0);
  std::vector<std::string> ids;
  for (const auto& a : s.alerts) ids.push_back(a.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"CHAIR2-P1-4", "CHAIR1-P1-3", "CHAIR2-P1-2", "CHAIR1-P3-1",
                                           "CHAIR2-P2-5"}));
  EXPECT_TRUE(s.alerts.back().advisory);
  EXPECT_EQ(s.alerts.back().colour, AlertColour::Advisory);
  EXPECT_FALSE(s.alerts.back().flashing);
  EXPECT_FALSE(s.alerts[2].flashing);  // acknowledged: steady
  EXPECT_EQ(chair(s, "CHAIR2").top_priority, Priority::High);
}

TEST_F(ModelTest, AcknowledgeComesBackThroughTheStreamAndIsInHistory) {
  connect({bed("CHAIR1", kT0)});
  proto::ServerMessage m;
  *m.mutable_alert() = alert("CHAIR1", "CHAIR1-P1-1", "HIGH", "ACTIVE", kT0);
  model.on_message(m, kT0);
  model.on_request_sent(7, "ack CHAIR1-P1-1");
  // Sending alone changes nothing on screen.
  EXPECT_EQ(model.snapshot(kT0 + 10).alerts.at(0).state, proto::ACTIVE);
  EXPECT_TRUE(model.snapshot(kT0 + 10).last_result.empty());
  proto::ServerMessage result;
  result.mutable_result()->set_request_id(7);
  result.mutable_result()->set_ok(true);
  model.on_message(result, kT0 + 20);
  auto acked = alert("CHAIR1", "CHAIR1-P1-1", "HIGH", "ACKNOWLEDGED", kT0);
  acked.set_at_ms(kT0 + 20);
  acked.set_transition(proto::acknowledged);
  acked.set_user("nurse1");
  acked.set_acknowledged_by("nurse1");
  *m.mutable_alert() = acked;
  model.on_message(m, kT0 + 20);
  auto s = model.snapshot(kT0 + 30);
  EXPECT_EQ(s.last_result, "ack CHAIR1-P1-1: ok");
  EXPECT_EQ(s.alerts.at(0).state, proto::ACKNOWLEDGED);
  EXPECT_EQ(s.alerts.at(0).acknowledged_by, "nurse1");
  EXPECT_FALSE(s.alerts.at(0).sounding);
  EXPECT_EQ(s.sound, Priority::None);
  auto h = model.history("CHAIR1");
  ASSERT_EQ(h.size(), 2u);
  EXPECT_EQ(h[1].transition, proto::acknowledged);
  EXPECT_EQ(h[1].user, "nurse1");
  // Resolved: gone from the list, still in the history.
  auto resolved = acked;
  resolved.set_state(proto::RESOLVED);
  resolved.set_transition(proto::resolved);
  resolved.set_at_ms(kT0 + 40);
  *m.mutable_alert() = resolved;
  model.on_message(m, kT0 + 40);
  EXPECT_TRUE(model.snapshot(kT0 + 50).alerts.empty());
  EXPECT_EQ(model.history("CHAIR1").size(), 3u);
}

TEST_F(ModelTest, SessionClockRunsFromTheSnapshotAndTrendKeepsTheSession) {
  auto b = bed("CHAIR3", kT0 - kMin);
  auto* s = b.mutable_session();
  s->set_session_id("S1");
  s->set_patient("Pt A");
  s->set_planned_minutes(40);
  s->set_phase(proto::infusion);
  s->set_begun_at_ms(kT0 - 30 * kMin);
  s->set_infusion_started_at_ms(kT0 - 10 * kMin);
  s->set_infusion_elapsed_ms(10 * kMin);
  s->set_snapshot_at_ms(kT0);
  s->mutable_baseline()->set_sys_mmhg(142);
  s->mutable_baseline()->set_dia_mmhg(88);
  connect({b});
  auto snap = model.snapshot(kT0 + 90'000);
  const auto& c = chair(snap, "CHAIR3");
  EXPECT_EQ(c.patient, "Pt A");
  EXPECT_TRUE(c.infusion_running);
  EXPECT_EQ(c.infusion_elapsed_ms, 10 * kMin + 90'000);
  EXPECT_EQ(clock_text(c.infusion_elapsed_ms), "11:30");
  EXPECT_EQ(*c.baseline_sys, 142);
  model.on_message(reading("CHAIR3", proto::NIBP_SYS, 160, kT0 + kMin), kT0 + kMin);
  auto t = model.trend("CHAIR3");
  ASSERT_EQ(t.sys.size(), 2u);
  EXPECT_EQ(t.sys[1].value, 160);
  ASSERT_FALSE(t.marks.empty());
  EXPECT_EQ(t.marks.back().label, "start");
  EXPECT_EQ(*t.baseline_sys, 142);
}

TEST_F(ModelTest, AChairWhoseSessionEndedIsNotShownInInfusionOnAScreenThatConnectsLater) {
  // The daemon's state: no session, phase monitoring; its latest readings were taken in the
  // ended session's infusion, against that patient's baseline.
  proto::BedState state = test::chair_with_nibp("CHAIR1", proto::monitoring, kT0 - 60'000);
  for (auto& r : *state.mutable_latest()) {
    r.set_phase(proto::infusion);
    r.set_baseline_sys_mmhg(120);
    r.set_baseline_dia_mmhg(80);
  }
  connect({state});
  const WardSnapshot s = model.snapshot(kT0);
  const auto& c = chair(s, "CHAIR1");
  EXPECT_EQ(c.phase, proto::monitoring);
  EXPECT_FALSE(c.baseline_sys);
  EXPECT_FALSE(c.baseline_dia);
  ASSERT_TRUE(c.sys.value);  // the last value stays, with its age
  EXPECT_EQ(c.sys.age_text, "1 min");
}

TEST_F(ModelTest, ASessionEndingLiveTakesItsBaselineWithIt) {
  proto::BedState state = test::chair_with_nibp("CHAIR1", proto::infusion, kT0 - 60'000);
  auto* session = state.mutable_session();
  session->set_bed("CHAIR1");
  session->set_session_id("S1");
  session->set_phase(proto::infusion);
  session->set_begun_at_ms(kT0 - 30 * kMin);
  session->mutable_baseline()->set_sys_mmhg(120);
  session->mutable_baseline()->set_dia_mmhg(80);
  connect({state});
  ASSERT_TRUE(chair(model.snapshot(kT0), "CHAIR1").baseline_sys);
  proto::ServerMessage ended;
  ended.mutable_session()->set_bed("CHAIR1");
  ended.mutable_session()->set_event(proto::ended);
  *ended.mutable_session()->mutable_session() = *session;
  model.on_message(ended, kT0);
  const WardSnapshot s = model.snapshot(kT0);
  const auto& c = chair(s, "CHAIR1");
  EXPECT_EQ(c.phase, proto::closed);
  EXPECT_FALSE(c.baseline_sys);
}

TEST_F(ModelTest, ChairsInNaturalOrderAndBedCountBounded) {
  std::vector<proto::BedState> beds;
  // One bound for both faces (vigilctl board's 512, not the dashboard's former 64): a screen
  // must not lose chairs, and their alarms, that a clinic's daemon serves.
  const int chairs = static_cast<int>(client::WardModel::kMaxChairs) + 6;
  for (int i = 1; i <= chairs; ++i) beds.push_back(bed("CHAIR" + std::to_string(i), kT0));
  connect(beds);
  auto s = model.snapshot(kT0);
  ASSERT_EQ(s.chairs.size(), client::WardModel::kMaxChairs);
  EXPECT_EQ(s.chairs[1].bed, "CHAIR2");
  EXPECT_EQ(s.chairs[9].bed, "CHAIR10");
  EXPECT_GT(model.dropped(), 0u);
}

TEST_F(ModelTest, AnUnsentRequestSaysSo) {
  connect({bed("CHAIR1", kT0)});
  model.on_request_sent(3, "ack CHAIR1-P1-1");
  model.on_request_unsent(3);
  EXPECT_EQ(model.snapshot(kT0).last_result, "ack CHAIR1-P1-1: NOT SENT (no link to vigild)");
}

TEST_F(ModelTest, LinkLostBlanksTheInfusionClockButKeepsNames) {
  auto b = bed("CHAIR1", kT0);
  b.mutable_session()->set_session_id("S1");
  b.mutable_session()->set_patient("Pt B");
  b.mutable_session()->set_phase(proto::infusion);
  b.mutable_session()->set_infusion_started_at_ms(kT0 - kMin);
  b.mutable_session()->set_infusion_elapsed_ms(kMin);
  b.mutable_session()->set_snapshot_at_ms(kT0);
  connect({b});
  EXPECT_EQ(chair(model.snapshot(kT0), "CHAIR1").infusion_elapsed_ms, kMin);
  model.on_link(LinkView::Lost, "no data for 2500 ms", kT0 + 1000);
  const auto snapshot = model.snapshot(kT0 + 1000);  // `c` refers into it (ASan: was a temporary)
  const auto& c = chair(snapshot, "CHAIR1");
  EXPECT_EQ(c.patient, "Pt B");
  EXPECT_EQ(c.infusion_elapsed_ms, 0);
  EXPECT_FALSE(c.infusion_running);
}

TEST_F(ModelTest, GarbledTimesNeverOverflow) {
  connect({bed("CHAIR1", kT0)});
  model.on_message(reading("CHAIR1", proto::HR, 72, std::numeric_limits<std::int64_t>::min()), kT0);
  model.on_message(reading("CHAIR1", proto::SPO2, 97, std::numeric_limits<std::int64_t>::max()), kT0);
  auto s = model.snapshot(kT0);
  // The clamped past value is very old (greyed), the far-future one is "now": shown, flagged by age.
  EXPECT_EQ(chair(s, "CHAIR1").hr.freshness, Freshness::Stale);
  EXPECT_EQ(chair(s, "CHAIR1").spo2.age_ms, 0);
}

TEST(ViewRules, AgeTextAndCycles) {
  EXPECT_EQ(age_text(500), "now");
  EXPECT_EQ(age_text(59'000), "59 s");
  EXPECT_EQ(age_text(5 * kMin + 10'000), "5 min");
  EXPECT_EQ(age_text(65 * kMin), "1 h 05 min");
  // The cycles are the chair's profile's, as the daemon sends them (the default profile's here).
  const client::NibpCycles defaults{5 * kMin, 10 * kMin, 30 * kMin, 15 * kMin};
  EXPECT_EQ(client::expected_cycle_ms(proto::NIBP_SYS, proto::infusion, defaults, std::nullopt), 5 * kMin);
  EXPECT_EQ(client::expected_cycle_ms(proto::NIBP_SYS, proto::recovery, defaults, 0), 10 * kMin);
  EXPECT_EQ(client::expected_cycle_ms(proto::HR, proto::infusion, defaults, std::nullopt), kMin);
  EXPECT_EQ(display_text("DBP 105 >= 100"), "DBP 105 \xE2\x89\xA5 100");
  EXPECT_EQ(display_text("SBP 85 < 90"), "SBP 85 < 90");
}

TEST(WardModelHello, TheNursesVigildNamesAreKeptBoundedForThePicker) {
  WardModel model;
  proto::ServerHello hello;
  hello.set_accepted(true);
  hello.add_nurses("lee");
  hello.add_nurses("");                     // not a name: skipped
  hello.add_nurses(std::string(200, 'x'));  // longer than a name: skipped
  hello.add_nurses("kim");
  hello.set_pin_required(true);
  model.on_hello(hello, test::kT0);
  auto s = model.snapshot(test::kT0);
  EXPECT_EQ(s.nurses, (std::vector<std::string>{"lee", "kim"}));
  EXPECT_TRUE(s.pin_required);
  // A later hello (a reconnect to a reconfigured vigild) replaces the list.
  for (std::size_t i = 0; i < WardModel::kMaxNurses + 10; ++i) hello.add_nurses("n" + std::to_string(i));
  hello.set_pin_required(false);
  model.on_hello(hello, test::kT0);
  s = model.snapshot(test::kT0);
  EXPECT_EQ(s.nurses.size(), WardModel::kMaxNurses);
  EXPECT_FALSE(s.pin_required);
}

}  // namespace
}  // namespace vigil::client
