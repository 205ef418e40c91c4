// What a value's cell says, on both faces of the one ward model (the dashboard's snapshot and
// `vigilctl board`): a doubted value marked "?", an old one marked "old" with its age, the
// pulse rate where the engine judges it as HR, an old result sent again never current, values rounded as
// the engine judges them, a missing DIA blank. Fake clock throughout.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <tuple>
#include <vector>

#include "client/ward_model.hpp"
#include "ctl/board.hpp"
#include "support/ward_feed.hpp"

namespace vigil::client {
namespace {

using test::board_column;
using test::board_row;
using test::chair_of;
using test::chair_with_nibp;
using test::connect_with_snapshot;
using test::kMin;
using test::kT0;
using test::reading_message;
using test::withdrawal_message;

TEST(WardFaces, TheBoardMarksAValueTheRulesDidNotBelieve) {
  WardModel model;
  proto::BedState state = chair_with_nibp("CHAIR1", proto::infusion, kT0 - 30'000);
  for (auto& r : *state.mutable_latest()) {
    r.set_value(150);  // SBP 150, DBP 150: implausible
    r.set_verified(false);
  }
  connect_with_snapshot(model, {state}, kT0, kT0);
  const std::string row = board_row(ctl::render_board(model.snapshot(kT0)), "CHAIR1");
  EXPECT_NE(row.find("150?/150?"), std::string::npos) << row;
}

// The dashboard greys a value older than its cycle and says "5 min ago"; the board printed
// the same number exactly like a current one.
TEST(WardFaces, TheBoardMarksAnOldValueAndSaysHowOld) {
  WardModel model;
  // No cycles from the daemon: an NIBP is old after 5 min, HR after 1 min.
  proto::BedState old_chair = chair_with_nibp("CHAIR1", proto::infusion, kT0 - 7 * kMin);
  proto::Reading* hr = old_chair.add_latest();
  hr->set_bed("CHAIR1");
  hr->set_kind(proto::HR);
  hr->set_value(72);
  hr->set_received_at_ms(kT0 - 2 * kMin);
  hr->set_valid(true);
  proto::BedState fresh_chair = chair_with_nibp("CHAIR2", proto::infusion, kT0 - 30'000);
  connect_with_snapshot(model, {old_chair, fresh_chair}, kT0, kT0);
  const WardSnapshot w = model.snapshot(kT0);
  ASSERT_EQ(chair_of(w, "CHAIR1").sys.freshness, Freshness::Stale);
  ASSERT_EQ(chair_of(w, "CHAIR1").hr.freshness, Freshness::Stale);
  const std::string table = ctl::render_board(w);
  const std::string old_row = board_row(table, "CHAIR1");
  EXPECT_NE(old_row.find("old 150/90"), std::string::npos) << table;
  EXPECT_NE(old_row.find("old 72"), std::string::npos) << table;
  EXPECT_NE(old_row.find("bp 7 min ago"), std::string::npos) << table;
  EXPECT_NE(old_row.find("hr 2 min ago"), std::string::npos) << table;
  // Every number of the row carries the mark: none reads as current.
  EXPECT_EQ(old_row.find(" 150/90"), old_row.find("old 150/90") + 3) << table;
  EXPECT_EQ(old_row.find(" 72 "), old_row.find("old 72") + 3) << table;
  const std::string fresh_row = board_row(table, "CHAIR2");
  EXPECT_NE(fresh_row.find("150/90"), std::string::npos) << table;
  EXPECT_EQ(fresh_row.find("old"), std::string::npos) << table;
  EXPECT_EQ(fresh_row.find("ago"), std::string::npos) << table;
  // The columns stay aligned with the mark: the HR cell starts under the header's HR.
  const std::size_t hr_at = board_column(table, " HR ");
  EXPECT_EQ(old_row.find("old 72"), hr_at) << table;
}

// A monitor without ECG (a spot-check cuff, many oximeters) sends its heart rate as pulse
// rate; the engine judges P6/P7 on it when no ECG HR is coming, but both faces read HR only:
// the HR cell said "-" beside "HR 140 >= 130". The HR cell is the ECG HR when fresh, else
// the pulse rate when there is one (marked "PR"), else the HR when it is the newer of two old.
TEST(WardFaces, BothFacesShowThePulseRateWhenNoCurrentEcgHrComes) {
  WardModel model;
  auto with = [](const std::string& bed,
                 std::vector<std::tuple<proto::VitalKind, double, std::int64_t>> values) {
    proto::BedState b = chair_with_nibp(bed, proto::infusion, kT0 - 30'000);
    for (const auto& [kind, value, age_ms] : values) {
      proto::Reading* r = b.add_latest();
      r->set_bed(bed);
      r->set_kind(kind);
      r->set_value(value);
      r->set_received_at_ms(kT0 - age_ms);
      r->set_valid(true);
    }
    return b;
  };
  proto::BedState oximeter = with("CHAIR1", {{proto::PULSE, 140, 5'000}});
  proto::AlertEvent* p6 = oximeter.add_active_alerts();
  p6->set_id("CHAIR1-P6-1");
  p6->set_bed("CHAIR1");
  p6->set_rule(proto::P6);
  p6->set_priority(proto::MEDIUM);
  p6->set_state(proto::ACTIVE);
  p6->set_kind(proto::physiological);
  p6->set_message("HR 140 >= 130");
  p6->set_at_ms(kT0);
  connect_with_snapshot(model,
                        {oximeter, with("CHAIR2", {{proto::HR, 72, 5'000}, {proto::PULSE, 75, 5'000}}),
                         with("CHAIR3", {{proto::HR, 72, 5 * kMin}, {proto::PULSE, 140, 5'000}}),
                         with("CHAIR4", {{proto::PULSE, 140, 2 * kMin}}),
                         with("CHAIR5", {{proto::HR, 72, 2 * kMin}, {proto::PULSE, 75, 10 * kMin}}),
                         with("CHAIR6", {{proto::HR, 72, 10 * kMin}, {proto::PULSE, 75, 2 * kMin}})},
                        kT0, kT0);
  const WardSnapshot w = model.snapshot(kT0);
  struct Shown {
    std::optional<double> value;
    Freshness freshness;
    bool from_pulse;
    bool operator==(const Shown&) const = default;
  };
  auto shown = [&](const std::string& bed) {
    const VitalView& v = chair_of(w, bed).hr;
    return Shown{v.value, v.freshness, v.from_pulse};
  };
  EXPECT_TRUE(shown("CHAIR1") == (Shown{140, Freshness::Fresh, true}));  // oximeter only
  EXPECT_TRUE(shown("CHAIR2") == (Shown{72, Freshness::Fresh, false}));  // ECG present: HR
  EXPECT_TRUE(shown("CHAIR3") == (Shown{140, Freshness::Fresh, true}));  // ECG gone: the pulse rate
  EXPECT_TRUE(shown("CHAIR4") == (Shown{140, Freshness::Stale, true}));  // an old pulse rate, shown old
  EXPECT_TRUE(shown("CHAIR5") == (Shown{72, Freshness::Stale, false}));  // neither fresh, HR newer
  EXPECT_TRUE(shown("CHAIR6") == (Shown{75, Freshness::Stale, true}));   // neither fresh, PULSE newer

  const std::string table = ctl::render_board(w);
  const std::size_t hr_at = board_column(table, " HR ");
  EXPECT_EQ(board_row(table, "CHAIR1").find("140 PR "), hr_at) << table;
  EXPECT_NE(board_row(table, "CHAIR1").find("HR 140 >= 130"), std::string::npos) << table;
  EXPECT_EQ(board_row(table, "CHAIR2").find("72 "), hr_at) << table;
  EXPECT_EQ(board_row(table, "CHAIR2").find("PR"), std::string::npos) << table;
  // The longest HR cell ("old 140 PR") fits whole: no "…".
  EXPECT_EQ(board_row(table, "CHAIR4").find("old 140 PR "), hr_at) << table;
  EXPECT_EQ(board_row(table, "CHAIR4").find("\u2026"), std::string::npos) << table;
  EXPECT_EQ(board_row(table, "CHAIR5").find("old 72 "), hr_at) << table;
  EXPECT_EQ(board_row(table, "CHAIR5").find("PR"), std::string::npos) << table;
  EXPECT_EQ(board_row(table, "CHAIR6").find("old 75 PR "), hr_at) << table;
}

// ECG leads off: the engine judges P6/P7 on the pulse rate once no ECG HR has come for the
// profile's switch delay (alarm.continuous_stale, sent as NibpSchedule.hr_from_pulse_after_s;
// 10 s without it). The HR cell kept the ECG HR as current until it greyed a minute later,
// beside "HR 140 >= 130" raised on the pulse rate; it now follows the engine.
TEST(WardFaces, TheHrCellTakesThePulseRateWhenTheEngineDoes) {
  WardModel model;
  proto::BedState slow = chair_with_nibp("CHAIR2", proto::infusion, kT0);
  proto::NibpSchedule& schedule = *slow.mutable_nibp();
  schedule.set_infusion_cycle_s(300);
  schedule.set_recovery_early_cycle_s(600);
  schedule.set_recovery_early_span_s(1800);
  schedule.set_recovery_late_cycle_s(900);
  schedule.set_hr_from_pulse_after_s(30);
  connect_with_snapshot(model, {chair_with_nibp("CHAIR1", proto::infusion, kT0), slow}, kT0, kT0);
  struct Shown {
    std::optional<double> value;
    Freshness freshness;
    bool from_pulse;
    bool operator==(const Shown&) const = default;
  };
  auto shown = [&](const std::string& bed, std::int64_t at) {
    const WardSnapshot snapshot = model.snapshot(at);  // chair_of refers into it
    const VitalView& v = chair_of(snapshot, bed).hr;
    return Shown{v.value, v.freshness, v.from_pulse};
  };
  for (const char* bed : {"CHAIR1", "CHAIR2"})
    model.on_message(reading_message(bed, proto::HR, 72, kT0), kT0);
  for (int s = 1; s <= 35; ++s) {
    const std::int64_t at = kT0 + s * 1'000;
    for (const char* bed : {"CHAIR1", "CHAIR2"})
      model.on_message(reading_message(bed, proto::PULSE, 140, at), at);
    if (s == 5) {
      EXPECT_TRUE(shown("CHAIR1", at) == (Shown{72, Freshness::Fresh, false}));  // the engine: ECG
    }
    if (s == 15) {
      EXPECT_TRUE(shown("CHAIR1", at) == (Shown{140, Freshness::Fresh, true}));  // the engine: the pulse
      EXPECT_TRUE(shown("CHAIR2", at) == (Shown{72, Freshness::Fresh, false}));  // its profile: 30 s
      const std::string table = ctl::render_board(model.snapshot(at));
      EXPECT_EQ(board_row(table, "CHAIR1").find("140 PR "), board_column(table, " HR ")) << table;
    }
  }
  const std::int64_t end = kT0 + 35'000;
  EXPECT_TRUE(shown("CHAIR2", end) == (Shown{140, Freshness::Fresh, true}));
  // Leads back on: the ECG HR at once.
  model.on_message(reading_message("CHAIR1", proto::HR, 75, end + 1'000), end + 1'000);
  EXPECT_TRUE(shown("CHAIR1", end + 1'000) == (Shown{75, Freshness::Fresh, false}));
}

TEST(WardFaces, AnOldResultSentAgainIsNeitherCurrentNorATrendPointOnEitherFace) {
  WardModel model;
  connect_with_snapshot(model, {chair_with_nibp("CHAIR1", proto::infusion, kT0)}, kT0, kT0);
  proto::ServerMessage m = reading_message("CHAIR1", proto::NIBP_SYS, 212, kT0 + 60'000);
  proto::Reading& r = *m.mutable_reading();
  r.set_measured_at_ms(kT0 - 40 * kMin);
  r.set_verified(false);
  r.set_late(true);
  model.on_message(m, kT0 + 60'000);
  const WardSnapshot s = model.snapshot(kT0 + 61'000);
  EXPECT_EQ(chair_of(s, "CHAIR1").sys.value, 150) << "the old result became the current SBP";
  const std::string table = ctl::render_board(s);
  EXPECT_NE(board_row(table, "CHAIR1").find("150/90"), std::string::npos) << table;
  EXPECT_EQ(table.find("212"), std::string::npos) << table;
  // The same reading, not late, is current.
  r.set_late(false);
  model.on_message(m, kT0 + 62'000);
  EXPECT_EQ(chair_of(model.snapshot(kT0 + 62'000), "CHAIR1").sys.value, 212);
}

// Both faces show a value as the engine judges it, rounded half away from zero: 80.5 is 81
// (printf's "%.0f" and to_chars round it to even, 80) and 199.5 is 200.
TEST(WardFaces, AValueIsShownRoundedAsTheEngineJudgesIt) {
  WardModel model;
  connect_with_snapshot(model, {chair_with_nibp("CHAIR1", proto::infusion, kT0)}, kT0, kT0);
  model.on_message(reading_message("CHAIR1", proto::NIBP_SYS, 199.5, kT0 + 1'000), kT0 + 1'000);
  model.on_message(reading_message("CHAIR1", proto::NIBP_DIA, 80.5, kT0 + 1'000), kT0 + 1'000);
  const WardSnapshot s = model.snapshot(kT0 + 2'000);
  EXPECT_EQ(chair_of(s, "CHAIR1").sys.value, 200);
  EXPECT_EQ(chair_of(s, "CHAIR1").dia.value, 81);
  const std::string table = ctl::render_board(s);
  EXPECT_NE(board_row(table, "CHAIR1").find("200/81"), std::string::npos) << table;
}

// A result with SBP only: DIA is blank ("--", as the web view shows it), never "?", which
// marks a value the rules doubt.
TEST(WardFaces, ABlankDiastolicIsShownBlankNotDoubted) {
  WardModel model;
  connect_with_snapshot(model, {}, kT0, kT0);
  model.on_message(reading_message("CHAIR5", proto::NIBP_SYS, 150, kT0 + 1'000), kT0 + 1'000);
  const std::string table = ctl::render_board(model.snapshot(kT0 + 2'000));
  EXPECT_NE(board_row(table, "CHAIR5").find("150/--"), std::string::npos) << table;
  EXPECT_EQ(board_row(table, "CHAIR5").find("150/?"), std::string::npos) << table;
}

// The BP cell is one cuff result. A result without its SBP (the monitor could not give one)
// showed the previous result's SBP beside the new DBP: "120/126", a pair no cuff measured.
TEST(WardFaces, TheBpCellNeverPairsPartsOfTwoResults) {
  WardModel model;
  connect_with_snapshot(model, {}, kT0, kT0);
  for (auto [kind, value] : {std::pair{proto::NIBP_SYS, 120.0}, std::pair{proto::NIBP_DIA, 80.0}})
    model.on_message(reading_message("CHAIR6", kind, value, kT0 + 1'000), kT0 + 1'000);
  std::string table = ctl::render_board(model.snapshot(kT0 + 2'000));
  EXPECT_NE(board_row(table, "CHAIR6").find("120/80"), std::string::npos) << table;
  proto::ServerMessage dia = reading_message("CHAIR6", proto::NIBP_DIA, 126, kT0 + 60'000);
  dia.mutable_reading()->set_verified(false);
  model.on_message(dia, kT0 + 60'000);
  const WardSnapshot w = model.snapshot(kT0 + 61'000);
  EXPECT_FALSE(chair_of(w, "CHAIR6").sys.value) << "the SBP of the result before";
  ASSERT_TRUE(chair_of(w, "CHAIR6").dia.value);
  EXPECT_EQ(*chair_of(w, "CHAIR6").dia.value, 126);
  EXPECT_TRUE(chair_of(w, "CHAIR6").dia.unverified);
  // The board shows a pressure only with its SBP: none here (T5 names the DBP and asks for
  // the repeat), and never the old 120.
  table = ctl::render_board(w);
  EXPECT_EQ(board_row(table, "CHAIR6").find("120"), std::string::npos) << table;
}

// A withdrawal (OBX-11 W: the monitor takes back its value of that time) ends the value it
// names on both faces of the C++ model, trend point included; one naming another time
// changes nothing.
TEST(WardFaces, AValueTheMonitorTakesBackIsNoLongerShownNorATrendPoint) {
  WardModel model;
  connect_with_snapshot(model, {chair_with_nibp("CHAIR1", proto::infusion, kT0)}, kT0, kT0);
  const std::int64_t sent = kT0 + 60'000;
  model.on_message(reading_message("CHAIR1", proto::NIBP_SYS, 202, sent), sent);
  model.on_message(reading_message("CHAIR1", proto::NIBP_DIA, 122, sent), sent);
  ASSERT_EQ(chair_of(model.snapshot(sent), "CHAIR1").sys.value, 202);
  ASSERT_FALSE(model.trend("CHAIR1").sys.empty());
  ASSERT_EQ(model.trend("CHAIR1").sys.back().value, 202);
  auto withdrawal = [&](proto::VitalKind kind, std::int64_t stamp, std::int64_t at,
                        const std::string& source = {}) {
    model.on_message(withdrawal_message("CHAIR1", kind, stamp, at, source), at);
  };
  withdrawal(proto::NIBP_SYS, sent - 1, sent + 5'000);               // another time: not this value
  withdrawal(proto::NIBP_SYS, sent, sent + 6'000, "OTHER-MONITOR");  // another device: not its value
  EXPECT_EQ(chair_of(model.snapshot(sent + 6'000), "CHAIR1").sys.value, 202);
  EXPECT_EQ(model.trend("CHAIR1").sys.back().value, 202);
  // SYS alone: the whole measurement goes, as the engine judges it.
  withdrawal(proto::NIBP_SYS, sent, sent + 10'000);
  const WardSnapshot s = model.snapshot(sent + 11'000);
  EXPECT_FALSE(chair_of(s, "CHAIR1").sys.value.has_value()) << *chair_of(s, "CHAIR1").sys.value;
  EXPECT_FALSE(chair_of(s, "CHAIR1").dia.value.has_value());
  const std::string table = ctl::render_board(s);
  EXPECT_EQ(board_row(table, "CHAIR1").find("202"), std::string::npos) << table;
  for (const TrendPoint& p : model.trend("CHAIR1").sys) EXPECT_NE(p.value, 202) << "still on the trend";
  for (const TrendPoint& p : model.trend("CHAIR1").dia) EXPECT_NE(p.value, 122) << "still on the trend";
}

// A monitor that has just taken back its only value is still sending: LINK says so, never
// "-" as if nothing came.
TEST(WardFaces, AChairWhoseOnlyValueWasTakenBackStillShowsItsMonitorSending) {
  WardModel model;
  proto::BedState empty;
  empty.set_bed("CHAIR1");
  empty.set_phase(proto::infusion);
  connect_with_snapshot(model, {empty}, kT0, kT0);
  model.on_message(reading_message("CHAIR1", proto::NIBP_SYS, 202, kT0 + 1'000), kT0 + 1'000);
  model.on_message(withdrawal_message("CHAIR1", proto::NIBP_SYS, kT0 + 1'000, kT0 + 5'000), kT0 + 5'000);
  const WardSnapshot s = model.snapshot(kT0 + 6'000);
  ASSERT_FALSE(chair_of(s, "CHAIR1").sys.value.has_value());
  const std::string table = ctl::render_board(s);
  EXPECT_NE(board_row(table, "CHAIR1").find("data ok"), std::string::npos) << table;
}

// A withdrawal of an older result (a newer one is current) still takes its trend point; a
// correction sent with the same stamp after the withdrawal stays.
TEST(WardFaces, AnOlderResultTakenBackLeavesTheTrendButACorrectionAfterItStays) {
  WardModel model;
  connect_with_snapshot(model, {chair_with_nibp("CHAIR1", proto::infusion, kT0)}, kT0, kT0);
  const std::int64_t spike = kT0 + 60'000;
  model.on_message(reading_message("CHAIR1", proto::NIBP_SYS, 240, spike), spike);
  model.on_message(reading_message("CHAIR1", proto::NIBP_SYS, 135, spike + 60'000), spike + 60'000);
  model.on_message(withdrawal_message("CHAIR1", proto::NIBP_SYS, spike, spike + 90'000), spike + 90'000);
  EXPECT_EQ(chair_of(model.snapshot(spike + 90'000), "CHAIR1").sys.value, 135);
  for (const TrendPoint& p : model.trend("CHAIR1").sys) EXPECT_NE(p.value, 240) << "the disowned spike";
  proto::ServerMessage c = reading_message("CHAIR1", proto::NIBP_SYS, 150, spike + 95'000);
  c.mutable_reading()->set_measured_at_ms(spike);
  c.mutable_reading()->set_status("C");
  model.on_message(c, spike + 95'000);
  EXPECT_EQ(model.trend("CHAIR1").sys.back().value, 150);
  EXPECT_EQ(chair_of(model.snapshot(spike + 95'000), "CHAIR1").sys.value, 150);
}

}  // namespace
}  // namespace vigil::client
