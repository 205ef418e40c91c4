// The command-line contracts: clear one-line errors and non-zero exits.
#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "support/child_process.hpp"
#include "support/file_text.hpp"
#include "support/vigild_fixture.hpp"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;

TEST(CliErrors, ConfigErrorNamesLineAndField) {
  TempDir dir;
  std::ofstream(dir.file("bad.conf")) << "db: \"x.db\"\nhl7_listne: \"127.0.0.1:0\"\n";
  auto r = run_command({bin("vigild"), "--config", dir.file("bad.conf")}, 20s);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("line 2"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("hl7_listne"), std::string::npos) << r.err;
}

TEST(CliErrors, ConfigThatIsADirectoryStopsBothPrograms) {
  TempDir dir;
  auto r = run_command({bin("vigild"), "--config", dir.path(), "--check-config"}, 20s);
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.err.find(dir.path() + ": is a directory"), std::string::npos) << r.err;
  r = run_command({bin("vigilctl"), "readings", "--config", dir.path()}, 20s);
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.err.find(dir.path() + ": is a directory"), std::string::npos) << r.err;
  EXPECT_EQ(count_lines(r.err), 1) << r.err;
}

TEST(CliErrors, BadListenAddress) {
  auto r = run_command({bin("vigild"), "--hl7-listen", "nonsense"}, 20s);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--hl7-listen"), std::string::npos) << r.err;
}

TEST(CliErrors, UnwritableDatabase) {
  auto r = run_command({bin("vigild"), "--db", "/nonexistent/dir/vigil.db", "--hl7-listen", "127.0.0.1:0",
                        "--stream-listen", "127.0.0.1:0"},
                       20s);
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("/nonexistent/dir/vigil.db"), std::string::npos) << r.err;
}

TEST(CliErrors, PortInUse) {
  TempDir dir;
  Vigild first(dir.file("a.db"));
  auto r = run_command({bin("vigild"), "--db", dir.file("b.db"), "--hl7-listen", first.hl7.str(),
                        "--stream-listen", "127.0.0.1:0"},
                       20s);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find(first.hl7.str()), std::string::npos) << r.err;
}

// Two daemons on one file would raise T1 for the chairs the other one hears and write both
// into one patient record: the second is refused, like a port in use, and the first goes on.
TEST(CliErrors, DatabaseInUseByAnotherDaemon) {
  TempDir dir;
  Vigild first(dir.file("vigil.db"));
  auto r = run_command({bin("vigild"), "--db", dir.file("vigil.db"), "--hl7-listen", "127.0.0.1:0",
                        "--stream-listen", "127.0.0.1:0", "--http-listen", "127.0.0.1:0"},
                       20s);
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.err.find(dir.file("vigil.db") + ": is in use by another vigild (pid " +
                       std::to_string(first.process().pid()) + ")"),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.out.find("listening"), std::string::npos) << r.out;
  EXPECT_EQ(first.stop(), 0) << first.process().stderr_text();
  Vigild next(dir.file("vigil.db"));  // free again once the first has stopped
  EXPECT_EQ(next.stop(), 0) << next.process().stderr_text();
}

TEST(CliErrors, WatchUnreachableDaemon) {
  // Bind-and-close gives a port nobody listens on.
  TempDir dir;
  std::string port;
  {
    Vigild v(dir.file("x.db"));
    port = v.stream.str();
    v.stop();
  }
  auto r = run_command({bin("vigilctl"), "watch", "--connect", port}, 20s);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("cannot connect"), std::string::npos) << r.err;
  EXPECT_EQ(count_lines(r.err), 1) << r.err;
}

TEST(CliErrors, ReadingsUnreadableDatabase) {
  auto r = run_command({bin("vigilctl"), "readings", "--db", "/nonexistent/vigil.db"}, 20s);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("/nonexistent/vigil.db"), std::string::npos) << r.err;
  EXPECT_EQ(count_lines(r.err), 1) << r.err;
}

TEST(CliErrors, ReadingsBadSince) {
  TempDir dir;
  {
    Vigild v(dir.file("v.db"));
    v.stop();
  }
  auto r =
      run_command({bin("vigilctl"), "readings", "--db", dir.file("v.db"), "--since", "yesterday-ish"}, 20s);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--since"), std::string::npos) << r.err;
}

TEST(CliErrors, UnknownSubcommandOrFlag) {
  auto r = run_command({bin("vigilctl"), "frobnicate"}, 20s);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown command frobnicate"), std::string::npos) << r.err;
  r = run_command({bin("vigild"), "--no-such-flag"}, 20s);
  EXPECT_EQ(r.exit_code, 2);
}

// CLI11 checks what is required before what is left over: `vigilctl --bogus` said "A
// subcommand is required", and a mistyped --bed "--bed is required". The typo is the news.
TEST(CliErrors, AnUnknownOptionIsNamedAsSuch) {
  const std::vector<std::vector<std::string>> lines{
      {"--bogus"},
      {"--bogus", "readings", "--db", "/nonexistent.db"},
      {"session", "--bogus"},
      {"timeline", "--db", "/nonexistent.db", "--bde", "CHAIR1"}};
  for (const auto& args : lines) {
    std::vector<std::string> argv{bin("vigilctl")};
    argv.insert(argv.end(), args.begin(), args.end());
    const auto r = run_command(argv, 20s);
    EXPECT_EQ(r.exit_code, 2) << args.front() << ": " << r.err;
    const std::string unknown = args.front() == "timeline" ? "--bde" : "--bogus";
    EXPECT_NE(r.err.find("unknown option " + unknown), std::string::npos) << r.err;
    EXPECT_EQ(r.err.find("required"), std::string::npos) << r.err;
    EXPECT_EQ(count_lines(r.err), 1) << r.err;
  }
  // Still said when it is what is wrong.
  const auto r = run_command({bin("vigilctl")}, 20s);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("subcommand is required"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace vigil::test
