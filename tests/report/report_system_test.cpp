// A simulated hypertensive-responder session (vigil-sim against vigild --demo), a nurse's
// acknowledgment during it, then `vigilctl report` as PDF, PNG and CSV. The PDF must convert
// with pdftoppm and its text (pdftotext) must carry the numbers SQLite holds: peak SBP/DBP,
// baseline, alert count and who acknowledged.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "events.pb.h"
#include "support/child_process.hpp"
#include "support/file_text.hpp"
#include "support/vigild_fixture.hpp"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;

bool has(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// One open read-only connection for the checks.
class Db {
 public:
  explicit Db(const std::string& path) { sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr); }
  ~Db() { sqlite3_close(db_); }
  // Rows of the first column as text.
  std::vector<std::string> column(const std::string& sql) {
    std::vector<std::string> out;
    sqlite3_stmt* s = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr), SQLITE_OK) << sqlite3_errmsg(db_) << "\n"
                                                                                << sql;
    while (s && sqlite3_step(s) == SQLITE_ROW) {
      const unsigned char* t = sqlite3_column_text(s, 0);
      out.emplace_back(t ? reinterpret_cast<const char*>(t) : "");
    }
    sqlite3_finalize(s);
    return out;
  }
  std::string one(const std::string& sql) {
    auto rows = column(sql);
    return rows.empty() ? "" : rows.front();
  }
  std::string blob(const std::string& sql) {
    sqlite3_stmt* s = nullptr;
    std::string out;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW) {
      out.assign(static_cast<const char*>(sqlite3_column_blob(s, 0)),
                 static_cast<std::size_t>(sqlite3_column_bytes(s, 0)));
    }
    sqlite3_finalize(s);
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
};

// A PNG's width and height from its IHDR chunk; {0, 0} when it is not a PNG.
std::pair<unsigned, unsigned> png_size(const std::string& path) {
  const std::string b = read_file(path);
  if (b.size() < 24 || b.substr(1, 3) != "PNG") return {0, 0};
  auto be32 = [&](std::size_t at) {
    unsigned v = 0;
    for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(b[at + i]);
    return v;
  };
  return {be32(16), be32(20)};
}

// The number after `label` on its line of pdftotext -layout output ("Peak SBP   186 mmHg").
std::string number_after(const std::string& text, const std::string& label) {
  std::smatch m;
  if (std::regex_search(text, m, std::regex(label + R"(\s+(\d+))"))) return m[1];
  return "";
}

TEST(ReportSystem, HypertensiveResponderReportMatchesTheDatabase) {
  TempDir dir;
  const std::string db = dir.file("vigil.db");
  Vigild vigild(db, {"--demo", "--time-scale", "200"});
  ChildProcess watch({bin("vigilctl"), "watch", "--connect", vigild.stream.str(), "--bed", "CHAIR2"});
  ChildProcess sim({bin("vigil-sim"), "--hl7", vigild.hl7.str(), "--stream", vigild.stream.str(),
                    "--scenario", "hypertensive-responder", "--bed", "CHAIR2", "--time-scale", "200",
                    "--user", "sim-nurse"});
  // The first blood-pressure alarm is acknowledged by the charge nurse while it is live.
  std::string alert_id;
  watch.wait_for_line(
      [&](const std::string& l) {
        std::smatch m;
        if (!has(l, "\"type\":\"alert\"") || !has(l, "\"state\":\"ACTIVE\"")) return false;
        if (!(has(l, "\"rule\":\"P2\"") || has(l, "\"rule\":\"P1\"") || has(l, "\"rule\":\"P3\"")))
          return false;
        if (!std::regex_search(l, m, std::regex(R"re("id":"([^"]+)")re"))) return false;
        alert_id = m[1];
        return true;
      },
      120s);
  ASSERT_FALSE(alert_id.empty()) << sim.stderr_text();
  auto ack = run_command({bin("vigilctl"), "ack", "--connect", vigild.stream.str(), "--bed", "CHAIR2",
                          "--alert", alert_id, "--user", "charge-nurse"},
                         30s);
  EXPECT_EQ(ack.exit_code, 0) << ack.err;
  auto code = sim.wait(180s);
  ASSERT_TRUE(code) << sim.stderr_text();
  ASSERT_EQ(*code, 0) << sim.stderr_text();
  ASSERT_EQ(vigild.stop(), 0);

  const std::string pdf = dir.file("chair2.pdf");
  auto made =
      run_command({bin("vigilctl"), "report", "--db", db, "--bed", "CHAIR2", "--latest", "--out", pdf}, 60s);
  ASSERT_EQ(made.exit_code, 0) << made.err;
  EXPECT_TRUE(has(made.out, pdf)) << made.out;

  // The PDF converts, and its first page is A4 at 100 dpi.
  auto ppm = run_command({"/usr/bin/pdftoppm", "-png", "-r", "100", pdf, dir.file("page")}, 60s);
  ASSERT_EQ(ppm.exit_code, 0) << ppm.err;
  std::string page1 = dir.file("page-1.png");
  if (png_size(page1).first == 0) page1 = dir.file("page-01.png");
  const auto [w, h] = png_size(page1);
  EXPECT_NEAR(w, 827, 3);
  EXPECT_NEAR(h, 1169, 3);
  auto text_run = run_command({"/usr/bin/pdftotext", "-layout", pdf, "-"}, 60s);
  ASSERT_EQ(text_run.exit_code, 0) << text_run.err;
  const std::string text = text_run.out;

  // The values the report must show, straight from SQLite.
  Db sql(db);
  const std::string session =
      sql.one("SELECT session_id FROM session_log WHERE bed='CHAIR2' ORDER BY id DESC LIMIT 1");
  ASSERT_FALSE(session.empty());
  const std::string from = sql.one("SELECT MIN(at_ms) FROM session_log WHERE session_id='" + session + "'");
  const std::string until = sql.one("SELECT MAX(at_ms) FROM session_log WHERE session_id='" + session + "'");
  const std::string window = " bed='CHAIR2' AND received_at_ms BETWEEN " + from + " AND " + until +
                             " AND valid=1 AND (verified IS NULL OR verified=1)";
  const std::string peak_sys =
      sql.one("SELECT CAST(ROUND(MAX(value)) AS INTEGER) FROM readings WHERE kind='NIBP_SYS' AND" + window);
  const std::string peak_dia =
      sql.one("SELECT CAST(ROUND(MAX(value)) AS INTEGER) FROM readings WHERE kind='NIBP_DIA' AND" + window);
  const std::string alerts =
      sql.one("SELECT COUNT(DISTINCT alert_id) FROM alert_log WHERE bed='CHAIR2' AND at_ms BETWEEN " + from +
              " AND " + until);
  const auto ack_users = sql.column(
      "SELECT DISTINCT acknowledged_by FROM alert_log WHERE bed='CHAIR2' AND "
      "transition='acknowledged' AND at_ms BETWEEN " +
      from + " AND " + until);
  proto::SessionInfo state;
  ASSERT_TRUE(state.ParseFromString(
      sql.blob("SELECT state FROM session_log WHERE session_id='" + session + "' ORDER BY id DESC LIMIT 1")));
  ASSERT_TRUE(state.baseline().has_sys_mmhg());
  char baseline[32];
  // Shown as every face shows a value: rounded half away from zero (88.5 is 89).
  std::snprintf(baseline, sizeof baseline, "%.0f/%.0f mmHg", std::round(state.baseline().sys_mmhg()),
                std::round(state.baseline().dia_mmhg()));

  EXPECT_GE(std::stoi(peak_sys), 180) << "a hypertensive responder";
  EXPECT_EQ(number_after(text, "Peak SBP"), peak_sys) << text;
  EXPECT_EQ(number_after(text, "Peak DBP"), peak_dia) << text;
  EXPECT_TRUE(has(text, baseline)) << baseline << "\n" << text;
  EXPECT_EQ(number_after(text, "Alerts"), alerts) << text;
  EXPECT_TRUE(has(text, "Alerts (" + alerts + ")")) << text;
  ASSERT_FALSE(ack_users.empty());
  EXPECT_NE(std::find(ack_users.begin(), ack_users.end(), "charge-nurse"), ack_users.end());
  for (const auto& u : ack_users) EXPECT_TRUE(has(text, u)) << u << "\n" << text;
  EXPECT_TRUE(has(text, state.patient())) << text;
  EXPECT_TRUE(has(text, "infusion start")) << "chart marks";
  EXPECT_TRUE(has(text, "sim-nurse")) << "nurse actions";

  // The CSV says the same.
  const std::string csv = dir.file("chair2.csv");
  auto made_csv =
      run_command({bin("vigilctl"), "report", "--db", db, "--session", session, "--out", csv}, 60s);
  ASSERT_EQ(made_csv.exit_code, 0) << made_csv.err;
  const std::string rows = read_file(csv);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(rows, m, std::regex(R"(\npeak,[^,]*,SBP,([0-9.]+),mmHg)")))
      << rows.substr(0, 3000);
  EXPECT_EQ(std::to_string(static_cast<int>(std::lround(std::stod(m[1])))), peak_sys);
  std::size_t alert_rows = 0;
  for (std::size_t at = rows.find("\r\nalert,"); at != std::string::npos;
       at = rows.find("\r\nalert,", at + 1))
    ++alert_rows;
  EXPECT_EQ(std::to_string(alert_rows), alerts);
  EXPECT_TRUE(has(rows, "charge-nurse"));

  // The PNG straight from cairo: A4 pages at 100 dpi.
  const std::string png = dir.file("chair2.png");
  auto made_png =
      run_command({bin("vigilctl"), "report", "--db", db, "--bed", "CHAIR2", "--latest", "--out", png}, 60s);
  ASSERT_EQ(made_png.exit_code, 0) << made_png.err;
  EXPECT_EQ(png_size(png).first, 827u);
  EXPECT_GE(png_size(png).second, 1169u);
  if (const char* keep = std::getenv("VIGIL_REPORT_KEEP")) {  // for looking at the output by hand
    run_command({"/bin/cp", pdf, png, csv, page1, db, keep}, 10s);
  }
}

TEST(ReportSystem, ClearErrors) {
  TempDir dir;
  const std::string db = dir.file("vigil.db");
  {
    Vigild vigild(db);
    ASSERT_EQ(vigild.stop(), 0);
  }
  auto r = run_command(
      {bin("vigilctl"), "report", "--db", db, "--bed", "CHAIR1", "--latest", "--out", dir.file("x.docx")},
      30s);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(has(r.err, "unknown extension")) << r.err;
  r = run_command({bin("vigilctl"), "report", "--db", db, "--bed", "CHAIR1", "--out", dir.file("x.pdf")},
                  30s);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(has(r.err, "--latest")) << r.err;
  r = run_command(
      {bin("vigilctl"), "report", "--db", db, "--session", "CHAIR1-123", "--out", dir.file("x.pdf")}, 30s);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(has(r.err, "no session CHAIR1-123")) << r.err;
  r = run_command({bin("vigilctl"), "report", "--db", dir.file("none.db"), "--bed", "CHAIR1", "--latest",
                   "--out", dir.file("x.pdf")},
                  30s);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_TRUE(has(r.err, "cannot read database")) << r.err;
  EXPECT_NE(::access(dir.file("x.pdf").c_str(), F_OK), 0) << "no file for a failed report";
}

}  // namespace
}  // namespace vigil::test
