// Which database vigilctl reads without --db (ctl/default_db.hpp), against a temporary
// "installed" layout: the real /etc and /var/lib are never looked at.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "ctl/default_db.hpp"
#include "store/store_test_support.hpp"

namespace vigil::ctl {
namespace {

using ::testing::HasSubstr;

class DefaultDbTest : public ::testing::Test {
 protected:
  InstalledPaths installed() const { return {dir_.file("vigild.conf"), dir_.file("lib/vigil.db")}; }
  void write_config(const std::string& path, const std::string& text) const { std::ofstream(path) << text; }
  store::testing::TempDir dir_;
};

TEST_F(DefaultDbTest, NoConfigInstalledMeansThePackagedPath) {
  const DefaultDb d = default_db("", installed());
  EXPECT_EQ(d.path, dir_.file("lib/vigil.db"));
  EXPECT_EQ(d.origin, "the installed default");
}

TEST_F(DefaultDbTest, InstalledConfigGivesItsDb) {
  write_config(dir_.file("vigild.conf"), "hl7_listen: \"127.0.0.1:2575\"\ndb: \"/srv/clinic/vigil.db\"\n");
  const DefaultDb d = default_db("", installed());
  EXPECT_EQ(d.path, "/srv/clinic/vigil.db");
  EXPECT_THAT(d.origin, HasSubstr(dir_.file("vigild.conf")));
}

TEST_F(DefaultDbTest, NamedConfigWinsOverTheInstalledOne) {
  write_config(dir_.file("vigild.conf"), "db: \"/installed.db\"\n");
  write_config(dir_.file("other.conf"), "db: \"/other.db\"\n");
  EXPECT_EQ(default_db(dir_.file("other.conf"), installed()).path, "/other.db");
}

TEST_F(DefaultDbTest, NamedConfigMustExist) {
  try {
    default_db(dir_.file("missing.conf"), installed());
    FAIL() << "a missing --config must be an error";
  } catch (const DefaultDbError& e) {
    EXPECT_THAT(e.what(), HasSubstr(dir_.file("missing.conf")));
    EXPECT_THAT(e.what(), HasSubstr("--db"));
  }
}

// A directory reads as nothing: `--config /etc/vigil` passed for a config without db: and
// vigilctl read ./vigil.db, wherever it was run.
TEST_F(DefaultDbTest, ConfigThatIsNoFileIsAnError) {
  std::filesystem::create_directory(dir_.file("conf.d"));
  for (const std::string& path : {dir_.file("conf.d"), dir_.file("conf.d") + "/"}) {
    try {
      default_db(path, installed());
      FAIL() << "a directory as --config must be an error";
    } catch (const DefaultDbError& e) {
      EXPECT_THAT(e.what(), HasSubstr(path + ": is a directory"));
      EXPECT_THAT(e.what(), HasSubstr("--db"));
    }
  }
  try {
    default_db("/dev/null", installed());
    FAIL() << "a device as --config must be an error";
  } catch (const DefaultDbError& e) {
    EXPECT_THAT(e.what(), HasSubstr("/dev/null: is not a regular file"));
  }
  // The installed path being a directory is no more a config than a named one.
  std::filesystem::create_directory(dir_.file("vigild.conf"));
  EXPECT_THROW(default_db("", installed()), DefaultDbError);
}

TEST_F(DefaultDbTest, UnparsableConfigNamesTheLineAndTheCheck) {
  write_config(dir_.file("vigild.conf"), "db: \"/x.db\"\nretention { readings_dayz: 3 }\n");
  try {
    default_db("", installed());
    FAIL() << "a broken config must be an error";
  } catch (const DefaultDbError& e) {
    EXPECT_THAT(e.what(), HasSubstr("line 2"));
    EXPECT_THAT(e.what(), HasSubstr("vigild --check-config"));
  }
}

TEST_F(DefaultDbTest, MissingMessageSaysWhatWasTriedAndHowToPassDb) {
  const std::string m = missing_db_message(default_db("", installed()));
  EXPECT_THAT(m, HasSubstr(dir_.file("lib/vigil.db")));
  EXPECT_THAT(m, HasSubstr("--db FILE"));
}

}  // namespace
}  // namespace vigil::ctl
