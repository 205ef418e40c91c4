// Storage faults under a running vigild: the database directory deleted, a file size limit
// (ulimit -f), the -shm file truncated under its mapping, damaged pages found at start-up,
// and free space below the configured minimum. In every case the sender gets AR (never AA
// for what is not durably stored), every chair shows T8, vigild says so critically and
// survives; a damaged file is refused at start with exit code 2.
#include <sqlite3.h>
#include <sys/resource.h>

#include "e2e/faults_support.hpp"

namespace vigil::test::faults {
namespace {

bool is_t8(const std::string& line, const std::string& transition, const std::string& bed,
           const std::string& words) {
  auto a = parse_alert_line(line);
  return a && a->rule() == "T8" && a->transition() == transition && a->bed() == bed &&
         a->message().find(words) != std::string::npos;
}

struct Watched {
  ChildProcess watch;
  explicit Watched(Vigild& vigild) : watch({bin("vigilctl"), "watch", "--connect", vigild.stream.str()}) {}
  bool greeted() { return watch.wait_for_line(is_hello_line, 20s).has_value(); }
  // Waits for T8 raised on `bed` whose message contains `words`; the line, or "" if none.
  std::string t8(const std::string& bed, const std::string& words) {
    auto line = watch.wait_for_line([&](auto& l) { return is_t8(l, "raised", bed, words); }, 20s);
    return line ? *line : std::string();
  }
};

bool is_ar(const std::string& answer) { return answer.rfind("ACK AR", 0) == 0; }

// The database's directory removed under a running vigild: SQLite would keep writing into
// the unlinked file and every message would be AA'd into nothing. The very first message
// after the removal is AR, and so is every later one; T8 on the chair; a critical log line.
TEST(FaultsStorage, DeletedDatabaseDirectoryAnswersArAndRaisesT8) {
  TempDir dir;
  const std::string data = dir.file("data");
  ASSERT_EQ(::mkdir(data.c_str(), 0700), 0);
  Vigild vigild(data + "/vigil.db");
  Watched watched(vigild);
  ASSERT_TRUE(watched.greeted()) << watched.watch.stderr_text();
  ChairDriver chair(vigild, "GONE1");
  ASSERT_EQ(chair.vitals(70, 97), "");

  std::filesystem::remove_all(data);
  for (int i = 0; i < 5; ++i) {
    const std::string answer = chair.vitals(71 + i, 97);
    EXPECT_TRUE(is_ar(answer)) << "message " << i << " after the directory was removed: '" << answer << "'";
  }
  const std::string t8 = watched.t8("GONE1", "database unusable");
  EXPECT_FALSE(t8.empty()) << "no T8 on the stream\n" << vigild.process().stderr_text();
  EXPECT_TRUE(wait_for_stderr(vigild, "critical ALARM LOG WRITE FAILED: database unusable"))
      << vigild.process().stderr_text();
  std::cout << "[fault] database directory removed: watch shows " << t8 << std::endl;
  ASSERT_TRUE(vigild.process().running());
  EXPECT_EQ(vigild.stop(), 0);
}

// Sets RLIMIT_FSIZE for the children started in its lifetime (fork inherits it), as
// `ulimit -f` in vigild's shell would; the old limit comes back afterwards.
struct FileSizeLimit {
  rlimit old{};
  explicit FileSizeLimit(rlim_t bytes) {
    ::getrlimit(RLIMIT_FSIZE, &old);
    rlimit limited = old;
    limited.rlim_cur = bytes;
    ::setrlimit(RLIMIT_FSIZE, &limited);
  }
  ~FileSizeLimit() { ::setrlimit(RLIMIT_FSIZE, &old); }
};

// `ulimit -f`: the WAL reaches the limit after some messages. Without SIGXFSZ ignored the
// kernel kills vigild there; now the write fails (EFBIG), the sender gets AR and T8 shows.
TEST(FaultsStorage, FileSizeLimitAnswersArAndSurvives) {
  TempDir dir;
  std::unique_ptr<Vigild> started;
  {
    FileSizeLimit limit(1u << 20);  // 1 MiB: room for the schema, then a few dozen commits
    started = std::make_unique<Vigild>(dir.file("vigil.db"));
  }
  Vigild& vigild = *started;
  Watched watched(vigild);
  ASSERT_TRUE(watched.greeted()) << watched.watch.stderr_text();
  ChairDriver chair(vigild, "FSIZE1");
  std::string answer;
  int sent = 0;
  for (; sent < 3000 && !is_ar(answer); ++sent) {
    answer = chair.vitals(60 + sent % 50, 97);
    ASSERT_TRUE(answer.empty() || is_ar(answer)) << "message " << sent << ": " << answer << "\n"
                                                 << vigild.process().stderr_text();
  }
  ASSERT_TRUE(is_ar(answer)) << "no AR within " << sent << " messages under a 1 MiB file size limit";
  EXPECT_TRUE(is_ar(chair.vitals(70, 97)));
  const std::string t8 = watched.t8("FSIZE1", "Alarm log write failed");
  EXPECT_FALSE(t8.empty()) << vigild.process().stderr_text();
  EXPECT_TRUE(wait_for_stderr(vigild, "critical ALARM LOG WRITE FAILED")) << vigild.process().stderr_text();
  std::cout << "[fault] RLIMIT_FSIZE 1 MiB: AR after " << sent << " messages; watch shows " << t8
            << std::endl;
  ASSERT_TRUE(vigild.process().running()) << vigild.process().stderr_text();
  EXPECT_EQ(vigild.stop(), 0);
}

// The -shm file truncated under its mapping (as an immutable or unbacked -shm would): the
// next access to the wal-index raises SIGBUS, which used to end vigild silently. Now vigild
// survives, refuses every further write (AR) and raises T8.
TEST(FaultsStorage, TruncatedShmSurvivesWithArAndT8) {
  TempDir dir;
  const std::string db = dir.file("vigil.db");
  Vigild vigild(db);
  Watched watched(vigild);
  ASSERT_TRUE(watched.greeted()) << watched.watch.stderr_text();
  ChairDriver chair(vigild, "SHM1");
  ASSERT_EQ(chair.vitals(70, 97), "");
  ASSERT_EQ(::truncate((db + "-shm").c_str(), 0), 0) << std::strerror(errno);

  for (int i = 0; i < 3; ++i) {
    const std::string answer = chair.vitals(71 + i, 97);
    EXPECT_TRUE(is_ar(answer)) << "message " << i << " after the -shm was truncated: '" << answer << "'\n"
                               << vigild.process().stderr_text();
  }
  ASSERT_TRUE(vigild.process().running()) << vigild.process().stderr_text();
  const std::string t8 = watched.t8("SHM1", "-shm");
  EXPECT_FALSE(t8.empty()) << vigild.process().stderr_text();
  EXPECT_TRUE(wait_for_stderr(vigild, "SIGBUS in the database's -shm mapping"))
      << vigild.process().stderr_text();
  // Said once, not once per refused message (each touches the faulted mapping again).
  const std::string err = vigild.process().stderr_text();
  const std::string said = "SIGBUS in the database's -shm mapping";
  EXPECT_EQ(err.find(said), err.rfind(said)) << err;
  std::cout << "[fault] -shm truncated: watch shows " << t8 << std::endl;
  EXPECT_EQ(vigild.stop(), 0);
}

// Folds the WAL into the main file, so the bytes we damage are the ones SQLite reads.
void checkpoint(const std::string& path) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
}

// A database made by vigild, with garbage written over a page in the middle of the file after
// vigild stopped: it used to open silently. Now vigild refuses to start, exit code 2, one
// clear line; `vigild --check-db` says "damaged" (and "ok" before the damage).
TEST(FaultsStorage, DamagedPagesRefuseToStartWithExitCode2) {
  TempDir dir;
  const std::string db = dir.file("vigil.db");
  {
    Vigild vigild(db);
    ChairDriver chair(vigild, "CORRUPT1");
    // Enough readings that the middle of the file is reading and index pages, far from the
    // schema pages at its start: the damage must be found by the check, not by opening.
    for (int i = 0; i < 1200; ++i) ASSERT_EQ(chair.vitals(60 + i % 40, 97), "") << i;
    ASSERT_EQ(vigild.stop(), 0);
  }
  checkpoint(db);
  const std::vector<std::string> check = {bin("vigild"), "--check-db", "--db", db};
  RunResult sound = run_command(check, 60s);
  EXPECT_EQ(sound.exit_code, 0) << sound.out << sound.err;
  EXPECT_NE(sound.out.find("ok"), std::string::npos) << sound.out;

  const auto size = std::filesystem::file_size(db);
  const std::size_t pages = size / 4096;
  ASSERT_GE(pages, 8u) << "too small a database to damage a middle page";
  {
    const int fd = ::open(db.c_str(), O_WRONLY | O_CLOEXEC);
    ASSERT_GE(fd, 0);
    const std::string garbage(4096, '\xA5');
    ASSERT_EQ(::pwrite(fd, garbage.data(), garbage.size(), static_cast<off_t>(pages / 2 * 4096)), 4096);
    ::close(fd);
  }

  RunResult start = run_command(
      {bin("vigild"), "--hl7-listen", "127.0.0.1:0", "--stream-listen", "127.0.0.1:0", "--db", db}, 60s);
  EXPECT_EQ(start.exit_code, 2) << start.out << start.err;
  EXPECT_EQ(start.out.find("listening"), std::string::npos) << start.out;
  const auto damaged_at = start.err.find("is damaged");
  ASSERT_NE(damaged_at, std::string::npos) << start.err;
  const std::string line =
      start.err.substr(start.err.rfind('\n', damaged_at) + 1,
                       start.err.find('\n', damaged_at) - start.err.rfind('\n', damaged_at) - 1);
  EXPECT_NE(line.find("not starting"), std::string::npos) << "not one line:\n" << start.err;
  EXPECT_NE(line.find("quick_check"), std::string::npos) << "not found by the start-up check: " << line;

  RunResult damaged = run_command(check, 60s);
  EXPECT_EQ(damaged.exit_code, 2) << damaged.out << damaged.err;
  EXPECT_NE(damaged.out.find("damaged"), std::string::npos) << damaged.out;
  std::cout << "[fault] damaged page " << pages / 2 + 1 << " of " << pages << ": vigild exit "
            << start.exit_code << ": " << start.err << "[fault] vigild --check-db:\n"
            << damaged.out;
}

// Damage found at run time, in pages vigild has already written (the readings' last leaves),
// while other tables' pages stay sound. The first message is AR with T8; so is every later
// one, and T8 stays raised with /healthz failing. Before, the T8 transition itself was
// written to a sound page, which marked the store healthy again: T8 resolved within
// milliseconds of each AR ("alarm log writes work again") and /healthz said "ok" while every
// reading was refused.
TEST(FaultsStorage, DamageFoundAtRunTimeKeepsRefusingAndKeepsT8) {
  TempDir dir;
  const std::string db = dir.file("vigil.db");
  Vigild vigild(db);
  ChairDriver chair(vigild, "DAMAGED1");
  for (int i = 0; i < 1200; ++i) ASSERT_EQ(chair.vitals(60 + i % 40, 97), "") << i;
  // Connected after the flood (a watcher nobody reads during it would be dropped as stuck),
  // before the damage.
  Watched watched(vigild);
  ASSERT_TRUE(watched.greeted()) << watched.watch.stderr_text();
  // Fold the WAL into the file from outside: the writer then drops its page cache and
  // reads the damaged pages from the file at its next insert.
  checkpoint(db);
  const auto pages = static_cast<std::size_t>(std::filesystem::file_size(db) / 4096);
  ASSERT_GE(pages, 12u);
  {
    const int fd = ::open(db.c_str(), O_WRONLY | O_CLOEXEC);
    ASSERT_GE(fd, 0);
    const std::string garbage(4096, '\xA5');
    for (const std::size_t page : {pages / 3, pages / 2, pages - 2}) {
      ASSERT_EQ(::pwrite(fd, garbage.data(), garbage.size(), static_cast<off_t>(page * 4096)), 4096);
    }
    ::close(fd);
  }
  for (int i = 0; i < 3; ++i) {
    const std::string answer = chair.vitals(71 + i, 97);
    EXPECT_TRUE(is_ar(answer)) << "message " << i << " after the damage: '" << answer << "'\n"
                               << vigild.process().stderr_text();
    if (i == 0) {
      EXPECT_FALSE(watched.t8("DAMAGED1", "database damaged").empty()) << vigild.process().stderr_text();
    }
  }
  auto health = run_command({bin("vigilctl"), "health", "--http", vigild.http.str()}, 20s);
  EXPECT_EQ(health.exit_code, 2) << health.out << health.err;
  EXPECT_NE(health.out.find("\"db\":\"fail\""), std::string::npos) << health.out;
  EXPECT_NE(health.out.find("database damaged"), std::string::npos) << health.out;
  const std::string err = vigild.process().stderr_text();
  EXPECT_EQ(err.find("alarm log writes work again"), std::string::npos) << err;
  for (const std::string& line : watched.watch.drain_lines()) {
    EXPECT_FALSE(is_t8(line, "resolved", "DAMAGED1", "database damaged"))
        << "T8 resolved on a damaged file: " << line;
  }
  std::cout << "[fault] damage at run time: " << health.out << std::endl;
  ASSERT_TRUE(vigild.process().running());
  EXPECT_EQ(vigild.stop(), 0);
}

// Free space below db_min_free_mb (a minimum far above any real disk, so the test does not
// depend on this machine's free space): T8 "Low disk space" on every chair, while messages
// are still stored and acknowledged (the disk is not full yet).
TEST(FaultsStorage, FreeSpaceBelowMinimumRaisesT8) {
  TempDir dir;
  const std::string config = dir.file("vigild.conf");
  std::ofstream(config) << "db_min_free_mb: 1099511627776\n";
  Vigild vigild(dir.file("vigil.db"), {"--config", config});
  Watched watched(vigild);
  ASSERT_TRUE(watched.greeted()) << watched.watch.stderr_text();
  ChairDriver chair(vigild, "SPACE1");
  EXPECT_EQ(chair.vitals(70, 97), "");
  const std::string t8 = watched.t8("SPACE1", "Low disk space");
  EXPECT_FALSE(t8.empty()) << vigild.process().stderr_text();
  EXPECT_TRUE(wait_for_stderr(vigild, "critical LOW DISK SPACE")) << vigild.process().stderr_text();
  std::cout << "[fault] free space below minimum: watch shows " << t8 << std::endl;
  EXPECT_EQ(vigild.stop(), 0);
}

}  // namespace
}  // namespace vigil::test::faults
