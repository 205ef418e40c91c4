// Submitting shared batches (no copy) and the gather before a commit
// (StoreOptions::max_gather_wait). Deterministic: counters and the writer pause hook, never
// timing.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>

#include "log_test_support.hpp"
#include "store/store.hpp"
#include "store_test_support.hpp"

namespace vigil::store {
namespace {

using testing::make_reading;
using testing::TempDir;

std::shared_ptr<const WriteBatch> shared_batch(int n, const std::string& bed, WallMillis t) {
  auto b = std::make_shared<WriteBatch>();
  for (int i = 0; i < n; ++i) b->readings.push_back(make_reading(bed, VitalKind::HeartRate, 60 + i, t + i));
  return b;
}

TEST(StoreSharedSubmit, CommitsTheCallersBatchAndLeavesItIntact) {
  TempDir dir;
  const std::string path = dir.file("vigil.db");
  Store store({path});
  auto batch = shared_batch(3, "BED1", 1000);
  std::atomic<int> ids{0};
  ASSERT_TRUE(store.submit(batch, [&](WriteOutcome o) {
    EXPECT_TRUE(o.ok);
    ids = static_cast<int>(o.reading_ids.size());
  }));
  store.flush();
  EXPECT_EQ(ids.load(), 3);
  ASSERT_EQ(batch->readings.size(), 3u);  // still the caller's to read after done()
  EXPECT_EQ(batch->readings[2].value, 62);
  std::size_t rows = 0;
  for_each_reading(path, {}, [&](const StoredReading&) { ++rows; });
  EXPECT_EQ(rows, 3u);
}

TEST(StoreGather, WaitsOnlyWhenFewerBatchesAreQueuedThanTheLastCommitHeld) {
  TempDir dir;
  auto faults = std::make_shared<StoreFaults>();
  Store store({.path = dir.file("vigil.db"), .faults = faults});
  faults->pause_writer();
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(store.submit(shared_batch(1, "BED1", i * 10), nullptr));
  faults->resume_writer();
  store.flush();
  EXPECT_EQ(store.stats().transactions, 1u);
  EXPECT_EQ(store.stats().gather_waits, 0u);  // the first commit had nothing to wait for

  // One batch after a commit of five: the writer waits (bounded) for the other four, which
  // never come; the batch is committed all the same.
  ASSERT_TRUE(store.submit(shared_batch(1, "BED1", 100), nullptr));
  store.flush();
  EXPECT_EQ(store.stats().gather_waits, 1u);
  EXPECT_EQ(store.stats().transactions, 2u);
  EXPECT_EQ(store.stats().readings, 6u);
}

// The same lone batch after a commit of five, but carrying an alert transition: an alarm
// never waits for more senders, it commits at once.
TEST(StoreGather, ABatchWithAnAlertIsNeverHeldBack) {
  TempDir dir;
  auto faults = std::make_shared<StoreFaults>();
  Store store({.path = dir.file("vigil.db"), .faults = faults});
  faults->pause_writer();
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(store.submit(shared_batch(1, "BED1", i * 10), nullptr));
  faults->resume_writer();
  store.flush();
  auto alarm = std::make_shared<WriteBatch>();
  alarm->readings.push_back(make_reading("BED1", VitalKind::NibpSys, 205, 100));
  alarm->alerts.push_back(testing::make_alert("BED1-P1-1", "BED1", "ACTIVE", "raised", 100));
  ASSERT_TRUE(store.submit(std::shared_ptr<const WriteBatch>(alarm), nullptr));
  store.flush();
  EXPECT_EQ(store.stats().gather_waits, 0u);
  EXPECT_EQ(store.stats().transactions, 2u);
}

TEST(StoreGather, ZeroMaxGatherWaitNeverWaits) {
  TempDir dir;
  auto faults = std::make_shared<StoreFaults>();
  StoreOptions options{dir.file("vigil.db")};
  options.max_gather_wait = std::chrono::microseconds(0);
  options.faults = faults;
  Store store(options);
  faults->pause_writer();
  for (int i = 0; i < 5; ++i) ASSERT_TRUE(store.submit(shared_batch(1, "BED1", i * 10), nullptr));
  faults->resume_writer();
  store.flush();
  ASSERT_TRUE(store.submit(shared_batch(1, "BED1", 100), nullptr));
  store.flush();
  EXPECT_EQ(store.stats().gather_waits, 0u);
  EXPECT_EQ(store.stats().transactions, 2u);
}

// A lone sender that waits for each commit before sending the next (one monitor): with the
// writer spinning for the next batch, every batch is still committed, each in its own
// transaction, and the spin never takes one without the lock.
TEST(StoreWriterSpin, ALoneSendersBatchesAreAllCommittedOneByOne) {
  TempDir dir;
  const std::string path = dir.file("vigil.db");
  StoreOptions options{path};
  options.writer_spin = std::chrono::microseconds(2000);
  Store store(options);
  std::atomic<int> ok{0};
  for (int i = 0; i < 200; ++i) {
    ASSERT_TRUE(store.submit(shared_batch(1, "BED1", i * 10), [&](const WriteOutcome& o) { ok += o.ok; }));
    store.flush();  // the sender waits for its ACK
  }
  EXPECT_EQ(ok.load(), 200);
  EXPECT_EQ(store.stats().transactions, 200u);
  std::size_t rows = 0;
  for_each_reading(path, {}, [&](const StoredReading&) { ++rows; });
  EXPECT_EQ(rows, 200u);
}

}  // namespace
}  // namespace vigil::store
