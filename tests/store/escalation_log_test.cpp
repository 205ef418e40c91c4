// The escalation log (schema 9): steps round-trip in order, rows cannot be changed, and a
// version-8 file gains the table when a writer opens it, keeping what it held.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "log_test_support.hpp"
#include "store/log_queries.hpp"
#include "store/schema.hpp"
#include "store/sqlite_handle.hpp"
#include "store/store.hpp"
#include "store_test_support.hpp"

namespace vigil::store {
namespace {

using ::testing::HasSubstr;
using testing::submit_and_wait;
using testing::TempDir;

proto::EscalationEvent step(unsigned tier, const std::string& target, std::int64_t at_ms) {
  proto::EscalationEvent e;
  e.set_alert_id("CHAIR3-P1-1");
  e.set_bed("CHAIR3");
  e.set_tier(tier);
  e.set_target(target);
  e.set_priority(proto::HIGH);
  e.set_message(target.empty() ? "no one on call for tier 2: HIGH SBP 204 >= 200 (CHAIR3)"
                               : "escalated to " + target + ": HIGH SBP 204 >= 200 (CHAIR3)");
  e.set_at_ms(at_ms);
  e.set_user(target.empty() ? "" : "lee");
  e.set_no_one_on_call(target.empty());
  return e;
}

std::vector<proto::EscalationEvent> read_steps(const std::string& path) {
  std::vector<proto::EscalationEvent> out;
  for_each_escalation(path, [&](const proto::EscalationEvent& e) { out.push_back(e); });
  return out;
}

TEST(EscalationLog, StepsRoundTripInOrder) {
  TempDir dir;
  const std::string path = dir.file("v.db");
  {
    Store store({path});
    WriteBatch batch;
    batch.escalations = {step(1, "nurse.lee's phone", 1000), step(2, "", 2000)};
    EXPECT_FALSE(batch.empty());
    ASSERT_TRUE(submit_and_wait(store, batch).ok);
  }
  const auto steps = read_steps(path);
  ASSERT_EQ(steps.size(), 2u);
  EXPECT_EQ(steps[0].SerializeAsString(), step(1, "nurse.lee's phone", 1000).SerializeAsString());
  EXPECT_EQ(steps[1].SerializeAsString(), step(2, "", 2000).SerializeAsString());
  sqlite::Connection db(path, SQLITE_OPEN_READWRITE);
  for (const char* sql : {"UPDATE escalation_log SET target = 'x'", "DELETE FROM escalation_log"}) {
    try {
      db.exec(sql);
      ADD_FAILURE() << "accepted: " << sql;
    } catch (const sqlite::Error& e) {
      EXPECT_THAT(e.what(), HasSubstr("append-only")) << sql;
    }
  }
}

TEST(EscalationLog, AVersion8FileGainsTheTable) {
  TempDir dir;
  const std::string path = dir.file("v8.db");
  { Store store({path}); }
  {
    // Back to what version 8 wrote: no escalation table, no triggers for it.
    sqlite::Connection db(path, SQLITE_OPEN_READWRITE);
    db.exec("DROP TRIGGER escalation_log_no_UPDATE");
    db.exec("DROP TRIGGER escalation_log_no_DELETE");
    db.exec("DROP TABLE escalation_log");
    db.exec("PRAGMA user_version = 8");
  }
  EXPECT_TRUE(read_steps(path).empty()) << "a reader takes a version-8 file as it is";
  {
    Store store({path});
    WriteBatch batch;
    batch.escalations = {step(1, "nurse.lee's phone", 1000)};
    ASSERT_TRUE(submit_and_wait(store, batch).ok);
  }
  sqlite::Connection db(path, SQLITE_OPEN_READONLY);
  EXPECT_EQ(db.query_int("PRAGMA user_version"), kSchemaVersion);
  EXPECT_EQ(db.query_int("SELECT COUNT(*) FROM sqlite_master WHERE name LIKE 'escalation_log_no_%'"), 2);
  EXPECT_EQ(read_steps(path).size(), 1u);
}

}  // namespace
}  // namespace vigil::store
