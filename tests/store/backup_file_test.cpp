// store/backup.hpp at the file level: what a backup leaves on disk and what it refuses. The
// copy is 0600 whatever the umask; a second backup to a FILE that another run is writing is
// refused and leaves that run's file alone; errors about where the copy goes name that
// place, not the database; a SQLite file that is not a Vigil database is refused; the
// journal a killed run left beside its partial copy goes with it, and a copy that runs out
// of room leaves nothing. (The copy under an HL7
// flood and the restore are tests/e2e/backup_test.cpp.)
#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>

#include "store/backup.hpp"
#include "store/sqlite_handle.hpp"
#include "store/store.hpp"
#include "store_test_support.hpp"

namespace vigil::store {
namespace {

using ::testing::HasSubstr;
using testing::kT0;
using testing::make_reading;
using ::testing::Not;
using testing::submit_and_wait;
using testing::TempDir;

class BackupFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Store store({db});
    WriteBatch b;
    b.readings = {make_reading("CHAIR1", VitalKind::HeartRate, 72, kT0)};
    ASSERT_TRUE(submit_and_wait(store, b).ok);
  }

  static std::string error_of(const std::string& from, const std::string& to) {
    try {
      backup_database(from, to);
    } catch (const StoreError& e) {
      return e.what();
    }
    ADD_FAILURE() << "the backup of " << from << " to " << to << " did not fail";
    return {};
  }

  TempDir dir;
  std::string db = dir.file("vigil.db");
};

TEST_F(BackupFileTest, TheCopyIsReadableByItsOwnerOnlyWhateverTheUmask) {
  const mode_t before = ::umask(022);
  const std::string out = dir.file("copy.db");
  const BackupSummary s = backup_database(db, out);
  ::umask(before);
  EXPECT_EQ(s.readings, 1);
  struct stat st {};
  ASSERT_EQ(::stat(out.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST_F(BackupFileTest, ASecondBackupToAFileAnotherRunIsWritingIsRefusedAndLeavesItAlone) {
  const std::string out = dir.file("copy.db");
  const std::string partial = out + ".partial";
  std::ofstream(partial) << "another run's pages";
  // The other run: it holds its partial copy's lock until it ends.
  const int fd = ::open(partial.c_str(), O_RDWR | O_CLOEXEC);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0);
  const std::string error = error_of(db, out);
  EXPECT_THAT(error, HasSubstr(out));
  EXPECT_THAT(error, HasSubstr("another backup to this file is running"));
  EXPECT_FALSE(std::filesystem::exists(out));
  std::ifstream in(partial);
  std::string left((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(left, "another run's pages");
  ::close(fd);
  // Once that run is gone, its leftover is replaced, never published as it was.
  EXPECT_EQ(backup_database(db, out).readings, 1);
  EXPECT_FALSE(std::filesystem::exists(partial));
}

TEST_F(BackupFileTest, AKilledRunsPartialCopyAndItsJournalAreReplaced) {
  const std::string out = dir.file("copy.db");
  std::ofstream(out + ".partial") << "half a copy";
  std::ofstream(out + ".partial-journal") << "its journal";
  EXPECT_EQ(backup_database(db, out).readings, 1);
  EXPECT_FALSE(std::filesystem::exists(out + ".partial"));
  EXPECT_FALSE(std::filesystem::exists(out + ".partial-journal"));
  sqlite::Connection copy(out, SQLITE_OPEN_READONLY);
  EXPECT_EQ(copy.query_int("SELECT COUNT(*) FROM readings"), 1);
}

TEST_F(BackupFileTest, ACopyThatCannotBeWrittenNamesWhereItWasToGo) {
  const std::string out = dir.file("no-such-directory/copy.db");
  const std::string error = error_of(db, out);
  EXPECT_THAT(error, HasSubstr("cannot write backup " + out));
  EXPECT_THAT(error, HasSubstr("No such file or directory"));
  EXPECT_THAT(error, Not(HasSubstr(db)));
}

TEST_F(BackupFileTest, ACopyThatRunsOutOfRoomLeavesNoFileBehind) {
  const std::string out = dir.file("copy.db");
  // In a child, whose files may not grow past 8 KiB (a full disk, as far as the copy goes).
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    ::signal(SIGXFSZ, SIG_IGN);
    const rlimit limit{8192, 8192};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    try {
      backup_database(db, out);
    } catch (const StoreError&) {
      ::_exit(1);
    }
    ::_exit(0);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1);
  for (const std::string& left : {out, out + ".partial", out + ".partial-journal", out + ".partial-wal"})
    EXPECT_FALSE(std::filesystem::exists(left)) << left;
}

TEST_F(BackupFileTest, ASqliteFileThatIsNotAVigilDatabaseIsRefused) {
  const std::string other = dir.file("other.db");
  {
    sqlite::Connection c(other, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    c.exec("CREATE TABLE readings (x)");
    c.exec("INSERT INTO readings VALUES (1)");
  }
  const std::string out = dir.file("copy.db");
  const std::string error = error_of(other, out);
  EXPECT_THAT(error, HasSubstr("cannot back up " + other));
  EXPECT_THAT(error, HasSubstr("not a Vigil database"));
  EXPECT_FALSE(std::filesystem::exists(out));
  EXPECT_FALSE(std::filesystem::exists(out + ".partial"));
}

}  // namespace
}  // namespace vigil::store
