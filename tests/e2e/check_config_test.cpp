// vigild --check-config, like `sshd -t`: every check a start makes, nothing bound, nothing
// written; the effective settings on stdout; exit 2 with exactly the error a start prints.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "support/child_process.hpp"
#include "support/vigild_fixture.hpp"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;

RunResult check(const std::vector<std::string>& args) {
  std::vector<std::string> argv{bin("vigild"), "--check-config"};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv, 30s);
}

// What a plain start prints for the same arguments (it fails before binding anything).
RunResult start(const std::vector<std::string>& args) {
  std::vector<std::string> argv{bin("vigild")};
  argv.insert(argv.end(), args.begin(), args.end());
  return run_command(argv, 30s);
}

const char* kHash = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

TEST(CheckConfig, ValidConfigPrintsEffectiveSettingsAndTouchesNothing) {
  TempDir dir;
  const std::string db = dir.file("vigil.db");
  std::ofstream(dir.file("v.conf")) << "hl7_listen: \"127.0.0.1:2575\"\nstream_listen: \"127.0.0.1:7420\"\n"
                                    << "db: \"" << db << "\"\nretention { readings_days: 30 }\n"
                                    << "beds { match: \"INFUSION^^BED3\" chair: \"CHAIR3\" }\n"
                                    << "serial { bed: \"CHAIR5\" device: \"/dev/ttyUSB0\" }\n"
                                    << "stream_user { name: \"nina\" role: \"nurse\" token_sha256: \""
                                    << kHash << "\" }\n";
  const auto r = check({"--config", dir.file("v.conf")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("hl7_listen: \"127.0.0.1:2575\"\n"));
  EXPECT_THAT(r.out, HasSubstr("stream_listen: \"127.0.0.1:7420\"\n"));
  EXPECT_THAT(r.out, HasSubstr("db: \"" + db + "\"\n"));
  EXPECT_THAT(r.out, HasSubstr("readings_days: 30\n"));
  EXPECT_THAT(r.out, HasSubstr("alert_log_days: 365\n"));  // a default, shown as effective
  EXPECT_THAT(r.out, HasSubstr("archive_dir: \"" + dir.path() + "/archive\""));
  EXPECT_THAT(r.out, HasSubstr("beds { match: \"INFUSION^^BED3\" chair: \"CHAIR3\" }"));
  EXPECT_THAT(r.out, HasSubstr("serial { bed: \"CHAIR5\" device: \"/dev/ttyUSB0\" baud: 19200"));
  EXPECT_THAT(r.out, HasSubstr("stream_user { name: \"nina\" role: \"nurse\" }"));
  EXPECT_THAT(r.out, Not(HasSubstr(kHash)));
  EXPECT_FALSE(std::filesystem::exists(db)) << "--check-config must not create the database";
}

TEST(CheckConfig, FlagsOverrideTheFileAsAtStart) {
  TempDir dir;
  std::ofstream(dir.file("v.conf")) << "db: \"" << dir.file("a.db") << "\"\n";
  const auto r =
      check({"--config", dir.file("v.conf"), "--db", dir.file("b.db"), "--hl7-listen", "127.0.0.1:0"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("db: \"" + dir.file("b.db") + "\""));
  EXPECT_THAT(r.out, HasSubstr("hl7_listen: \"127.0.0.1:0\""));
}

TEST(CheckConfig, BindsNoPort) {
  // The ports a running vigild holds: a start would fail on them, the check does not bind.
  TempDir dir;
  Vigild running(dir.file("run.db"));
  const auto r = check({"--db", dir.file("other.db"), "--hl7-listen", running.hl7.str(), "--stream-listen",
                        running.stream.str()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const auto s = start({"--db", dir.file("other.db"), "--hl7-listen", running.hl7.str(), "--stream-listen",
                        running.stream.str()});
  EXPECT_EQ(s.exit_code, 2) << "the start, unlike the check, binds: " << s.err;
}

TEST(CheckConfig, SpinFlagOverridesTheFileAndIsBounded) {
  TempDir dir;
  std::ofstream(dir.file("v.conf")) << "db: \"" << dir.file("a.db") << "\"\nspin_us: 50\n";
  const auto from_file = check({"--config", dir.file("v.conf")});
  ASSERT_EQ(from_file.exit_code, 0) << from_file.err;
  EXPECT_THAT(from_file.out, HasSubstr("spin_us: 50\n"));
  const auto flag = check({"--config", dir.file("v.conf"), "--spin-us", "0"});
  ASSERT_EQ(flag.exit_code, 0) << flag.err;
  EXPECT_THAT(flag.out, HasSubstr("spin_us: 0\n"));
  const auto too_long = check({"--config", dir.file("v.conf"), "--spin-us", "10001"});
  EXPECT_EQ(too_long.exit_code, 2);
  EXPECT_THAT(too_long.err, HasSubstr("--spin-us: at most 10000"));
}

TEST(CheckConfig, ParseErrorIsTheStartsError) {
  TempDir dir;
  std::ofstream(dir.file("bad.conf")) << "db: \"" << dir.file("x.db") << "\"\nhl7_listne: \"127.0.0.1:0\"\n";
  const auto r = check({"--config", dir.file("bad.conf")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("line 2"));
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, start({"--config", dir.file("bad.conf")}).err);
}

TEST(CheckConfig, NetworkPolicyIsTheStartsError) {
  TempDir dir;
  std::ofstream(dir.file("open.conf")) << "db: \"" << dir.file("x.db") << "\"\nhl7_listen: \"0.0.0.0:0\"\n";
  const auto r = check({"--config", dir.file("open.conf")});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("hl7_allow"));
  const auto s = start({"--config", dir.file("open.conf")});
  EXPECT_EQ(s.exit_code, 2);
  EXPECT_EQ(r.err, s.err);
  EXPECT_FALSE(std::filesystem::exists(dir.file("x.db")));
}

TEST(CheckConfig, MissingTlsFileIsTheStartsError) {
  TempDir dir;
  const std::vector<std::string> args{"--db",
                                      dir.file("x.db"),
                                      "--stream-tls-cert",
                                      dir.file("none.crt"),
                                      "--stream-tls-key",
                                      dir.file("none.key"),
                                      "--hl7-listen",
                                      "127.0.0.1:0",
                                      "--stream-listen",
                                      "127.0.0.1:0"};
  const auto r = check(args);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("none.crt"));
  EXPECT_EQ(r.err, start(args).err);
}

TEST(CheckConfig, DatabaseDirectoryMustExist) {
  const std::vector<std::string> args{"--db",        "/nonexistent/dir/vigil.db", "--hl7-listen",
                                      "127.0.0.1:0", "--stream-listen",           "127.0.0.1:0"};
  const auto r = check(args);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err, start(args).err);
  EXPECT_THAT(r.err, HasSubstr("/nonexistent/dir/vigil.db"));
}

TEST(CheckConfig, ShippedExampleIsValid) {
  TempDir dir;
  const auto r = check({"--config", std::string(VIGIL_SOURCE_DIR) + "/deploy/vigild.conf.example", "--db",
                        dir.file("vigil.db")});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_THAT(r.out, HasSubstr("db_min_free_mb: 1024"));
}

}  // namespace
}  // namespace vigil::test
