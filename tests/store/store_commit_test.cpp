// Group commit, back-pressure and shutdown drain. Determinism comes from the writer pause
// hook: submissions pile up while paused, never from sleeping.
#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <thread>

#include "store/store.hpp"
#include "store_test_support.hpp"

namespace vigil::store {
namespace {

using testing::make_reading;
using testing::TempDir;

WriteBatch batch_of(int n, const std::string& bed, WallMillis t) {
  WriteBatch b;
  for (int i = 0; i < n; ++i) b.readings.push_back(make_reading(bed, VitalKind::HeartRate, 60 + i, t + i));
  return b;
}

TEST(StoreGroupCommit, ConcurrentSubmittersAllCompleteOnceWithUniqueIncreasingIds) {
  TempDir dir;
  constexpr int kThreads = 8;
  constexpr int kBatchesPerThread = 50;
  constexpr int kReadingsPerBatch = 3;
  std::mutex mu;
  std::vector<int> calls(kThreads * kBatchesPerThread, 0);
  std::vector<std::uint64_t> completion_order_ids;  // first id of each batch, as completed
  std::set<std::uint64_t> all_ids;
  bool all_ok = true;
  auto faults = std::make_shared<StoreFaults>();
  Store store({.path = dir.file("vigil.db"), .faults = faults});
  faults->pause_writer();
  std::vector<std::thread> threads;
  std::atomic<int> refused{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kBatchesPerThread; ++i) {
        int key = t * kBatchesPerThread + i;
        bool queued = store.submit(batch_of(kReadingsPerBatch, "BED" + std::to_string(t), i * 10),
                                   [&, key](WriteOutcome o) {
                                     std::lock_guard lock(mu);
                                     ++calls[key];
                                     all_ok = all_ok && o.ok && o.reading_ids.size() == kReadingsPerBatch;
                                     if (!o.reading_ids.empty()) {
                                       completion_order_ids.push_back(o.reading_ids.front());
                                     }
                                     for (auto id : o.reading_ids) all_ids.insert(id);
                                   });
        if (!queued) ++refused;
      }
    });
  }
  for (auto& th : threads) th.join();
  ASSERT_EQ(refused.load(), 0);
  EXPECT_EQ(store.stats().pending, static_cast<std::size_t>(kThreads * kBatchesPerThread));
  faults->resume_writer();
  store.flush();

  std::lock_guard lock(mu);
  EXPECT_TRUE(all_ok);
  for (int c : calls) EXPECT_EQ(c, 1);
  EXPECT_EQ(all_ids.size(), static_cast<std::size_t>(kThreads * kBatchesPerThread * kReadingsPerBatch));
  // done() runs in commit order, and row ids grow in that order.
  for (std::size_t i = 1; i < completion_order_ids.size(); ++i) {
    EXPECT_LT(completion_order_ids[i - 1], completion_order_ids[i]);
  }
  StoreStats s = store.stats();
  EXPECT_EQ(s.batches, static_cast<std::uint64_t>(kThreads * kBatchesPerThread));
  EXPECT_EQ(s.readings, static_cast<std::uint64_t>(kThreads * kBatchesPerThread * kReadingsPerBatch));
  // All 400 were queued before the writer could take any: one transaction holds them.
  EXPECT_EQ(s.transactions, 1u);
  EXPECT_LT(s.transactions, s.batches);
  EXPECT_EQ(s.failed_transactions, 0u);
  EXPECT_EQ(s.pending, 0u);
}

TEST(StoreGroupCommit, TransactionsAreCappedAtMaxBatchesPerTransaction) {
  TempDir dir;
  auto faults = std::make_shared<StoreFaults>();
  StoreOptions options{dir.file("vigil.db")};
  options.max_batches_per_transaction = 10;
  options.faults = faults;
  Store store(options);
  faults->pause_writer();
  for (int i = 0; i < 35; ++i) ASSERT_TRUE(store.submit(batch_of(1, "BED1", i), nullptr));
  faults->resume_writer();
  store.flush();
  EXPECT_EQ(store.stats().transactions, 4u);  // 10 + 10 + 10 + 5
  EXPECT_EQ(store.stats().batches, 35u);
}

TEST(StoreGroupCommit, UnpausedConcurrentSubmissionsAllComplete) {
  // No pause: whatever the interleaving, every batch completes exactly once.
  TempDir dir;
  Store store({dir.file("vigil.db")});
  constexpr int kThreads = 4, kEach = 100;
  std::atomic<int> done_calls{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        while (!store.submit(batch_of(1, "BED" + std::to_string(t), i), [&](WriteOutcome o) {
          if (!o.ok) ++failures;
          ++done_calls;
        })) {
          store.flush();  // queue full: wait for room instead of spinning
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  store.flush();
  EXPECT_EQ(done_calls.load(), kThreads * kEach);
  EXPECT_EQ(failures.load(), 0);
  EXPECT_LE(store.stats().transactions, store.stats().batches);
}

TEST(StoreBackPressure, SubmitRefusesWhenFullAndAcceptsAfterDraining) {
  TempDir dir;
  auto faults = std::make_shared<StoreFaults>();
  StoreOptions options{dir.file("vigil.db")};
  options.max_pending_batches = 3;
  options.faults = faults;
  Store store(options);
  faults->pause_writer();
  int done_calls = 0;  // only touched on the writer thread, read after flush
  auto count = [&](WriteOutcome o) {
    EXPECT_TRUE(o.ok);
    ++done_calls;
  };
  EXPECT_TRUE(store.submit(batch_of(1, "BED1", 1), count));
  EXPECT_TRUE(store.submit(batch_of(1, "BED1", 2), count));
  EXPECT_TRUE(store.submit(batch_of(1, "BED1", 3), count));
  bool refused_called = false;
  EXPECT_FALSE(store.submit(batch_of(1, "BED1", 4), [&](WriteOutcome) { refused_called = true; }));
  EXPECT_EQ(store.stats().pending, 3u);
  faults->resume_writer();
  store.flush();
  EXPECT_EQ(done_calls, 3);
  EXPECT_FALSE(refused_called);  // a refused batch is the caller's: its done() never runs
  EXPECT_EQ(store.stats().pending, 0u);
  EXPECT_TRUE(store.submit(batch_of(1, "BED1", 5), count));
  store.flush();
  EXPECT_EQ(done_calls, 4);
}

TEST(StoreShutdown, DestructorCommitsEverythingQueuedAndCallsEveryDone) {
  TempDir dir;
  std::string path = dir.file("vigil.db");
  constexpr int kBatches = 25;
  std::vector<int> calls(kBatches, 0);
  std::vector<bool> oks(kBatches, false);
  {
    auto faults = std::make_shared<StoreFaults>();
    StoreOptions options{path};
    options.max_batches_per_transaction = 7;  // drain takes several transactions
    options.faults = faults;
    Store store(options);
    faults->pause_writer();  // still paused at destruction: the drain must ignore it
    for (int i = 0; i < kBatches; ++i) {
      ASSERT_TRUE(store.submit(batch_of(2, "BED1", i * 10), [&, i](WriteOutcome o) {
        ++calls[i];
        oks[i] = o.ok;
      }));
    }
  }
  for (int i = 0; i < kBatches; ++i) {
    EXPECT_EQ(calls[i], 1) << i;
    EXPECT_TRUE(oks[i]) << i;
  }
  std::size_t rows = 0;
  for_each_reading(path, {}, [&](const StoredReading&) { ++rows; });
  EXPECT_EQ(rows, static_cast<std::size_t>(kBatches * 2));
}

TEST(StoreShutdown, AThrowingDoneDoesNotStopTheWriter) {
  TempDir dir;
  auto faults = std::make_shared<StoreFaults>();
  Store store({.path = dir.file("vigil.db"), .faults = faults});
  faults->pause_writer();
  ASSERT_TRUE(store.submit(batch_of(1, "BED1", 1), [](WriteOutcome) { throw std::runtime_error("boom"); }));
  bool second = false;
  ASSERT_TRUE(store.submit(batch_of(1, "BED1", 2), [&](WriteOutcome o) { second = o.ok; }));
  faults->resume_writer();
  store.flush();
  EXPECT_TRUE(second);
  bool third = false;
  ASSERT_TRUE(store.submit(batch_of(1, "BED1", 3), [&](WriteOutcome o) { third = o.ok; }));
  store.flush();
  EXPECT_TRUE(third);
}

}  // namespace
}  // namespace vigil::store
