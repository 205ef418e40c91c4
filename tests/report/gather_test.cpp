// gather() on a store filled by a scripted session: a hypertensive responder on CHAIR2 with
// a P2 alarm acknowledged by nurse2, an unverified spike that must not count, and another
// chair's readings and alerts that must stay out.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "report/report_queries.hpp"
#include "store/log_test_support.hpp"
#include "store/store.hpp"
#include "store/store_test_support.hpp"

namespace vigil::report {
namespace {

using store::testing::make_alert;
using store::testing::make_reading;
using store::testing::make_session_event;
using store::testing::submit_and_wait;
using store::testing::TempDir;

using store::testing::kMin;
using store::testing::kT0;
constexpr const char* kSession = "CHAIR2-1763720100000";

// Minute -> SBP/DBP of the responder (NIBP every 5 minutes, infusion minutes 10..50).
const int kSys[] = {130, 130, 135, 150, 165, 182, 186, 178, 170, 160, 150, 140, 132};
const int kDia[] = {85, 85, 88, 95, 100, 108, 112, 104, 100, 96, 92, 88, 86};

proto::SessionEvent event(const std::string& name, const std::string& phase, int minute,
                          const std::string& user) {
  proto::SessionEvent e = make_session_event("CHAIR2", kSession, name, phase, kT0 + minute * kMin, user);
  proto::SessionInfo* s = e.mutable_session();
  s->set_begun_at_ms(kT0);
  s->set_planned_minutes(40);
  if (minute >= 10) s->set_infusion_started_at_ms(kT0 + 10 * kMin);
  if (minute >= 50) s->set_infusion_stopped_at_ms(kT0 + 50 * kMin);
  s->set_infusion_elapsed_ms(std::clamp(minute - 10, 0, 40) * kMin);
  if (minute >= 5) {
    auto* b = s->mutable_baseline();
    b->set_source(proto::computed);
    b->set_sys_mmhg(130);
    b->set_dia_mmhg(85);
    b->set_nibp_readings_used(2);
    b->set_at_ms(kT0 + 5 * kMin);
  }
  auto action = [&](proto::SessionActionKind what, int at, const char* who) {
    if (minute < at) return;
    auto* a = s->add_actions();
    a->set_action(what);
    a->set_user(who);
    a->set_at_ms(kT0 + at * kMin);
  };
  action(proto::begin, 0, "nurse1");
  action(proto::start_infusion, 10, "nurse1");
  action(proto::stop_infusion, 50, "nurse2");
  action(proto::end, 120, "nurse1");
  if (minute >= 115) s->set_discharge_criteria_met_at_ms(kT0 + 115 * kMin);
  if (name == "ended") s->set_ended_at_ms(kT0 + 120 * kMin);
  return e;
}

store::WriteBatch nibp(int minute, double sys, double dia, bool verified = true) {
  store::WriteBatch b;
  const WallMillis t = kT0 + minute * kMin;
  b.readings = {make_reading("CHAIR2", VitalKind::NibpSys, sys, t),
                make_reading("CHAIR2", VitalKind::NibpDia, dia, t),
                make_reading("CHAIR2", VitalKind::NibpMean, dia + (sys - dia) / 3, t),
                make_reading("CHAIR2", VitalKind::HeartRate, 74, t)};
  store::ReadingContext c;
  c.verified = verified;
  c.phase = minute < 10 ? proto::baseline : minute < 50 ? proto::infusion : proto::recovery;
  c.session_id = kSession;
  b.reading_context.assign(b.readings.size(), c);
  return b;
}

class Gather : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_.file("vigil.db");
    store::Store s({db_});
    store::WriteBatch start;
    start.sessions = {event("begun", "setup", 0, "nurse1")};
    ASSERT_TRUE(submit_and_wait(s, start).ok);
    for (int i = 0; i < 13; ++i) {
      store::WriteBatch b = nibp(i * 5, kSys[i], kDia[i]);
      if (i * 5 == 10) b.sessions = {event("infusion_started", "infusion", 10, "nurse1")};
      if (i * 5 == 50) {
        b.sessions = {event("infusion_stopped", "infusion", 50, "nurse2"),
                      event("phase_changed", "recovery", 50, "")};
      }
      ASSERT_TRUE(submit_and_wait(s, b).ok);
    }
    // A T5-implausible spike: stored, shown as unverified, in no peak and no time.
    ASSERT_TRUE(submit_and_wait(s, nibp(33, 240, 150, false)).ok);
    // CHAIR3 at the same time: must not appear in CHAIR2's report.
    store::WriteBatch other;
    other.readings = {make_reading("CHAIR3", VitalKind::NibpSys, 230, kT0 + 30 * kMin)};
    other.alerts = {make_alert("CHAIR3-P1-9", "CHAIR3", "ACTIVE", "raised", kT0 + 30 * kMin)};
    ASSERT_TRUE(submit_and_wait(s, other).ok);
    store::WriteBatch alerts;
    auto p2 = [&](const char* transition, const char* state, const char* priority, int minute,
                  const char* user) {
      proto::AlertEvent a = make_alert("CHAIR2-P2-1", "CHAIR2", state, transition, kT0 + minute * kMin);
      a.set_priority(store::testing::value<proto::Priority>(priority));
      a.set_onset_ms(kT0 + 25 * kMin);
      a.set_user(user);
      if (std::string(transition) == "acknowledged") a.set_acknowledged_by(user);
      return a;
    };
    proto::AlertEvent p4 = make_alert("CHAIR2-P4-2", "CHAIR2", "ACTIVE", "raised", kT0 + 20 * kMin);
    p4.set_rule(proto::P4);
    p4.set_priority(proto::LOW);
    alerts.alerts = {
        p4, p2("raised", "ACTIVE", "MEDIUM", 25, ""), p2("priority_changed", "ACTIVE", "HIGH", 30, ""),
        p2("acknowledged", "ACKNOWLEDGED", "HIGH", 32, "nurse2"), p2("resolved", "RESOLVED", "HIGH", 45, "")};
    ASSERT_TRUE(submit_and_wait(s, alerts).ok);
    store::WriteBatch end;
    end.sessions = {event("discharge_criteria_met", "recovery", 115, ""),
                    event("ended", "closed", 120, "nurse1")};
    ASSERT_TRUE(submit_and_wait(s, end).ok);
    // A later session on the same chair with no readings.
    store::WriteBatch later;
    later.sessions = {make_session_event("CHAIR2", "CHAIR2-later", "begun", "setup", kT0 + 300 * kMin)};
    ASSERT_TRUE(submit_and_wait(s, later).ok);
  }

  ReportData gather_session() {
    ReportTarget t;
    t.session_id = kSession;
    ReportOptions o;
    o.now_ms = kT0 + 400 * kMin;
    return gather(db_, t, o);
  }

  TempDir dir_;
  std::string db_;
};

TEST_F(Gather, PeaksSkipUnverifiedReadingsAndOtherChairs) {
  ReportData d = gather_session();
  EXPECT_EQ(d.session.session_id(), kSession);
  EXPECT_EQ(d.session.patient(), "Patient 7");
  ASSERT_TRUE(d.peak_sys && d.peak_dia);
  EXPECT_EQ(d.peak_sys->value, 186);
  EXPECT_EQ(d.peak_sys->at_ms, kT0 + 30 * kMin);
  EXPECT_EQ(d.peak_dia->value, 112);
  EXPECT_EQ(d.peak_dia->at_ms, kT0 + 30 * kMin);
  EXPECT_EQ(d.readings, 14u * 4u);
  EXPECT_EQ(d.excluded_readings, 4u);
  EXPECT_FALSE(d.open);
  EXPECT_EQ(d.until_ms, kT0 + 120 * kMin);
  EXPECT_EQ(d.sys.size(), 13u);
}

// A verified 196/122 the monitor later takes back (OBX-11 W on its SYS, same measurement
// time) is in no peak, DBP included: the chart must not keep a number the device disowned,
// and a NIBP part takes back its measurement. The correction sent after it counts.
TEST_F(Gather, AValueTheMonitorTookBackIsInNoPeakButItsCorrectionIs) {
  {
    store::Store s({db_});
    ASSERT_TRUE(submit_and_wait(s, nibp(37, 196, 122)).ok);
    store::WriteBatch back = nibp(37, 196, 122, false);
    back.readings.resize(1);  // SYS alone
    back.reading_context.resize(1);
    back.readings[0].received_at_ms = kT0 + 38 * kMin;
    back.readings[0].valid = false;
    back.readings[0].status = "W";
    ASSERT_TRUE(submit_and_wait(s, back).ok);
    store::WriteBatch corrected = nibp(37, 190, 114);
    for (Reading& r : corrected.readings) {
      r.received_at_ms = kT0 + 39 * kMin;
      r.status = "C";
    }
    ASSERT_TRUE(submit_and_wait(s, corrected).ok);
  }
  ReportData d = gather_session();
  ASSERT_TRUE(d.peak_sys && d.peak_dia);
  EXPECT_EQ(d.peak_sys->value, 190);
  EXPECT_EQ(d.peak_dia->value, 114) << "the DBP of the withdrawn measurement, or no correction";
  EXPECT_EQ(d.excluded_readings, 4u + 3u) << "the spike and the withdrawn measurement";
  EXPECT_EQ(d.readings, 14u * 4u + 4u + 4u) << "a withdrawal is a notice, not a reading";
}

TEST_F(Gather, TimeAboveEachProfileThreshold) {
  ReportData d = gather_session();
  std::map<std::string, ThresholdTime> by;
  for (const auto& t : d.above)
    by[(t.threshold.kind == VitalKind::NibpSys ? "SBP" : "DBP") +
       std::to_string(int(t.threshold.limit_mmhg))] = t;
  ASSERT_EQ(by.size(), 6u);  // P4, P2, P1 for SBP and DBP (default profile)
  EXPECT_EQ(by["SBP160"].above_ms, 30 * kMin);
  EXPECT_EQ(by["SBP160"].readings_above, 6);
  EXPECT_EQ(by["SBP180"].above_ms, 10 * kMin);
  EXPECT_EQ(by["SBP180"].readings_above, 2);
  EXPECT_EQ(by["SBP200"].above_ms, 0);
  EXPECT_EQ(by["DBP100"].above_ms, 25 * kMin);
  EXPECT_EQ(by["DBP110"].above_ms, 5 * kMin);
  EXPECT_EQ(by["DBP120"].readings_above, 0);
}

TEST_F(Gather, AlertsWithAcknowledgmentAndNurseActions) {
  ReportData d = gather_session();
  ASSERT_EQ(d.alerts.size(), 2u);
  EXPECT_EQ(d.alerts[0].id, "CHAIR2-P4-2");
  EXPECT_FALSE(d.alerts[0].acknowledged_at_ms);
  const AlertSummary& p2 = d.alerts[1];
  EXPECT_EQ(p2.id, "CHAIR2-P2-1");
  EXPECT_EQ(p2.priority, proto::HIGH);
  EXPECT_EQ(p2.acknowledged_by, "nurse2");
  EXPECT_EQ(p2.acknowledged_at_ms, kT0 + 32 * kMin);
  EXPECT_EQ(p2.resolved_at_ms, kT0 + 45 * kMin);
  std::vector<std::string> actions;
  for (const auto& a : d.actions)
    if (a.who != "config") actions.push_back(a.what + ":" + a.who);
  EXPECT_EQ(actions, (std::vector<std::string>{"begin:nurse1", "start_infusion:nurse1", "acknowledged:nurse2",
                                               "stop_infusion:nurse2", "end:nurse1"}));
  EXPECT_EQ(d.recovery_started_ms, kT0 + 50 * kMin);
  EXPECT_EQ(d.discharge_met_ms, kT0 + 115 * kMin);
  EXPECT_EQ(d.session.infusion_started_at_ms(), kT0 + 10 * kMin);
  EXPECT_DOUBLE_EQ(actual_infusion_minutes(d.session), 40.0);
}

TEST_F(Gather, LatestOfABedAndClearErrors) {
  ReportTarget latest;
  latest.bed = "CHAIR2";
  ReportOptions o;
  o.now_ms = kT0 + 400 * kMin;
  // The latest CHAIR2 session has no readings: said so, not an empty report.
  try {
    gather(db_, latest, o);
    FAIL() << "expected ReportError";
  } catch (const ReportError& e) {
    EXPECT_NE(std::string(e.what()).find("has no readings"), std::string::npos) << e.what();
  }
  ReportTarget unknown;
  unknown.session_id = "CHAIR2-nope";
  EXPECT_THROW(gather(db_, unknown, o), ReportError);
  ReportTarget wrong_bed;
  wrong_bed.session_id = kSession;
  wrong_bed.bed = "CHAIR3";
  EXPECT_THROW(gather(db_, wrong_bed, o), ReportError);
  ReportTarget nothing;
  EXPECT_THROW(gather(db_, nothing, o), ReportError);
  EXPECT_THROW(gather(dir_.file("missing.db"), latest, o), store::StoreError);
}

}  // namespace
}  // namespace vigil::report
