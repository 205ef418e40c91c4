// find_session and for_each_timeline_item: which session, which window, and the merge order
// of session events, readings and alert transitions.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "log_test_support.hpp"
#include "store/store.hpp"
#include "store/timeline.hpp"
#include "store_test_support.hpp"

namespace vigil::store {
namespace {

using ::testing::ElementsAre;
using testing::make_alert;
using testing::make_reading;
using testing::make_session_event;
using testing::submit_and_wait;
using testing::TempDir;

using testing::kMin;
using testing::kT0;

// "<kind>@<minutes from kT0>:<what>" for each item, so the order reads at a glance.
std::vector<std::string> describe(const std::string& path, const std::string& bed,
                                  const TimelineSession& session) {
  std::vector<std::string> out;
  for_each_timeline_item(path, bed, session, [&](const TimelineItem& item) {
    std::string what;
    switch (item.kind) {
      case TimelineItem::Kind::Session: what = "S:" + word(item.session_event->event()); break;
      case TimelineItem::Kind::Reading:
        what = "R:" + std::string(to_string(item.reading->reading.kind));
        break;
      case TimelineItem::Kind::Alert: what = "A:" + word(item.alert->transition()); break;
    }
    out.push_back(std::to_string((item.at_ms - kT0) / kMin) + ":" + what);
  });
  return out;
}

class Timeline : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = dir_.file("vigil.db");
    Store store({path_});
    WriteBatch first;  // session S-1 on CHAIR3, minutes 0..10, closed
    first.sessions = {make_session_event("CHAIR3", "S-1", "begun", "setup", kT0),
                      make_session_event("CHAIR3", "S-1", "ended", "closed", kT0 + 10 * kMin)};
    first.sessions[1].mutable_session()->set_ended_at_ms(kT0 + 10 * kMin);
    first.readings = {make_reading("CHAIR3", VitalKind::HeartRate, 70, kT0 + 5 * kMin),
                      make_reading("CHAIR4", VitalKind::HeartRate, 90, kT0 + 5 * kMin)};
    ASSERT_TRUE(submit_and_wait(store, first).ok);
    WriteBatch second;  // S-2 on CHAIR3 from minute 20, still open; logged out of time order
    second.readings = {make_reading("CHAIR3", VitalKind::NibpSys, 184, kT0 + 30 * kMin),
                       make_reading("CHAIR3", VitalKind::SpO2, 97, kT0 + 15 * kMin),
                       make_reading("CHAIR3", VitalKind::HeartRate, 75, kT0 + 25 * kMin)};
    second.alerts = {make_alert("CHAIR3-P2-1", "CHAIR3", "ACTIVE", "raised", kT0 + 30 * kMin),
                     make_alert("CHAIR4-P2-2", "CHAIR4", "ACTIVE", "raised", kT0 + 30 * kMin)};
    second.sessions = {make_session_event("CHAIR3", "S-2", "infusion_started", "infusion", kT0 + 30 * kMin),
                       make_session_event("CHAIR3", "S-2", "begun", "setup", kT0 + 20 * kMin)};
    second.sessions[0].mutable_session()->set_begun_at_ms(kT0 + 20 * kMin);
    ASSERT_TRUE(submit_and_wait(store, second).ok);
  }
  TempDir dir_;
  std::string path_;
};

TEST_F(Timeline, DefaultIsTheLatestSessionOfTheBed) {
  auto s = find_session(path_, "CHAIR3", std::nullopt);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->info.session_id(), "S-2");
  // The last logged row is "begun" (logged second), whose state says setup.
  EXPECT_EQ(s->info.phase(), proto::setup);
  EXPECT_EQ(s->from_ms, kT0 + 20 * kMin);
  EXPECT_FALSE(s->until_ms.has_value());
  EXPECT_FALSE(find_session(path_, "CHAIR9", std::nullopt).has_value());
  EXPECT_FALSE(find_session(path_, "CHAIR3", std::string("S-9")).has_value());
  EXPECT_FALSE(find_session(path_, "CHAIR4", std::string("S-1")).has_value());
}

TEST_F(Timeline, OpenSessionMergesInTimeOrderWithSessionsFirstAndAlertsLast) {
  auto s = find_session(path_, "CHAIR3", std::nullopt);
  ASSERT_TRUE(s.has_value());
  EXPECT_THAT(describe(path_, "CHAIR3", *s),
              ElementsAre("20:S:begun", "25:R:HR", "30:S:infusion_started", "30:R:NIBP_SYS", "30:A:raised"));
}

TEST_F(Timeline, ClosedSessionWindowEndsAtItsClose) {
  auto s = find_session(path_, "CHAIR3", std::string("S-1"));
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->info.phase(), proto::closed);
  EXPECT_EQ(s->from_ms, kT0);
  ASSERT_TRUE(s->until_ms.has_value());
  EXPECT_EQ(*s->until_ms, kT0 + 10 * kMin);
  EXPECT_THAT(describe(path_, "CHAIR3", *s), ElementsAre("0:S:begun", "5:R:HR", "10:S:ended"));
}

TEST_F(Timeline, MissingDatabaseThrows) {
  EXPECT_THROW(find_session(dir_.file("nope.db"), "CHAIR3", std::nullopt), StoreError);
}

}  // namespace
}  // namespace vigil::store
