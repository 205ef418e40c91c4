// One ward model, two faces: what `vigilctl board` prints is the snapshot the dashboard
// draws (daemon time, link loss, ended sessions, ages, bounds), and the NIBP cycle that greys
// a value is the chair's profile's, as the daemon streams it (what a value's cell says:
// ward_values_test.cpp). Fake clock throughout.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "client/ward_model.hpp"
#include "common/wall_time.hpp"
#include "ctl/board.hpp"
#include "support/ward_feed.hpp"

namespace vigil::client {
namespace {

using test::board_row;
using test::chair_of;
using test::kMin;
using test::kT0;

proto::BedState chair(const std::string& name, proto::Phase phase, std::int64_t nibp_at) {
  return test::chair_with_nibp(name, phase, nibp_at);
}

proto::SessionInfo session(const std::string& bed, proto::Phase phase, std::int64_t begun) {
  proto::SessionInfo s;
  s.set_session_id(bed + "-1");
  s.set_bed(bed);
  s.set_patient("PT-" + bed);
  s.set_profile("default");
  s.set_phase(phase);
  s.set_begun_at_ms(begun);
  s.set_snapshot_at_ms(begun);
  return s;
}

proto::NibpSchedule schedule(int infusion_min, int early_min, int span_min, int late_min) {
  proto::NibpSchedule n;
  n.set_infusion_cycle_s(infusion_min * 60.0);
  n.set_recovery_early_cycle_s(early_min * 60.0);
  n.set_recovery_early_span_s(span_min * 60.0);
  n.set_recovery_late_cycle_s(late_min * 60.0);
  return n;
}

// Connected, with a snapshot of `beds` stated at daemon time `server_now` (local `now`).
using test::connect_with_snapshot;

TEST(WardFaces, BoardPrintsTheDashboardsAgesOnTheDaemonsClock) {
  WardModel model;
  // The daemon's clock is 10 s ahead of ours; its last NIBP arrived 30 s before its "now".
  connect_with_snapshot(model, {chair("CHAIR1", proto::infusion, kT0 + 10'000 - 30'000)}, kT0, kT0 + 10'000);
  const WardSnapshot s = model.snapshot(kT0 + 2'000);
  EXPECT_EQ(s.server_now_ms, kT0 + 12'000);
  const ChairView& c = chair_of(s, "CHAIR1");
  EXPECT_EQ(c.sys.age_ms, 32'000);
  EXPECT_EQ(c.sys.age_text, "32 s");
  const std::string table = ctl::render_board(s);
  EXPECT_NE(table.find("vigild time " + format_rfc3339(kT0 + 12'000)), std::string::npos) << table;
  const std::string row = board_row(table, "CHAIR1");
  EXPECT_NE(row.find("150/90"), std::string::npos) << table;
  // The same words as the dashboard's tile: one age text, not "32s" here and "32 s" there.
  EXPECT_NE(row.find("bp " + c.sys.age_text), std::string::npos) << table;
}

TEST(WardFaces, ALostLinkBlanksValuesAndAlertsOnTheBoardToo) {
  WardModel model;
  auto b = chair("CHAIR1", proto::infusion, kT0);
  proto::AlertEvent* a = b.add_active_alerts();
  a->set_id("CHAIR1-P1-1");
  a->set_bed("CHAIR1");
  a->set_rule(proto::P1);
  a->set_priority(proto::HIGH);
  a->set_state(proto::ACTIVE);
  a->set_kind(proto::physiological);
  a->set_message("SBP 186 >= 180");
  a->set_at_ms(kT0);
  a->set_onset_ms(kT0);
  connect_with_snapshot(model, {b}, kT0, kT0);
  std::string table = ctl::render_board(model.snapshot(kT0));
  EXPECT_NE(board_row(table, "CHAIR1").find("HIGH P1 SBP 186 >= 180 [ACTIVE]"), std::string::npos) << table;

  model.on_link(LinkView::Lost, "closed by server", kT0 + 100);
  const WardSnapshot s = model.snapshot(kT0 + 200);
  EXPECT_FALSE(chair_of(s, "CHAIR1").sys.value);
  EXPECT_TRUE(s.alerts.empty());
  table = ctl::render_board(s);
  const std::string row = board_row(table, "CHAIR1");
  EXPECT_EQ(row.find("150/90"), std::string::npos) << "an old value shown as current:\n" << table;
  EXPECT_EQ(row.find("P1"), std::string::npos) << table;
  EXPECT_NE(row.find("NO DATA"), std::string::npos) << table;
  EXPECT_NE(table.find("link lost (closed by server)"), std::string::npos) << table;
  EXPECT_NE(table.find("values and alerts unknown"), std::string::npos) << table;
}

TEST(WardFaces, AnEndedSessionLeavesBothFacesAtOnce) {
  WardModel model;
  auto b = chair("CHAIR1", proto::recovery, kT0);
  auto s = session("CHAIR1", proto::recovery, kT0 - 60 * kMin);
  s.set_infusion_started_at_ms(kT0 - 50 * kMin);
  s.set_infusion_stopped_at_ms(kT0 - 10 * kMin);
  *b.mutable_session() = s;
  connect_with_snapshot(model, {b}, kT0, kT0);
  WardSnapshot w = model.snapshot(kT0);
  EXPECT_TRUE(chair_of(w, "CHAIR1").has_session);
  EXPECT_NE(board_row(ctl::render_board(w), "CHAIR1").find("rec +10:00"), std::string::npos)
      << ctl::render_board(w);

  proto::ServerMessage ended;
  ended.mutable_session()->set_bed("CHAIR1");
  ended.mutable_session()->set_event(proto::ended);
  ended.mutable_session()->set_at_ms(kT0 + 1'000);
  s.set_phase(proto::closed);
  s.set_ended_at_ms(kT0 + 1'000);
  *ended.mutable_session()->mutable_session() = s;
  model.on_message(ended, kT0 + 1'000);
  w = model.snapshot(kT0 + 2'000);
  const ChairView& c = chair_of(w, "CHAIR1");
  EXPECT_FALSE(c.has_session);
  EXPECT_TRUE(c.patient.empty());
  EXPECT_FALSE(c.recovery_ms);
  EXPECT_EQ(c.phase, proto::closed);
  const std::string row = board_row(ctl::render_board(w), "CHAIR1");
  EXPECT_NE(row.find("closed"), std::string::npos) << row;
  EXPECT_EQ(row.find("rec +"), std::string::npos) << row;
}

TEST(WardFaces, TheNibpCycleIsTheProfilesAsTheDaemonSendsIt) {
  // A profile with a 10-minute infusion cycle: a 7-minute-old value is current.
  WardModel model;
  auto slow = chair("CHAIR1", proto::infusion, kT0);
  *slow.mutable_nibp() = schedule(10, 10, 30, 15);
  // Without a cadence from the daemon: the shortest in use, 5 min.
  auto unknown = chair("CHAIR2", proto::infusion, kT0);
  connect_with_snapshot(model, {slow, unknown}, kT0, kT0);
  WardSnapshot w = model.snapshot(kT0 + 7 * kMin);
  EXPECT_EQ(chair_of(w, "CHAIR1").sys.freshness, Freshness::Fresh);
  EXPECT_EQ(*chair_of(w, "CHAIR1").next_nibp_in_ms, 3 * kMin);
  EXPECT_EQ(chair_of(w, "CHAIR2").sys.freshness, Freshness::Stale);

  // A session event brings the cadence of the session's profile: 3 minutes.
  proto::ServerMessage begun;
  begun.mutable_session()->set_bed("CHAIR1");
  begun.mutable_session()->set_event(proto::begun);
  begun.mutable_session()->set_at_ms(kT0 + 7 * kMin);
  *begun.mutable_session()->mutable_session() = session("CHAIR1", proto::infusion, kT0 + 7 * kMin);
  *begun.mutable_session()->mutable_nibp() = schedule(3, 5, 30, 15);
  model.on_message(begun, kT0 + 7 * kMin);
  w = model.snapshot(kT0 + 7 * kMin);
  EXPECT_EQ(chair_of(w, "CHAIR1").sys.freshness, Freshness::Stale);
}

TEST(WardFaces, RecoveryUsesTheEarlyCycleThenTheLateOne) {
  const NibpCycles cycles{3 * kMin, 5 * kMin, 20 * kMin, 12 * kMin};
  EXPECT_EQ(expected_cycle_ms(proto::NIBP_SYS, proto::infusion, cycles, std::nullopt), 3 * kMin);
  EXPECT_EQ(expected_cycle_ms(proto::NIBP_SYS, proto::baseline, cycles, std::nullopt), 3 * kMin);
  EXPECT_EQ(expected_cycle_ms(proto::NIBP_DIA, proto::recovery, cycles, 19 * kMin), 5 * kMin);
  EXPECT_EQ(expected_cycle_ms(proto::NIBP_DIA, proto::recovery, cycles, 20 * kMin), 12 * kMin);
  EXPECT_EQ(expected_cycle_ms(proto::NIBP_MEAN, proto::monitoring, cycles, std::nullopt), 12 * kMin);
  EXPECT_EQ(expected_cycle_ms(proto::NIBP_SYS, proto::infusion, std::nullopt, std::nullopt), 5 * kMin);
  EXPECT_EQ(expected_cycle_ms(proto::HR, proto::infusion, cycles, std::nullopt), kMin);
}

// An HL7 monitor reports no link state: its silence shows as T1, 15 s in. The board's LINK
// said "data ok" (the newest value was under a minute old) beside "No data from MON".
TEST(WardFaces, TheBoardsLinkSaysNoDataWhileT1IsActive) {
  WardModel model;
  proto::BedState b = chair("CHAIR1", proto::infusion, kT0 - 20'000);
  proto::AlertEvent* t1 = b.add_active_alerts();
  t1->set_id("CHAIR1-T1-4");
  t1->set_bed("CHAIR1");
  t1->set_rule(proto::T1);
  t1->set_priority(proto::MEDIUM);
  t1->set_state(proto::ACKNOWLEDGED);  // acknowledged, the monitor still sends nothing
  t1->set_kind(proto::technical);
  t1->set_subject("MON");
  t1->set_message("No data from MON for 20 s (> 15 s)");
  t1->set_at_ms(kT0);
  connect_with_snapshot(model, {b, chair("CHAIR2", proto::infusion, kT0 - 20'000)}, kT0, kT0);
  const WardSnapshot w = model.snapshot(kT0);
  EXPECT_EQ(chair_of(w, "CHAIR1").silent_monitors, std::vector<std::string>{"MON"});
  std::string table = ctl::render_board(w);
  EXPECT_NE(board_row(table, "CHAIR1").find("no data from MON"), std::string::npos) << table;
  EXPECT_EQ(board_row(table, "CHAIR1").find("data ok"), std::string::npos) << table;
  EXPECT_NE(board_row(table, "CHAIR2").find("data ok"), std::string::npos) << table;

  // The monitor sends again: T1 ends, and so does the board's no data.
  proto::ServerMessage resolved;
  *resolved.mutable_alert() = *t1;
  resolved.mutable_alert()->set_state(proto::RESOLVED);
  resolved.mutable_alert()->set_at_ms(kT0 + 1'000);
  model.on_message(resolved, kT0 + 1'000);
  table = ctl::render_board(model.snapshot(kT0 + 1'000));
  EXPECT_NE(board_row(table, "CHAIR1").find("data ok"), std::string::npos) << table;
  EXPECT_EQ(board_row(table, "CHAIR1").find("no data"), std::string::npos) << table;
}

// A T1 restored after a restart stays until a nurse acknowledges it (docs/alarms.md), but its
// monitor may be sending again: the LINK said "no data from RSMON" beside values arriving now.
TEST(WardFaces, ARestoredT1DoesNotCallASendingMonitorSilent) {
  WardModel model;
  proto::BedState b = chair("CHAIR1", proto::infusion, kT0 - 60'000);
  proto::AlertEvent* t1 = b.add_active_alerts();
  t1->set_id("CHAIR1-T1-122");
  t1->set_bed("CHAIR1");
  t1->set_rule(proto::T1);
  t1->set_priority(proto::MEDIUM);
  t1->set_state(proto::ACTIVE);
  t1->set_kind(proto::technical);
  t1->set_subject("RSMON");
  t1->set_message("No data from RSMON for 20 s (> 15 s)");
  t1->set_onset_ms(kT0 - 30'000);
  t1->set_at_ms(kT0 - 30'000);
  connect_with_snapshot(model, {b}, kT0, kT0);
  EXPECT_EQ(chair_of(model.snapshot(kT0), "CHAIR1").silent_monitors, std::vector<std::string>{"RSMON"});
  proto::ServerMessage hr = test::reading_message("CHAIR1", proto::HR, 80, kT0 + 2'000);
  hr.mutable_reading()->set_source("OTHER");
  model.on_message(hr, kT0 + 2'000);
  EXPECT_EQ(chair_of(model.snapshot(kT0 + 2'000), "CHAIR1").silent_monitors,
            std::vector<std::string>{"RSMON"})
      << "another device's data says nothing of RSMON";
  hr.mutable_reading()->set_source("RSMON");
  model.on_message(hr, kT0 + 3'000);
  const WardSnapshot w = model.snapshot(kT0 + 3'000);
  EXPECT_TRUE(chair_of(w, "CHAIR1").silent_monitors.empty());
  ASSERT_EQ(chair_of(w, "CHAIR1").alerts.size(), 1u) << "the alarm itself waits for its acknowledgment";
  const std::string table = ctl::render_board(w);
  EXPECT_EQ(board_row(table, "CHAIR1").find("no data from RSMON"), std::string::npos) << table;
}

TEST(WardFaces, ChairsBeyondTheBoundAreCountedOnTheBoard) {
  WardModel model;
  std::vector<proto::BedState> beds;
  for (std::size_t i = 1; i <= WardModel::kMaxChairs + 2; ++i)
    beds.push_back(chair("CHAIR" + std::to_string(i), proto::monitoring, kT0));
  connect_with_snapshot(model, beds, kT0, kT0);
  const WardSnapshot w = model.snapshot(kT0);
  EXPECT_EQ(w.chairs.size(), WardModel::kMaxChairs);
  EXPECT_EQ(w.dropped, 2u);
  const std::string table = ctl::render_board(w);
  EXPECT_NE(table.find("NOT SHOWN: 2"), std::string::npos) << table.substr(0, 300);
  // Natural order on both faces.
  EXPECT_LT(table.find("\nCHAIR2 "), table.find("\nCHAIR10 "));
}

// Chair names tell chairs apart: the board's chair column fits the longest name, every cell
// ends in a space, and a name past the column's 32 characters is cut with "…". Before, the
// column was 9 wide with no gap: "CHAIR1970monitoring", and FAUTEUIL-é / FAUTEUIL-è both
// showed as "FAUTEUIL-".
TEST(WardFaces, BoardShowsWholeChairNamesAndNeverRunsCellsTogether) {
  WardModel model;
  const std::string long_name(40, 'L');
  connect_with_snapshot(
      model,
      {chair("CHAIR1970", proto::monitoring, kT0), chair("FAUTEUIL-\xC3\xA9", proto::monitoring, kT0),
       chair("FAUTEUIL-\xC3\xA8", proto::monitoring, kT0), chair(long_name, proto::monitoring, kT0)},
      kT0, kT0);
  const std::string table = ctl::render_board(model.snapshot(kT0));
  EXPECT_NE(board_row(table, "CHAIR1970"), "") << table;
  EXPECT_NE(board_row(table, "FAUTEUIL-\xC3\xA9"), "") << table;
  EXPECT_NE(board_row(table, "FAUTEUIL-\xC3\xA8"), "") << table;
  EXPECT_NE(table.find("\n" + std::string(31, 'L') + "\xE2\x80\xA6 monitoring"), std::string::npos) << table;
  // The rows' phase cells start in one column: the header's PHASE.
  const std::size_t phase_at = table.find("PHASE") - table.rfind('\n', table.find("PHASE")) - 1;
  EXPECT_EQ(board_row(table, "CHAIR1970").find("monitoring"), phase_at) << table;
}

}  // namespace
}  // namespace vigil::client
