// The writer notices a database file that vanished or was replaced under it, fails that
// batch and every later one (nothing may be acknowledged into a file nobody will open), and
// the start-up and on-request checks find damaged pages.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <fstream>
#include <memory>

#include <unistd.h>

#include "store/database_check.hpp"
#include "store/store.hpp"
#include "store/writer_lock.hpp"
#include "store_test_support.hpp"

namespace vigil::store {
namespace {

using ::testing::HasSubstr;
using testing::one_reading;
using testing::TempDir;

WriteOutcome store_one(Store& store, WallMillis t) {
  WriteOutcome outcome;
  EXPECT_TRUE(store.submit(one_reading(t), [&](WriteOutcome o) { outcome = std::move(o); }));
  store.flush();
  return outcome;
}

TEST(StoreFileIdentity, DeletedFileFailsThisAndEveryLaterBatch) {
  TempDir dir;
  const std::string path = dir.file("vigil.db");
  Store store({path});
  ASSERT_TRUE(store_one(store, 1).ok);
  std::filesystem::remove(path);
  const WriteOutcome gone = store_one(store, 2);
  EXPECT_FALSE(gone.ok);
  EXPECT_THAT(gone.error, HasSubstr("database unusable"));
  EXPECT_THAT(gone.error, HasSubstr(path));
  EXPECT_FALSE(store.healthy());
  EXPECT_FALSE(store_one(store, 3).ok);
}

// One writer per file: a second store on a file in use is refused before it opens or
// migrates anything, and says who holds it; the file is free once the first is gone.
TEST(StoreWriterLock, SecondStoreOnAFileInUseIsRefusedUntilTheFirstCloses) {
  TempDir dir;
  const std::string path = dir.file("vigil.db");
  auto first = std::make_unique<Store>(StoreOptions{path});
  ASSERT_TRUE(store_one(*first, 1).ok);
  try {
    Store second({path});
    ADD_FAILURE() << "a second store opened a database in use";
  } catch (const DatabaseInUse& e) {
    EXPECT_THAT(e.what(), HasSubstr(path));
    EXPECT_THAT(e.what(), HasSubstr("in use by another vigild (pid " + std::to_string(::getpid()) + ")"));
  }
  // The refused one wrote nothing: the first still commits.
  EXPECT_TRUE(store_one(*first, 2).ok);
  first.reset();
  Store again({path});
  EXPECT_TRUE(store_one(again, 3).ok);
}

// Another name of the same file (a symlink, "./") takes the same lock.
TEST(StoreWriterLock, AnotherNameOfTheFileIsTheSameDatabase) {
  TempDir dir;
  const std::string path = dir.file("vigil.db");
  Store first({path});
  ASSERT_TRUE(store_one(first, 1).ok);
  std::filesystem::create_symlink(path, dir.file("link.db"));
  EXPECT_THROW(Store({dir.file("link.db")}), DatabaseInUse);
  EXPECT_THROW(Store({dir.path().string() + "/./vigil.db"}), DatabaseInUse);
}

TEST(StoreWriterLock, TheLockIsPerFile) {
  TempDir dir;
  Store a({dir.file("a.db")});
  Store b({dir.file("b.db")});
  EXPECT_TRUE(store_one(a, 1).ok);
  EXPECT_TRUE(store_one(b, 1).ok);
}

// The old file keeps a link elsewhere (st_nlink stays 1): only st_dev/st_ino tell.
TEST(StoreFileIdentity, ReplacedFileFailsThisAndEveryLaterBatch) {
  TempDir dir;
  const std::string path = dir.file("vigil.db");
  Store store({path});
  ASSERT_TRUE(store_one(store, 1).ok);
  std::filesystem::create_hard_link(path, dir.file("kept.db"));
  std::ofstream(dir.file("other")) << "another file";
  std::filesystem::rename(dir.file("other"), path);
  const WriteOutcome replaced = store_one(store, 2);
  EXPECT_FALSE(replaced.ok);
  EXPECT_THAT(replaced.error, HasSubstr("replaced"));
  EXPECT_FALSE(store_one(store, 3).ok) << "a vanished file is final until restart";
}

TEST(DatabaseCheck, SoundFileHasNoProblemsAndDamageIsFound) {
  TempDir dir;
  const std::string path = dir.file("vigil.db");
  {
    Store store({path});
    for (int i = 0; i < 400; ++i) ASSERT_TRUE(store_one(store, i).ok);
  }
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr), SQLITE_OK);
    sqlite3_close(db);
  }
  EXPECT_TRUE(check_database(path, CheckDepth::Full).empty());
  EXPECT_TRUE(check_database(path, CheckDepth::Quick).empty());
  const auto pages = std::filesystem::file_size(path) / 4096;
  ASSERT_GE(pages, 8u);
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>((pages - 2) * 4096));
    const std::string garbage(4096, '\x5A');
    f.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
  }
  EXPECT_FALSE(check_database(path, CheckDepth::Quick).empty());
  EXPECT_FALSE(check_database(path, CheckDepth::Full).empty());
  EXPECT_THROW(Store store({path}), DatabaseDamaged);
}

void checkpoint(const std::string& path) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
}

// Damage under a running store, in pages allocated after the schema (so every tree's root
// is intact and the next insert walks into a damaged leaf): the commit fails and says
// "database damaged", the text T8 shows.
TEST(DatabaseCheck, DamageFoundAtRunTimeIsNamed) {
  TempDir dir;
  const std::string path = dir.file("vigil.db");
  Store store({path});
  checkpoint(path);
  const auto schema_pages = std::filesystem::file_size(path) / 4096;
  for (int i = 0; i < 400; ++i) ASSERT_TRUE(store_one(store, i).ok);
  // The external checkpoint changes the WAL, so the writer drops its page cache and reads
  // the damaged pages from the file.
  checkpoint(path);
  const auto pages = std::filesystem::file_size(path) / 4096;
  ASSERT_GT(pages, schema_pages + 2);
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    const std::string garbage(4096, '\x5A');
    for (auto page = schema_pages; page < pages; ++page) {
      f.seekp(static_cast<std::streamoff>(page * 4096));
      f.write(garbage.data(), static_cast<std::streamsize>(garbage.size()));
    }
  }
  const WriteOutcome damaged = store_one(store, 401);
  EXPECT_FALSE(damaged.ok);
  EXPECT_THAT(damaged.error, HasSubstr("database damaged"));
  EXPECT_FALSE(store.healthy());
}

}  // namespace
}  // namespace vigil::store
