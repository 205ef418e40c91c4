// Retention through a real vigild: started on a database holding readings older than the
// configured limit, it moves them to their month's archive at start-up (while it takes HL7),
// logs the run in the journal and in config_log, keeps the young ones live, and vigilctl
// reads the archive with --db. Rows are dated from the clock vigild itself reads (the system
// clock), so the test holds on any date and under libfaketime.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "store/retention.hpp"
#include "store/store.hpp"
#include "support/child_process.hpp"
#include "support/mllp_client.hpp"
#include "support/vigild_fixture.hpp"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;

constexpr std::int64_t kDay = 86'400'000;

std::int64_t wall_now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

store::WriteBatch heart_rate(const std::string& bed, double value, std::int64_t at) {
  store::WriteBatch b;
  Reading r;
  r.bed = bed;
  r.kind = VitalKind::HeartRate;
  r.value = value;
  r.measured_at_ms = at;
  r.received_at_ms = at;
  r.source = "MON-1";
  r.valid = true;
  r.status = "F";
  b.readings = {r};
  return b;
}

// The detail of the newest config_log row `what`, or "" while there is none.
std::string config_detail(const std::string& db, const std::string& what) {
  sqlite3* c = nullptr;
  std::string detail;
  if (sqlite3_open_v2(db.c_str(), &c, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* s = nullptr;
    if (sqlite3_prepare_v2(c, "SELECT detail FROM config_log WHERE what = ?1 ORDER BY id DESC LIMIT 1", -1,
                           &s, nullptr) == SQLITE_OK) {
      sqlite3_bind_text(s, 1, what.c_str(), -1, SQLITE_TRANSIENT);
      if (sqlite3_step(s) == SQLITE_ROW) detail = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    }
    sqlite3_finalize(s);
  }
  sqlite3_close(c);
  return detail;
}

TEST(RetentionE2E, VigildArchivesExpiredReadingsAtStartAndVigilctlReadsTheArchive) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("vigil-retention-" + std::to_string(::getpid()) + "-" + std::to_string(wall_now_ms()));
  std::filesystem::create_directories(dir);
  const std::string db = (dir / "vigil.db").string();
  const std::string archive_dir = (dir / "archive").string();
  const std::int64_t now = wall_now_ms();
  const std::int64_t old = now - 120 * kDay;
  {
    store::Store s(store::StoreOptions{db});
    for (int i = 0; i < 3; ++i)
      ASSERT_TRUE(s.submit(heart_rate("CHAIR1", 60 + i, old + i * 60'000), nullptr));
    ASSERT_TRUE(s.submit(heart_rate("CHAIR1", 88, now - 60'000), nullptr));
    s.flush();
  }
  const std::string config = (dir / "vigild.conf").string();
  std::ofstream(config) << "retention { readings_days: 90 archive_dir: \"" << archive_dir << "\" }\n";

  Vigild vigild(db, {"--config", config});
  // Ingest goes on while the run works: a message sent now is acknowledged.
  MllpClient monitor(vigild.hl7.host, vigild.hl7.port);
  OruValues message;
  message.control_id = "RT-1";
  message.hr = 77;
  ASSERT_TRUE(monitor.send_message(make_oru(message)));
  const auto ack = monitor.read_reply(30s);
  ASSERT_TRUE(ack.has_value());
  EXPECT_EQ(hl7_field(*ack, "MSA", 1), "AA");

  std::string detail;
  const auto deadline = std::chrono::steady_clock::now() + 60s;
  while ((detail = config_detail(db, "retention run")).empty() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(50ms);
  const std::string archive = store::archive_path(archive_dir, old);
  const std::string name = archive.substr(archive.rfind('/') + 1);
  EXPECT_EQ(detail, "observation_sets: 3 moved to " + name +
                        "; unmapped_observations: 0; alert_log: 0; session_log: 0");
  EXPECT_EQ(vigild.stop(), 0);
  EXPECT_THAT(vigild.process().stderr_text(), HasSubstr("retention: observation_sets: 3 moved to " + name));

  // Live: the two recent readings only.
  auto live = run_command({bin("vigilctl"), "readings", "--db", db, "--format", "csv"}, 30s);
  ASSERT_EQ(live.exit_code, 0) << live.err;
  EXPECT_THAT(live.out, HasSubstr(",77,"));
  EXPECT_THAT(live.out, HasSubstr(",88,"));
  EXPECT_THAT(live.out, ::testing::Not(HasSubstr(",60,")));
  // The archive is a Vigil database vigilctl reads like the live one.
  auto archived = run_command({bin("vigilctl"), "readings", "--db", archive, "--format", "csv"}, 30s);
  ASSERT_EQ(archived.exit_code, 0) << archived.err;
  EXPECT_THAT(archived.out, HasSubstr(",60,"));
  EXPECT_THAT(archived.out, HasSubstr(",61,"));
  EXPECT_THAT(archived.out, ::testing::Not(HasSubstr(",88,")));
  std::filesystem::remove_all(dir);
}

TEST(RetentionE2E, ALimitBelowTwoDaysIsAConfigError) {
  const auto dir =
      std::filesystem::temp_directory_path() /
      ("vigil-retention-cfg-" + std::to_string(::getpid()) + "-" + std::to_string(wall_now_ms()));
  std::filesystem::create_directories(dir);
  const std::string config = (dir / "vigild.conf").string();
  std::ofstream(config) << "retention { readings_days: 1 }\n";
  auto r = run_command({bin("vigild"), "--db", (dir / "v.db").string(), "--config", config}, 30s);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_THAT(r.err, HasSubstr("retention.readings_days: 0 (keep for ever) or 2..10000 days"));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace vigil::test
