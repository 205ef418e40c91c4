// A database written by a vigild of the text era (schema 5: rule, priority, state, phase ...
// stored as words, session states as SessionInfo blobs with text fields) reads exactly as
// that era's vigilctl printed it, before and after this build's writer migrates it.
//
// tests/data/golden/v5-database/ holds the file (a recorded hypertensive-responder session;
// README.md there says how it was made) and what `vigilctl alerts`, `timeline` and
// `readings` of that era printed from it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "store/alert_export.hpp"
#include "store/log_queries.hpp"
#include "store/reading_export.hpp"
#include "store/reading_queries.hpp"
#include "store/schema.hpp"
#include "store/sqlite_handle.hpp"
#include "store/store.hpp"
#include "store/timeline.hpp"
#include "store/timeline_text.hpp"
#include "store_test_support.hpp"
#include "support/file_text.hpp"

namespace vigil::store {
namespace {

const std::string kDir = std::string(VIGIL_TEST_DATA_DIR) + "/golden/v5-database/";

using test::read_file;

std::string lines(const std::vector<std::string>& v) {
  std::string out;
  for (const std::string& l : v) out += l + "\n";
  return out;
}

// What the era's vigilctl commands print, printed by this build from `db`.
struct Printed {
  std::string alerts_jsonl, alerts_csv, timeline_txt, timeline_jsonl, readings_jsonl;
};

Printed print(const std::string& db) {
  Printed p;
  std::vector<std::string> jsonl, csv{alert_csv_header()};
  for_each_alert(db, AlertFilter{}, [&](const proto::AlertEvent& a) {
    jsonl.push_back(alert_jsonl_row(a));
    csv.push_back(alert_csv_row(a));
  });
  p.alerts_jsonl = lines(jsonl);
  p.alerts_csv = lines(csv);
  auto session = find_session(db, "CHAIR2", std::nullopt);
  if (!session) return p;
  std::vector<std::string> text = timeline_header(*session), json;
  TimelineTextRenderer renderer;
  for_each_timeline_item(db, "CHAIR2", *session, [&](const TimelineItem& item) {
    for (std::string& l : renderer.add(item)) text.push_back(std::move(l));
    json.push_back(timeline_jsonl(item));
  });
  for (std::string& l : renderer.finish()) text.push_back(std::move(l));
  p.timeline_txt = lines(text);
  p.timeline_jsonl = lines(json);
  ReadingFilter rf;
  rf.bed = "CHAIR2";
  std::vector<std::string> readings;
  for_each_reading(db, rf, [&](const StoredReading& r) { readings.push_back(jsonl_row(r)); });
  p.readings_jsonl = lines(readings);
  return p;
}

void expect_as_printed_then(const Printed& p) {
  EXPECT_EQ(p.alerts_jsonl, read_file(kDir + "alerts.jsonl"));
  EXPECT_EQ(p.alerts_csv, read_file(kDir + "alerts.csv"));
  EXPECT_EQ(p.timeline_txt, read_file(kDir + "timeline.txt"));
  EXPECT_EQ(p.timeline_jsonl, read_file(kDir + "timeline.jsonl"));
  EXPECT_EQ(p.readings_jsonl, read_file(kDir + "readings.jsonl"));
}

class TextEraDatabase : public ::testing::Test {
 protected:
  void SetUp() override {
    db_ = dir_.file("vigil.db");
    std::filesystem::copy_file(kDir + "vigil.db", db_);
  }
  testing::TempDir dir_;
  std::string db_;
};

TEST_F(TextEraDatabase, ReadsAsItsOwnVigilctlPrintedIt) {
  {
    sqlite::Connection c(db_, SQLITE_OPEN_READONLY);
    ASSERT_EQ(c.query_int("PRAGMA user_version"), 5);  // the test's own premise
  }
  expect_as_printed_then(print(db_));
}

TEST_F(TextEraDatabase, MigratedByTheWriterItStillReadsTheSameAndRestoresTyped) {
  std::vector<proto::AlertEvent> open;
  {
    Store store({db_});
    open = store.unresolved_alerts();
  }
  sqlite::Connection c(db_, SQLITE_OPEN_READONLY);
  EXPECT_EQ(c.query_int("PRAGMA user_version"), kSchemaVersion);
  EXPECT_EQ(c.query_int("SELECT COUNT(*) FROM alert_log WHERE metric IS NOT NULL OR direction IS NOT NULL"),
            0);
  expect_as_printed_then(print(db_));

  // The session ended with P1 and P2 latched: restored as values, not words.
  ASSERT_EQ(open.size(), 2u);
  for (const proto::AlertEvent& a : open) {
    EXPECT_EQ(a.state(), proto::LATCHED) << a.id();
    EXPECT_EQ(a.priority(), proto::HIGH) << a.id();
    EXPECT_EQ(a.kind(), proto::physiological) << a.id();
    EXPECT_EQ(a.metric(), proto::VITAL_KIND_UNSPECIFIED) << "not recorded in that era";
  }
  // Every session event's state blob came back with its phase, baseline source and actions.
  int events = 0;
  for_each_session_event(db_, SessionFilter{}, [&](const proto::SessionEvent& e) {
    ++events;
    EXPECT_NE(e.event(), proto::SESSION_EVENT_UNSET);
    EXPECT_NE(e.session().phase(), proto::PHASE_UNSET);
    EXPECT_NE(e.session().baseline().source(), proto::BASELINE_SOURCE_UNSET);
    for (const auto& a : e.session().actions()) EXPECT_NE(a.action(), proto::SESSION_ACTION_UNSET);
    if (e.event() == proto::ended) {
      EXPECT_EQ(e.session().phase(), proto::closed);
      EXPECT_EQ(e.session().baseline().source(), proto::computed);
      ASSERT_EQ(e.session().actions_size(), 4);
      EXPECT_EQ(e.session().actions(1).action(), proto::start_infusion);
    }
  });
  EXPECT_EQ(events, 7);
}

}  // namespace
}  // namespace vigil::store
