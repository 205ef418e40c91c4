// The alert, session and configuration logs: written with readings in one transaction,
// read back field for field, filtered, append-only, and the daemon's restart queries.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <google/protobuf/util/message_differencer.h>

#include "log_test_support.hpp"
#include "store/retention_gate.hpp"
#include "store/sqlite_handle.hpp"
#include "store/store.hpp"
#include "store_test_support.hpp"

namespace vigil::store {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::make_alert;
using testing::make_reading;
using testing::make_session_event;
using testing::submit_and_wait;
using testing::TempDir;

using testing::kT0;

bool same(const google::protobuf::Message& a, const google::protobuf::Message& b) {
  return google::protobuf::util::MessageDifferencer::Equals(a, b);
}

std::vector<proto::AlertEvent> alerts_in(const std::string& path, const AlertFilter& f = {}) {
  std::vector<proto::AlertEvent> out;
  for_each_alert(path, f, [&](const proto::AlertEvent& a) { out.push_back(a); });
  return out;
}

std::vector<proto::SessionEvent> sessions_in(const std::string& path, const SessionFilter& f = {}) {
  std::vector<proto::SessionEvent> out;
  for_each_session_event(path, f, [&](const proto::SessionEvent& e) { out.push_back(e); });
  return out;
}

std::vector<std::string> alert_ids(const std::vector<proto::AlertEvent>& v) {
  std::vector<std::string> out;
  for (const auto& a : v) out.push_back(a.id() + "/" + word(a.transition()));
  return out;
}

class AlertLog : public ::testing::Test {
 protected:
  std::string path() const { return dir_.file("vigil.db"); }
  TempDir dir_;
};

TEST_F(AlertLog, OneBatchWritesReadingsAlertsSessionsAndConfigTogether) {
  WriteBatch batch;
  batch.readings = {make_reading("CHAIR3", VitalKind::NibpSys, 184, kT0)};
  batch.reading_context = {ReadingContext{false, proto::infusion, 126, 80, "S-1"}};
  proto::AlertEvent alert = make_alert("CHAIR3-P2-1", "CHAIR3", "ACTIVE", "raised", kT0);
  alert.clear_baseline();  // an absent number stays absent
  alert.set_escalated(true);
  alert.set_acknowledged_by("nurse2");
  alert.set_user("nurse2");
  alert.set_seq(0xFFFF'FFFF'FFFF'FFF0ull);  // above INT64_MAX: must survive the signed column
  alert.set_log_id(999);                    // ignored: the store assigns the row id
  batch.alerts = {alert};
  batch.alert_session_ids = {"S-1"};
  proto::SessionEvent session =
      make_session_event("CHAIR3", "S-1", "infusion_started", "infusion", kT0 - 1000);
  session.mutable_session()->mutable_baseline()->set_sys_mmhg(126);
  batch.sessions = {session};
  batch.config = {ConfigRecord{kT0 - 5000, "profile default loaded", "p2_sbp_ceiling: 180"}};
  WriteOutcome outcome;
  {
    Store store({path()});
    outcome = submit_and_wait(store, batch);
  }
  ASSERT_TRUE(outcome.ok) << outcome.error;
  ASSERT_EQ(outcome.reading_ids.size(), 1u);
  ASSERT_EQ(outcome.alert_ids.size(), 1u);
  ASSERT_EQ(outcome.session_ids.size(), 1u);

  auto alerts = alerts_in(path());
  ASSERT_EQ(alerts.size(), 1u);
  proto::AlertEvent expected = alert;
  expected.set_log_id(outcome.alert_ids[0]);
  EXPECT_TRUE(same(alerts[0], expected)) << alerts[0].DebugString();
  EXPECT_FALSE(alerts[0].has_baseline());

  auto sessions = sessions_in(path());
  ASSERT_EQ(sessions.size(), 1u);
  proto::SessionEvent expected_session = session;
  expected_session.set_log_id(outcome.session_ids[0]);
  EXPECT_TRUE(same(sessions[0], expected_session)) << sessions[0].DebugString();

  std::vector<StoredReading> readings;
  for_each_reading(path(), {}, [&](const StoredReading& r) { readings.push_back(r); });
  ASSERT_EQ(readings.size(), 1u);
  ASSERT_TRUE(readings[0].context.has_value());
  EXPECT_FALSE(readings[0].context->verified);
  EXPECT_EQ(readings[0].context->phase, proto::infusion);
  EXPECT_EQ(readings[0].context->baseline_sys, 126);
  EXPECT_EQ(readings[0].context->baseline_dia, 80);
  EXPECT_EQ(readings[0].context->session_id, "S-1");

  std::vector<std::pair<std::uint64_t, ConfigRecord>> config;
  for_each_config_record(path(),
                         [&](std::uint64_t id, const ConfigRecord& c) { config.emplace_back(id, c); });
  ASSERT_EQ(config.size(), 1u);
  EXPECT_EQ(config[0].first, 1u);
  EXPECT_EQ(config[0].second.at_ms, kT0 - 5000);
  EXPECT_EQ(config[0].second.what, "profile default loaded");
  EXPECT_EQ(config[0].second.detail, "p2_sbp_ceiling: 180");
}

TEST_F(AlertLog, ReadingsWithoutContextOrWithAShortContextVectorReadBackUnknown) {
  WriteBatch batch;
  batch.readings = {make_reading("B", VitalKind::HeartRate, 70, kT0),
                    make_reading("B", VitalKind::HeartRate, 71, kT0 + 1)};
  batch.reading_context = {ReadingContext{true, proto::baseline, std::nullopt, std::nullopt, ""}};
  {
    Store store({path()});
    ASSERT_TRUE(submit_and_wait(store, batch).ok);
  }
  std::vector<StoredReading> rows;
  for_each_reading(path(), {}, [&](const StoredReading& r) { rows.push_back(r); });
  ASSERT_EQ(rows.size(), 2u);
  ASSERT_TRUE(rows[0].context.has_value());
  EXPECT_TRUE(rows[0].context->verified);
  EXPECT_EQ(rows[0].context->phase, proto::baseline);
  EXPECT_FALSE(rows[0].context->baseline_sys.has_value());
  EXPECT_FALSE(rows[1].context.has_value());
}

TEST_F(AlertLog, IdsFollowBatchOrderAcrossBatchesAndFiltersSelect) {
  Store store({path()});
  WriteBatch a;
  a.alerts = {make_alert("C1-P2-1", "C1", "ACTIVE", "raised", kT0),
              make_alert("C2-P2-2", "C2", "ACTIVE", "raised", kT0 + 60'000)};
  a.sessions = {make_session_event("C1", "S-1", "begun", "setup", kT0 - 1),
                make_session_event("C2", "S-2", "begun", "setup", kT0 - 1)};
  WriteBatch b;
  b.alerts = {make_alert("C1-P2-1", "C1", "ACKNOWLEDGED", "acknowledged", kT0 + 120'000)};
  b.sessions = {make_session_event("C1", "S-1", "infusion_started", "infusion", kT0 + 1)};
  WriteOutcome oa = submit_and_wait(store, a);
  WriteOutcome ob = submit_and_wait(store, b);
  ASSERT_TRUE(oa.ok && ob.ok);
  ASSERT_EQ(oa.alert_ids.size(), 2u);
  EXPECT_LT(oa.alert_ids[0], oa.alert_ids[1]);
  ASSERT_EQ(ob.alert_ids.size(), 1u);
  EXPECT_LT(oa.alert_ids[1], ob.alert_ids[0]);
  EXPECT_EQ(store.alert_log_rows(), 3u);

  EXPECT_THAT(alert_ids(alerts_in(path())),
              ElementsAre("C1-P2-1/raised", "C2-P2-2/raised", "C1-P2-1/acknowledged"));
  EXPECT_THAT(alert_ids(alerts_in(path(), {std::string("C1"), std::nullopt})),
              ElementsAre("C1-P2-1/raised", "C1-P2-1/acknowledged"));
  EXPECT_THAT(alert_ids(alerts_in(path(), {std::nullopt, kT0 + 60'000})),
              ElementsAre("C2-P2-2/raised", "C1-P2-1/acknowledged"));
  EXPECT_THAT(alert_ids(alerts_in(path(), {std::string("C2"), kT0 + 60'001})), ElementsAre());

  auto c1 = sessions_in(path(), {std::string("C1"), std::nullopt});
  ASSERT_EQ(c1.size(), 2u);
  EXPECT_EQ(c1[0].event(), proto::begun);
  EXPECT_EQ(c1[1].event(), proto::infusion_started);
  EXPECT_EQ(c1[1].log_id(), ob.session_ids[0]);
  EXPECT_EQ(sessions_in(path(), {std::nullopt, std::string("S-2")}).size(), 1u);
  EXPECT_EQ(sessions_in(path(), {std::string("C1"), std::string("S-2")}).size(), 0u);
}

TEST_F(AlertLog, FailedTransactionReturnsNoIds) {
  auto faults = std::make_shared<StoreFaults>();
  Store store({.path = path(), .faults = faults});
  faults->set_read_only(true);
  WriteBatch batch;
  batch.alerts = {make_alert("C1-P2-1", "C1", "ACTIVE", "raised", kT0)};
  batch.sessions = {make_session_event("C1", "S-1", "begun", "setup", kT0)};
  WriteOutcome o = submit_and_wait(store, batch);
  EXPECT_FALSE(o.ok);
  EXPECT_TRUE(o.alert_ids.empty());
  EXPECT_TRUE(o.session_ids.empty());
  EXPECT_EQ(store.alert_log_rows(), 0u);
}

TEST_F(AlertLog, EmptyCoversEveryVector) {
  EXPECT_TRUE(WriteBatch{}.empty());
  WriteBatch a;
  a.alerts.emplace_back();
  EXPECT_FALSE(a.empty());
  WriteBatch s;
  s.sessions.emplace_back();
  EXPECT_FALSE(s.empty());
  WriteBatch c;
  c.config.emplace_back();
  EXPECT_FALSE(c.empty());
}

TEST_F(AlertLog, LogTablesRefuseUpdateAndDelete) {
  {
    Store store({path()});
    WriteBatch batch;
    batch.alerts = {make_alert("C1-P2-1", "C1", "ACTIVE", "raised", kT0)};
    batch.sessions = {make_session_event("C1", "S-1", "begun", "setup", kT0)};
    batch.config = {ConfigRecord{kT0, "profile", "x"}};
    batch.readings = {make_reading("C1", VitalKind::HeartRate, 70, kT0)};
    batch.reading_context = {ReadingContext{}};
    ASSERT_TRUE(submit_and_wait(store, batch).ok);
  }
  sqlite::Connection db(path(), SQLITE_OPEN_READWRITE);
  // As the writer's connection has it: retention's gate defined and shut (a connection without
  // it is refused too, by "no such function": retention_test.cpp).
  RetentionGate gate(db);
  for (const char* sql : {"UPDATE alert_log SET state = 'RESOLVED'", "DELETE FROM alert_log",
                          "UPDATE session_log SET phase = 'closed'", "DELETE FROM session_log",
                          "UPDATE config_log SET detail = ''", "DELETE FROM config_log",
                          "UPDATE readings SET verified = 1", "UPDATE readings SET phase = 'x'"}) {
    try {
      db.exec(sql);
      ADD_FAILURE() << "accepted: " << sql;
    } catch (const sqlite::Error& e) {
      EXPECT_THAT(e.what(), HasSubstr("is append-only")) << sql;
    }
  }
  EXPECT_EQ(alerts_in(path()).size(), 1u);
  EXPECT_EQ(alerts_in(path())[0].state(), proto::ACTIVE);
  EXPECT_EQ(sessions_in(path()).size(), 1u);
}

TEST_F(AlertLog, OpenSessionsAreTheBedsWhoseLastEventIsNotClosed) {
  Store store({path()});
  WriteBatch batch;
  batch.sessions = {
      make_session_event("C1", "S-1", "begun", "setup", kT0),
      make_session_event("C2", "S-2", "begun", "setup", kT0),
      make_session_event("C2", "S-2", "infusion_started", "infusion", kT0 + 10),
      make_session_event("C1", "S-1", "ended", "closed", kT0 + 20),
  };
  batch.sessions[2].mutable_session()->set_infusion_elapsed_ms(600'000);
  batch.sessions[2].mutable_session()->mutable_baseline()->set_sys_mmhg(126);
  batch.sessions[2].mutable_session()->mutable_baseline()->set_dia_mmhg(80);
  ASSERT_TRUE(submit_and_wait(store, batch).ok);
  auto open = store.open_sessions();
  ASSERT_EQ(open.size(), 1u);
  EXPECT_TRUE(same(open[0], batch.sessions[2].session())) << open[0].DebugString();
  EXPECT_EQ(open[0].patient(), "Patient 7");

  // A new session on C1 after the closed one opens that chair again.
  WriteBatch again;
  again.sessions = {make_session_event("C1", "S-3", "begun", "setup", kT0 + 30)};
  ASSERT_TRUE(submit_and_wait(store, again).ok);
  open = store.open_sessions();
  ASSERT_EQ(open.size(), 2u);
  EXPECT_EQ(open[0].session_id(), "S-3");
  EXPECT_EQ(open[1].session_id(), "S-2");
}

TEST_F(AlertLog, UnresolvedAlertsAreTheLastTransitionOfEachUnresolvedId) {
  Store store({path()});
  EXPECT_TRUE(store.unresolved_alerts().empty());
  WriteBatch batch;
  batch.alerts = {
      make_alert("C1-P2-1", "C1", "ACTIVE", "raised", kT0),
      make_alert("C1-P2-2", "C1", "ACTIVE", "raised", kT0 + 1),
      make_alert("C1-P2-1", "C1", "ACKNOWLEDGED", "acknowledged", kT0 + 2),
      make_alert("C1-P2-2", "C1", "RESOLVED", "resolved", kT0 + 3),
      make_alert("C2-T1-3", "C2", "LATCHED", "cleared", kT0 + 4),
  };
  ASSERT_TRUE(submit_and_wait(store, batch).ok);
  auto open = store.unresolved_alerts();
  EXPECT_THAT(alert_ids(open), ElementsAre("C1-P2-1/acknowledged", "C2-T1-3/cleared"));
  ASSERT_EQ(open.size(), 2u);
  EXPECT_EQ(open[0].state(), proto::ACKNOWLEDGED);
  EXPECT_NE(open[0].log_id(), 0u);
}

TEST_F(AlertLog, DamagedSessionBlobStillYieldsTheRow) {
  {
    Store store({path()});
    ASSERT_TRUE(submit_and_wait(store, WriteBatch{}).ok);
  }
  {
    sqlite::Connection db(path(), SQLITE_OPEN_READWRITE);
    db.exec(
        "INSERT INTO session_log (bed, session_id, event, user, at_ms, phase, state) "
        "VALUES ('C9', 'S-9', 'begun', 'n', 5, 'setup', X'FFFFFFFF')");
  }
  auto rows = sessions_in(path());
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].session().session_id(), "S-9");
  EXPECT_EQ(rows[0].session().bed(), "C9");
  EXPECT_EQ(rows[0].session().phase(), proto::setup);
  EXPECT_EQ(open_sessions_in(path()).size(), 1u);
}

TEST_F(AlertLog, MissingFileIsAStoreErrorNamingIt) {
  std::string missing = dir_.file("nope.db");
  try {
    for_each_alert(missing, {}, [](const proto::AlertEvent&) {});
    ADD_FAILURE() << "no error";
  } catch (const StoreError& e) {
    EXPECT_EQ(e.path(), missing);
    EXPECT_EQ(e.reason(), "No such file or directory");
  }
  EXPECT_THROW(open_sessions_in(missing), StoreError);
  EXPECT_THROW(alert_log_rows_in(missing), StoreError);
}

}  // namespace
}  // namespace vigil::store
