// vigilctl backup against a real vigild under an HL7 flood: the copy is made while monitors
// keep sending, holds every reading vigild acknowledged (AA) before the backup started,
// passes integrity_check, and vigild starts on it (the restore procedure of
// docs/reliability.md). Also the refusals: an existing --out, a missing --db.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <thread>
#include <utility>

#include "support/child_process.hpp"
#include "support/db_check.hpp"
#include "support/file_text.hpp"
#include "support/mllp_client.hpp"
#include "support/session_driver.hpp"
#include "support/vigild_fixture.hpp"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;

constexpr int kConnections = 8;
constexpr int kBedsPerConnection = 40;
constexpr int kValuesPerBed = 100;  // HR 50..149: (bed, HR) names one message

std::string bed_name(int connection, int i) {
  return "BK" + std::to_string(connection) + "-" + std::to_string(i % kBedsPerConnection);
}
int heart_rate(int i) { return 50 + i / kBedsPerConnection; }

// Monitors that send until stopped (or out of distinct messages), recording what was AA'd.
class Flood {
 public:
  explicit Flood(const Vigild& vigild) {
    for (int c = 0; c < kConnections; ++c) {
      threads_.emplace_back(
          [this, c, host = vigild.hl7.host, port = vigild.hl7.port] { send_all(c, host, port); });
    }
  }
  ~Flood() { stop(); }

  // Waits until at least `n` messages were AA'd (false at the deadline or on an error).
  bool wait_acked(std::size_t n, std::chrono::seconds deadline) {
    std::unique_lock<std::mutex> lock(mu_);
    return changed_.wait_for(lock, deadline, [&] { return acked_.size() >= n || !error_.empty(); }) &&
           error_.empty();
  }
  std::set<std::pair<std::string, int>> acked() {
    std::lock_guard<std::mutex> lock(mu_);
    return acked_;
  }
  std::string error() {
    std::lock_guard<std::mutex> lock(mu_);
    return error_;
  }
  std::size_t running() const { return running_.load(); }
  void stop() {
    stopping_ = true;
    for (auto& t : threads_) {
      if (t.joinable()) t.join();
    }
  }

 private:
  void send_all(int c, const std::string& host, std::uint16_t port) {
    ++running_;
    MllpClient monitor(host, port);
    for (int i = 0; i < kBedsPerConnection * kValuesPerBed && !stopping_; ++i) {
      const std::string bed = bed_name(c, i);
      const std::string control = "B" + std::to_string(c) + "-" + std::to_string(i);
      std::string failure;
      if (!monitor.send_message(make_vitals_oru(bed, control, std::nullopt, heart_rate(i), std::nullopt))) {
        failure = "send failed for " + control;
      } else {
        auto ack = monitor.read_reply(60s);
        if (!ack || hl7_field(*ack, "MSA", 1) != "AA") failure = "no AA for " + control;
      }
      std::lock_guard<std::mutex> lock(mu_);
      if (!failure.empty()) {
        error_ = failure;
        changed_.notify_all();
        break;
      }
      acked_.emplace(bed, heart_rate(i));
      changed_.notify_all();
    }
    --running_;
  }

  std::mutex mu_;
  std::condition_variable changed_;
  std::set<std::pair<std::string, int>> acked_;
  std::string error_;
  std::atomic<bool> stopping_{false};
  std::atomic<std::size_t> running_{0};
  std::vector<std::thread> threads_;
};

// (bed, HR) of every heart-rate reading in `db`.
std::set<std::pair<std::string, int>> stored_heart_rates(const std::string& db, std::string* error) {
  std::set<std::pair<std::string, int>> out;
  sqlite3* conn = nullptr;
  if (sqlite3_open_v2(db.c_str(), &conn, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    *error = "cannot open " + db;
    sqlite3_close(conn);
    return out;
  }
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(conn, "SELECT bed, value FROM readings WHERE kind = 'HR'", -1, &stmt, nullptr) !=
      SQLITE_OK) {
    *error = sqlite3_errmsg(conn);
  } else {
    while (sqlite3_step(stmt) == SQLITE_ROW) {
      const unsigned char* bed = sqlite3_column_text(stmt, 0);
      out.emplace(bed ? reinterpret_cast<const char*>(bed) : "",
                  static_cast<int>(sqlite3_column_double(stmt, 1)));
    }
  }
  sqlite3_finalize(stmt);
  sqlite3_close(conn);
  return out;
}

TEST(BackupE2e, CopyDuringAFloodHoldsEveryReadingAcknowledgedBeforeItAndRestores) {
  TempDir dir;
  const std::string db = dir.file("vigil.db");
  const std::string copy = dir.file("backup.db");
  Vigild vigild(db);
  Flood flood(vigild);
  ASSERT_TRUE(flood.wait_acked(3000, 120s)) << flood.error();

  // Everything AA'd up to here must be in the copy; the flood goes on while it is made.
  const auto before = flood.acked();
  const auto started = std::chrono::steady_clock::now();
  const RunResult run = run_command({bin("vigilctl"), "backup", "--db", db, "--out", copy}, 120s);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const std::size_t acked_after = flood.acked().size();
  const std::size_t still_sending = flood.running();
  flood.stop();
  ASSERT_EQ(flood.error(), "");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_NE(run.out.find("backup " + copy + ": "), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("integrity ok"), std::string::npos) << run.out;
  EXPECT_FALSE(std::filesystem::exists(copy + ".partial"));
  // A figure, not an assertion: how the copy went under load.
  std::printf(
      "[ figure ] backup under flood: %.3f s, %ju bytes, AA'd before %zu, during %zu, %zu of %d connections "
      "still sending\n  %s",
      seconds, static_cast<std::uintmax_t>(std::filesystem::file_size(copy)), before.size(),
      acked_after - before.size(), still_sending, kConnections, run.out.c_str());
  EXPECT_EQ(vigild.stop(), 0);

  // Restore: copy the backup into place and start vigild on it.
  EXPECT_EQ(sqlite_integrity_check(copy), "ok");
  TempDir restored_dir;
  const std::string restored = restored_dir.file("vigil.db");
  std::filesystem::copy_file(copy, restored);
  {
    Vigild again(restored);
    EXPECT_EQ(again.stop(), 0) << again.process().stderr_text();
  }
  std::string error;
  const auto stored = stored_heart_rates(restored, &error);
  ASSERT_EQ(error, "");
  std::size_t missing = 0;
  for (const auto& key : before) {
    if (!stored.count(key) && ++missing <= 5)
      ADD_FAILURE() << "AA'd before the backup, not in it: " << key.first << " HR " << key.second;
  }
  EXPECT_EQ(missing, 0u) << "of " << before.size();
  EXPECT_EQ(sqlite_integrity_check(restored), "ok");
}

TEST(BackupE2e, RefusesAnExistingOutAndAMissingDb) {
  TempDir dir;
  const std::string db = dir.file("vigil.db");
  {
    Vigild vigild(db);
    EXPECT_EQ(vigild.stop(), 0);
  }
  const std::string out = dir.file("taken.db");
  std::ofstream(out) << "an older backup";
  RunResult run = run_command({bin("vigilctl"), "backup", "--db", db, "--out", out}, 60s);
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_NE(run.err.find("file exists"), std::string::npos) << run.err;
  EXPECT_EQ(read_file(out), "an older backup");

  run = run_command({bin("vigilctl"), "backup", "--db", dir.file("absent.db"), "--out", dir.file("new.db")},
                    60s);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_NE(run.err.find("absent.db"), std::string::npos) << run.err;
  EXPECT_FALSE(std::filesystem::exists(dir.file("new.db")));
  EXPECT_FALSE(std::filesystem::exists(dir.file("new.db.partial")));
}

}  // namespace
}  // namespace vigil::test
