// The text rendering of `vigilctl timeline`: header, one line per item, NIBP parts grouped,
// continuous kinds thinned, and the jsonl shapes.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>

#include "log_test_support.hpp"
#include "store/timeline_text.hpp"
#include "store_test_support.hpp"

namespace vigil::store {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::make_alert;
using testing::make_reading;
using testing::make_session_event;

using testing::kT0;

StoredReading stored(VitalKind kind, double value, WallMillis at, bool verified = true) {
  static std::uint64_t next_id = 1;
  StoredReading r;
  r.id = next_id++;
  r.reading = make_reading("CHAIR3", kind, value, at);
  r.context = ReadingContext{verified, proto::infusion, 126, 80, "S-1"};
  return r;
}

// Feeds readings through a renderer and returns every line it printed.
std::vector<std::string> render(const std::vector<StoredReading>& rows) {
  TimelineTextRenderer renderer;
  std::vector<std::string> out;
  for (const StoredReading& r : rows) {
    TimelineItem item;
    item.kind = TimelineItem::Kind::Reading;
    item.at_ms = r.reading.measured_at_ms;
    item.reading = &r;
    for (auto& l : renderer.add(item)) out.push_back(l);
  }
  for (auto& l : renderer.finish()) out.push_back(l);
  return out;
}

TEST(TimelineText, SessionLine) {
  auto e = make_session_event("CHAIR3", "S-1", "infusion_started", "infusion", kT0);
  EXPECT_EQ(session_event_text(e), "infusion_started by nurse1 (phase infusion)");
  e.set_user("");
  EXPECT_EQ(session_event_text(e), "infusion_started (phase infusion)");
}

TEST(TimelineText, AlertLine) {
  auto a = make_alert("CHAIR3-P2-1", "CHAIR3", "ACTIVE", "raised", kT0);
  EXPECT_EQ(alert_text(a), "P2 MEDIUM ACTIVE raised: SBP 184 >= 180 (limit 180, baseline 126)");
  a.set_transition(proto::acknowledged);
  a.set_state(proto::ACKNOWLEDGED);
  a.set_user("nurse2");
  a.clear_baseline();
  EXPECT_EQ(alert_text(a), "P2 MEDIUM ACKNOWLEDGED acknowledged by nurse2: SBP 184 >= 180 (limit 180)");
  a.clear_limit();
  EXPECT_EQ(alert_text(a), "P2 MEDIUM ACKNOWLEDGED acknowledged by nurse2: SBP 184 >= 180");
}

TEST(TimelineText, ItemsArePrefixedWithTimeAndAlignedType) {
  TimelineTextRenderer renderer;
  auto e = make_session_event("CHAIR3", "S-1", "infusion_started", "infusion", kT0);
  TimelineItem item;
  item.kind = TimelineItem::Kind::Session;
  item.at_ms = kT0;
  item.session_event = &e;
  EXPECT_THAT(renderer.add(item),
              ElementsAre("2025-11-21T10:15:00Z  session   infusion_started by nurse1 (phase infusion)"));
  auto a = make_alert("CHAIR3-P2-1", "CHAIR3", "ACTIVE", "raised", kT0 + 500);
  TimelineItem alert;
  alert.kind = TimelineItem::Kind::Alert;
  alert.at_ms = kT0 + 500;
  alert.alert = &a;
  EXPECT_THAT(renderer.add(alert),
              ElementsAre("2025-11-21T10:15:00.500Z  alert     P2 MEDIUM ACTIVE raised: SBP 184 "
                          ">= 180 (limit 180, baseline 126)"));
  EXPECT_TRUE(renderer.finish().empty());
}

TEST(TimelineText, NibpPartsOfOneMeasurementMakeOneLine) {
  auto lines = render({stored(VitalKind::NibpSys, 168, kT0, false),
                       stored(VitalKind::HeartRate, 80, kT0),  // same time, between the parts
                       stored(VitalKind::NibpDia, 104, kT0), stored(VitalKind::NibpMean, 125, kT0),
                       stored(VitalKind::NibpSys, 150, kT0 + 300'000)});
  EXPECT_THAT(lines, ElementsAre("2025-11-21T10:15:00Z  reading   HR 80 /min",
                                 "2025-11-21T10:15:00Z  reading   NIBP 168/104 (125) unverified",
                                 "2025-11-21T10:20:00Z  reading   NIBP 150/--"));
}

TEST(TimelineText, InvalidNibpSaysSo) {
  StoredReading sys = stored(VitalKind::NibpSys, 90, kT0);
  sys.reading.valid = false;
  sys.reading.status = "X";
  auto lines = render({sys, stored(VitalKind::NibpDia, 60, kT0)});
  EXPECT_THAT(lines, ElementsAre("2025-11-21T10:15:00Z  reading   NIBP 90/60 invalid (status X)"));
}

// A withdrawal and a late reading say what they are, not merely "invalid" or "unverified".
TEST(TimelineText, WithdrawnAndLateReadingsSaySo) {
  std::vector<StoredReading> rows;
  for (VitalKind kind : {VitalKind::NibpSys, VitalKind::NibpDia}) {
    // A withdrawal that sent its SYS and no DIA, its status padded as some monitors send it.
    StoredReading r = stored(kind, kind == VitalKind::NibpSys ? 196 : std::nan(""), kT0, false);
    r.reading.valid = false;
    r.reading.status = " W ";
    rows.push_back(r);
  }
  StoredReading late = stored(VitalKind::HeartRate, 88, kT0 + 60'000, false);
  late.context->late = true;
  rows.push_back(late);
  EXPECT_THAT(render(rows),
              ElementsAre("2025-11-21T10:15:00Z  reading   NIBP 196/-- withdrawn by the device (status W)",
                          "2025-11-21T10:16:00Z  reading   HR 88 /min late (an old result sent again)"));
}

TEST(TimelineText, ContinuousKindsAreThinned) {
  auto lines = render({
      stored(VitalKind::HeartRate, 80, kT0),             // first: printed
      stored(VitalKind::HeartRate, 82, kT0 + 5'000),     // small change: skipped
      stored(VitalKind::SpO2, 97, kT0 + 6'000),          // first SpO2: printed
      stored(VitalKind::HeartRate, 86, kT0 + 10'000),    // 6 from the printed 80: printed
      stored(VitalKind::HeartRate, 84, kT0 + 20'000),    // skipped
      stored(VitalKind::HeartRate, 83, kT0 + 70'000),    // a minute after the last print
      stored(VitalKind::SpO2, 96, kT0 + 71'000, false),  // unverified: always printed
  });
  EXPECT_THAT(
      lines,
      ElementsAre("2025-11-21T10:15:00Z  reading   HR 80 /min", "2025-11-21T10:15:06Z  reading   SPO2 97 %",
                  "2025-11-21T10:15:10Z  reading   HR 86 /min", "2025-11-21T10:16:10Z  reading   HR 83 /min",
                  "2025-11-21T10:16:11Z  reading   SPO2 96 % unverified"));
}

TEST(TimelineText, HeaderShowsTheSession) {
  TimelineSession s;
  s.info = make_session_event("CHAIR3", "S-1", "begun", "infusion", kT0).session();
  s.info.mutable_baseline()->set_source(proto::computed);
  s.info.mutable_baseline()->set_sys_mmhg(126);
  s.info.mutable_baseline()->set_dia_mmhg(80);
  s.info.mutable_baseline()->set_nibp_readings_used(2);
  s.from_ms = kT0;
  EXPECT_THAT(timeline_header(s),
              ElementsAre("Session:  S-1", "Chair:    CHAIR3", "Patient:  Patient 7", "Profile:  default",
                          "Planned:  50 min", "Baseline: 126/80 mmHg (computed, 2 NIBP readings)",
                          "Phase:    infusion (open since 2025-11-21T10:15:00Z)"));
  s.until_ms = kT0 + 3'600'000;
  s.info.set_phase(proto::closed);
  s.info.clear_baseline();
  auto lines = timeline_header(s);
  EXPECT_EQ(lines[5], "Baseline: none");
  EXPECT_EQ(lines[6], "Phase:    closed (2025-11-21T10:15:00Z to 2025-11-21T11:15:00Z)");
}

TEST(TimelineJsonl, EachItemUsesItsLineShape) {
  auto e = make_session_event("CHAIR3", "S-1", "begun", "setup", kT0);
  TimelineItem item;
  item.kind = TimelineItem::Kind::Session;
  item.session_event = &e;
  EXPECT_THAT(timeline_jsonl(item),
              ::testing::StartsWith(R"({"type":"session","event":"begun","bed":"CHAIR3",)"
                                    R"("session_id":"S-1","phase":"setup","user":"nurse1",)"));
  StoredReading r = stored(VitalKind::HeartRate, 72, kT0);
  TimelineItem reading;
  reading.kind = TimelineItem::Kind::Reading;
  reading.reading = &r;
  EXPECT_THAT(timeline_jsonl(reading), ::testing::StartsWith(R"({"type":"reading",)"));
  EXPECT_THAT(timeline_jsonl(reading), HasSubstr(R"("phase":"infusion","verified":true})"));
  auto a = make_alert("CHAIR3-P2-1", "CHAIR3", "ACTIVE", "raised", kT0);
  TimelineItem alert;
  alert.kind = TimelineItem::Kind::Alert;
  alert.alert = &a;
  EXPECT_THAT(timeline_jsonl(alert), ::testing::StartsWith(R"({"type":"alert","id":"CHAIR3-P2-1",)"));
}

}  // namespace
}  // namespace vigil::store
