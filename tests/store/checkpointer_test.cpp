// The write-ahead log's checkpoints (store/checkpointer.hpp): done by their own thread, not
// inside a commit; bounded by the writer when that thread is not asked; and the log gone
// once the store closes. Waits are on counters with a deadline, never on time alone.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <thread>

#include "store/store.hpp"
#include "store_test_support.hpp"

namespace vigil::store {
namespace {

using testing::make_reading;
using testing::TempDir;

std::shared_ptr<const WriteBatch> wal_test_batch(int i) {
  auto b = std::make_shared<WriteBatch>();
  b->readings.push_back(
      make_reading("BED" + std::to_string(i % 7), VitalKind::HeartRate, 60 + i % 40, 1000 + i));
  return b;
}

// Commits `n` batches one at a time, as a lone monitor waiting for each ACK would.
void commit_one_by_one(Store& store, int n) {
  for (int i = 0; i < n; ++i) {
    ASSERT_TRUE(store.submit(wal_test_batch(i), nullptr));
    store.flush();
  }
}

std::size_t rows_in(const std::string& path) {
  std::size_t rows = 0;
  for_each_reading(path, {}, [&](const StoredReading&) { ++rows; });
  return rows;
}

TEST(Checkpointer, TheLogIsCheckpointedBesideTheWriter) {
  TempDir dir;
  const std::string path = dir.file("vigil.db");
  StoreOptions options{path};
  options.checkpoint_pages = 20;
  options.wal_bound_pages = 1u << 30;  // the writer never does it here
  Store store(options);
  commit_one_by_one(store, 300);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (store.stats().checkpoints == 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));  // polling a counter, with a deadline
  EXPECT_GE(store.stats().checkpoints, 1u);
  EXPECT_EQ(store.stats().writer_checkpoints, 0u);
  EXPECT_EQ(rows_in(path), 300u);
}

TEST(Checkpointer, TheWriterBoundsTheLogWhenTheThreadIsNotAsked) {
  TempDir dir;
  const std::string path = dir.file("vigil.db");
  StoreOptions options{path};
  options.checkpoint_pages = 1u << 30;  // the thread is never woken
  options.wal_bound_pages = 40;
  {
    Store store(options);
    commit_one_by_one(store, 400);
    EXPECT_GE(store.stats().writer_checkpoints, 1u);
    EXPECT_EQ(store.stats().checkpoints, 0u);
    // Restarted after each bound: the log never grew much past 40 pages plus one commit's
    // (without the bound, 400 commits leave several hundred pages).
    const auto wal_bytes = std::filesystem::file_size(path + "-wal");
    EXPECT_LT(wal_bytes, 80u * (4096 + 24) + 32) << wal_bytes;
  }
  EXPECT_EQ(rows_in(path), 400u);
}

TEST(Checkpointer, ClosingTheStoreLeavesOneFile) {
  TempDir dir;
  const std::string path = dir.file("vigil.db");
  {
    StoreOptions options{path};
    options.checkpoint_pages = 10;
    Store store(options);
    commit_one_by_one(store, 50);
    EXPECT_TRUE(std::filesystem::exists(path + "-wal"));
  }
  // The checkpointer's connection closed first, so the writer's close was the last: it
  // checkpointed and removed the log.
  EXPECT_FALSE(std::filesystem::exists(path + "-wal"));
  EXPECT_EQ(rows_in(path), 50u);
}

}  // namespace
}  // namespace vigil::store
