// The outbox table: written in the same transaction as what it mirrors, migrated from v2,
// trimmed to its bounds (readings dropped loudly, alerts never), numbered without reuse.
#include <gtest/gtest.h>

#include <future>

#include "forward/outbox_filler.hpp"
#include "store/outbox.hpp"
#include "store/reading_queries.hpp"
#include "store/schema.hpp"
#include "store/sqlite_handle.hpp"
#include "store/store.hpp"
#include "store/store_test_support.hpp"

namespace vigil::store {
namespace {

using testing::make_reading;
using testing::TempDir;

constexpr WallMillis kT0 = 1'795'000'000'000;

WriteOutcome write(Store& store, WriteBatch batch) {
  std::promise<WriteOutcome> done;
  auto future = done.get_future();
  EXPECT_TRUE(store.submit(std::move(batch), [&](WriteOutcome o) { done.set_value(std::move(o)); }));
  return future.get();
}

OutboxEntry entry(std::uint64_t id, const std::string& kind, WallMillis created,
                  const std::string& alert = "", const std::string& phase = "") {
  OutboxEntry e;
  e.id = id;
  e.created_ms = created;
  e.kind = kind;
  e.control_id = "d-" + std::to_string(id);
  e.bed = "CHAIR1";
  e.alert_id = alert;
  e.phase = phase;
  e.message = "MSH|^~\\&|VIGIL^d|d|||x||ORU^" + kind + "|d-" + std::to_string(id) + "|P|2.6\r";
  return e;
}

std::size_t count_readings(const std::string& path) {
  std::size_t n = 0;
  for_each_reading(path, ReadingFilter{}, [&](const StoredReading&) { ++n; });
  return n;
}

TEST(Outbox, RowsCommitWithTheReadingsTheyMirror) {
  TempDir dir;
  const std::string path = dir.file("v.db");
  auto faults = std::make_shared<StoreFaults>();
  Store store({.path = path, .faults = faults});
  forward::OutboxFiller filler("clinic-a", 0, {});
  WriteBatch batch;
  batch.readings = {make_reading("CHAIR1", VitalKind::HeartRate, 72, kT0),
                    make_reading("CHAIR2", VitalKind::SpO2, 97, kT0)};
  filler.fill(batch, kT0 + 1);
  ASSERT_EQ(batch.outbox.size(), 2u);  // one ORU^R01 per chair
  ASSERT_TRUE(write(store, batch).ok);
  auto rows = outbox_pending(path, 0, 10);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].id, 1u);
  EXPECT_EQ(rows[0].control_id, "clinic-a-1");
  EXPECT_EQ(rows[1].control_id, "clinic-a-2");
  EXPECT_EQ(rows[0].kind, "R01");
  EXPECT_EQ(rows[0].bed, "CHAIR1");
  EXPECT_NE(rows[0].message.find("|clinic-a-1|"), std::string::npos);
  EXPECT_EQ(rows[0].state, "pending");
  EXPECT_EQ(count_readings(path), 2u);

  // A failed transaction stores neither: nothing is forwarded that was not stored.
  faults->set_read_only(true);
  WriteBatch failing;
  failing.readings = {make_reading("CHAIR1", VitalKind::HeartRate, 80, kT0 + 5000)};
  filler.fill(failing, kT0 + 5000);
  EXPECT_FALSE(write(store, failing).ok);
  faults->set_read_only(false);
  EXPECT_EQ(outbox_pending(path, 0, 10).size(), 2u);
  EXPECT_EQ(count_readings(path), 2u);
  // The failed batch's number is not reused.
  WriteBatch next;
  next.readings = {make_reading("CHAIR1", VitalKind::HeartRate, 81, kT0 + 9000)};
  filler.fill(next, kT0 + 9000);
  EXPECT_EQ(next.outbox.at(0).id, 4u);
}

TEST(Outbox, UpdatesStateAttemptsAndError) {
  TempDir dir;
  const std::string path = dir.file("v.db");
  Store store(StoreOptions{path});
  WriteBatch batch;
  batch.outbox = {entry(1, "R01", kT0), entry(2, "R40", kT0, "CHAIR1-P2-1", "start"),
                  entry(3, "R01", kT0 + 10)};
  ASSERT_TRUE(write(store, batch).ok);
  WriteBatch updates;
  updates.outbox_updates = {{1, "sent", 1, "", kT0 + 100},
                            {2, "skipped", 2, "AE: bad", kT0 + 200},
                            {3, "pending", 1, "no ACK within 10 s", kT0 + 300}};
  ASSERT_TRUE(write(store, updates).ok);
  auto rows = outbox_pending(path, 0, 10);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].id, 3u);
  EXPECT_EQ(rows[0].attempts, 1u);
  EXPECT_EQ(rows[0].last_error, "no ACK within 10 s");
  const OutboxSummary s = outbox_summary(path);
  EXPECT_TRUE(s.has_outbox);
  EXPECT_EQ(s.pending, 1u);
  EXPECT_EQ(s.sent, 1u);
  EXPECT_EQ(s.skipped, 1u);
  EXPECT_EQ(s.retried, 1u);
  EXPECT_EQ(s.oldest_pending_ms, kT0 + 10);
  EXPECT_EQ(s.last_error, "no ACK within 10 s");
  EXPECT_EQ(s.last_sent_ms, kT0 + 100);
}

TEST(Outbox, TrimDropsOldestPendingReadingsNeverAlerts) {
  TempDir dir;
  const std::string path = dir.file("v.db");
  Store store(StoreOptions{path});
  WriteBatch batch;
  std::uint64_t id = 0;
  for (int i = 0; i < 5; ++i) batch.outbox.push_back(entry(++id, "R01", kT0 + i));         // 1..5 sent below
  for (int i = 0; i < 10; ++i) batch.outbox.push_back(entry(++id, "R01", kT0 + 100 + i));  // 6..15 pending
  for (int i = 0; i < 3; ++i)
    batch.outbox.push_back(entry(++id, "R40", kT0 + 50 + i, "A" + std::to_string(i), "start"));
  ASSERT_TRUE(write(store, batch).ok);
  WriteBatch sent;
  for (std::uint64_t i = 1; i <= 5; ++i) sent.outbox_updates.push_back({i, "sent", 1, "", kT0 + 200});
  ASSERT_TRUE(write(store, sent).ok);

  WriteBatch trim;
  trim.outbox_trim = OutboxTrim{6, 0};
  const WriteOutcome out = write(store, trim);
  ASSERT_TRUE(out.ok);
  EXPECT_EQ(out.outbox_trimmed.done_deleted, 5u);      // done rows go first
  EXPECT_EQ(out.outbox_trimmed.readings_dropped, 7u);  // then the oldest pending readings
  auto rows = outbox_pending(path, 0, 100);
  ASSERT_EQ(rows.size(), 6u);
  std::size_t alerts = 0;
  for (const auto& r : rows) alerts += r.kind == "R40";
  EXPECT_EQ(alerts, 3u);
  EXPECT_EQ(rows.front().kind, "R01");
  EXPECT_EQ(rows.front().id, 13u);  // 6..12 dropped

  // Age bound: pending readings older than it go, alerts stay whatever their age.
  WriteBatch aged;
  aged.outbox_trim = OutboxTrim{1000000, kT0 + 1000};
  const WriteOutcome out2 = write(store, aged);
  EXPECT_EQ(out2.outbox_trimmed.readings_dropped, 3u);
  rows = outbox_pending(path, 0, 100);
  ASSERT_EQ(rows.size(), 3u);
  for (const auto& r : rows) EXPECT_EQ(r.kind, "R40");

  // Numbering continues after the highest id ever used, even with every row deleted.
  EXPECT_EQ(outbox_max_id(path), 18u);
}

TEST(Outbox, OpenAlertStartsAreRemembered) {
  TempDir dir;
  const std::string path = dir.file("v.db");
  Store store(StoreOptions{path});
  WriteBatch batch;
  batch.outbox = {entry(1, "R40", kT0, "A1", "start"), entry(2, "R40", kT0, "A2", "start"),
                  entry(3, "R40", kT0, "A1", "update"), entry(4, "R40", kT0, "A1", "end")};
  ASSERT_TRUE(write(store, batch).ok);
  const auto open = outbox_open_alert_starts(path);
  ASSERT_EQ(open.size(), 1u);
  EXPECT_EQ(open.at("A2"), "d-2");
}

TEST(Outbox, MigratesAVersion2Database) {
  TempDir dir;
  const std::string path = dir.file("v.db");
  { Store store(StoreOptions{path}); }
  {
    sqlite::Connection db(path, SQLITE_OPEN_READWRITE);
    db.exec("DROP TABLE outbox; PRAGMA user_version = 2;");
  }
  EXPECT_FALSE(outbox_summary(path).has_outbox);  // readers take a v2 file as it is
  EXPECT_TRUE(outbox_pending(path, 0, 10).empty());
  Store store(StoreOptions{path});
  sqlite::Connection db(path, SQLITE_OPEN_READONLY);
  EXPECT_EQ(db.query_int("PRAGMA user_version"), kSchemaVersion);
  EXPECT_EQ(db.query_int("SELECT COUNT(*) FROM outbox"), 0);
  EXPECT_TRUE(outbox_summary(path).has_outbox);
}

}  // namespace
}  // namespace vigil::store
