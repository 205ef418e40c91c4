// vigilctl's database commands without --db read the installed vigild's database: the db:
// of the config named by --config or VIGIL_CONFIG here (the real /etc is never read by a test;
// the /etc fallback itself is tests/ctl/default_db_test.cpp with a temporary layout).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "support/child_process.hpp"
#include "support/file_text.hpp"
#include "support/vigild_fixture.hpp"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

class CtlDefaultDb : public ::testing::Test {
 protected:
  void SetUp() override {
    {
      Vigild v(dir_.file("vigil.db"));
      ASSERT_EQ(v.stop(), 0);
    }
    std::ofstream(conf()) << "db: \"" << dir_.file("vigil.db") << "\"\n";
  }
  std::string conf() const { return dir_.file("vigild.conf"); }
  TempDir dir_;
};

TEST_F(CtlDefaultDb, EnvironmentNamesTheConfig) {
  for (const char* cmd : {"readings", "alerts", "unmapped", "forward-status"}) {
    const auto r = run_command({"/usr/bin/env", "VIGIL_CONFIG=" + conf(), bin("vigilctl"), cmd}, 30s);
    EXPECT_EQ(r.exit_code, 0) << cmd << ": " << r.err;
  }
}

TEST_F(CtlDefaultDb, ConfigFlagBeforeOrAfterTheCommand) {
  auto r = run_command({bin("vigilctl"), "--config", conf(), "readings"}, 30s);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  r = run_command({bin("vigilctl"), "alerts", "--config", conf()}, 30s);
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(CtlDefaultDb, BackupCopiesTheConfiguredDatabase) {
  const auto r =
      run_command({bin("vigilctl"), "backup", "--config", conf(), "--out", dir_.file("copy.db")}, 30s);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("integrity ok"));
}

TEST_F(CtlDefaultDb, MissingDatabaseSaysWhichPathAndHowToPassDb) {
  std::ofstream(dir_.file("other.conf")) << "db: \"" << dir_.file("nowhere.db") << "\"\n";
  const auto r = run_command({bin("vigilctl"), "readings", "--config", dir_.file("other.conf")}, 30s);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_THAT(r.err, HasSubstr(dir_.file("nowhere.db")));
  EXPECT_THAT(r.err, HasSubstr("--db FILE"));
  EXPECT_EQ(count_lines(r.err), 1) << r.err;
}

TEST_F(CtlDefaultDb, MissingConfigIsAnError) {
  const auto r =
      run_command({bin("vigilctl"), "timeline", "--bed", "CHAIR1", "--config", dir_.file("no.conf")}, 30s);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr(dir_.file("no.conf")));
}

TEST_F(CtlDefaultDb, ExplicitDbStillWins) {
  const auto r = run_command({"/usr/bin/env", "VIGIL_CONFIG=" + dir_.file("no.conf"), bin("vigilctl"),
                              "readings", "--db", dir_.file("vigil.db")},
                             30s);
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

}  // namespace
}  // namespace vigil::test
