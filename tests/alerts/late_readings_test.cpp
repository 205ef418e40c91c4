// Late readings: a backlog a monitor or gateway flushes after an outage is history, kept but
// never judged or shown as current; clocks set right, host clock steps and stuck stamps
// never make current readings late.
#include "alerts/late_readings.hpp"
#include "alert_harness.hpp"

namespace vigil::alerts::test {
namespace {

constexpr std::int64_t kMin = 60'000;
constexpr WallMillis kWall0Ms = 1'800'000'000'000;  // where the order tests' wall clock starts

// A device and Vigil: `at` is ms since the start on Vigil's clocks, `stamp` on the device's.
struct Device {
  StampOrder order;
  WallMillis host_step = 0;  // Vigil's wall clock stepped (NTP) by this much
  std::optional<StampOrder::Late> send(VitalKind kind, std::int64_t at, std::int64_t stamp) {
    return order.add(kind, at, kWall0Ms + at + host_step, kWall0Ms + stamp);
  }
};

TEST(LateReadings, AnOlderResultSentAgainIsLateAndTheNextCuffIsNot) {
  Device d;
  std::int64_t t = 0;
  for (int cuff = 0; cuff < 8; ++cuff, t += 5 * kMin) {
    EXPECT_FALSE(d.send(VitalKind::NibpSys, t + 60'000, t)) << "cuff " << cuff;
    EXPECT_FALSE(d.send(VitalKind::HeartRate, t + 60'000, t + 60'000));
  }
  const std::int64_t now = t;  // the newest cuff was stamped 5 min ago
  const auto late = d.send(VitalKind::NibpSys, now, now - 40 * kMin);
  ASSERT_TRUE(late) << "a result 40 min old, 35 min older than the newest";
  EXPECT_EQ(late->by_ms, 35 * kMin);
  EXPECT_FALSE(late->delayed);
  EXPECT_FALSE(d.send(VitalKind::HeartRate, now, now)) << "other kinds are their own order";
  EXPECT_FALSE(d.send(VitalKind::NibpSys, now + 60'000, now)) << "the next cuff";
}

TEST(LateReadings, SmallDisorderAndRecentResultsAreNeverLate) {
  Device d;
  d.send(VitalKind::HeartRate, 10'000, 10'000);
  EXPECT_FALSE(d.send(VitalKind::HeartRate, 11'000, 9'000)) << "two stamps a second out of order";
  d.send(VitalKind::NibpSys, 20 * kMin, 20 * kMin - 60'000);
  EXPECT_FALSE(d.send(VitalKind::NibpSys, 20 * kMin + 1000, 16 * kMin))
      << "older than the newest but measured within 5 min of arriving";
}

TEST(LateReadings, AMonitorClockHoursAheadAndThenSetRightIsCurrentAtOnce) {
  Device d;
  std::int64_t t = 0;
  for (; t < 20'000; t += 1000) EXPECT_FALSE(d.send(VitalKind::HeartRate, t, t + 5 * 60 * kMin));
  for (int i = 0; i < 20; ++i, t += 1000) {
    EXPECT_FALSE(d.send(VitalKind::HeartRate, t, t)) << "set right, message " << i;
    EXPECT_FALSE(d.send(VitalKind::NibpSys, t, t - 3 * kMin)) << "a cuff's result, minutes after its stamp";
  }
}

TEST(LateReadings, AStepOfVigilsWallClockMakesNothingLate) {
  for (WallMillis step : {60 * kMin, -60 * kMin}) {
    Device d;
    std::int64_t t = 0;
    for (; t < 20'000; t += 1000) d.send(VitalKind::HeartRate, t, t);
    d.host_step = step;  // NTP moves Vigil's wall clock an hour
    for (int i = 0; i < 20; ++i, t += 1000)
      EXPECT_FALSE(d.send(VitalKind::HeartRate, t, t)) << step << " " << i;
  }
}

TEST(LateReadings, ADeviceClockSetBackIsTakenOnceOnlyLateReadingsCome) {
  Device d;
  std::int64_t t = 0;
  for (; t < 20'000; t += 1000) d.send(VitalKind::HeartRate, t, t);
  const std::int64_t stepped_at = t;
  std::optional<std::int64_t> current_from;
  for (; t < stepped_at + 90'000; t += 1000) {
    if (!d.send(VitalKind::HeartRate, t, t - 40 * kMin) && !current_from) current_from = t;
  }
  ASSERT_TRUE(current_from) << "a clock set 40 min back stays late for ever";
  EXPECT_EQ(*current_from - stepped_at, StampOrder::kRelearnAfterMs);
  // A spot-check monitor: one cuff is lost to it, the next is current.
  Device spot;
  spot.send(VitalKind::NibpSys, 0, 0);
  spot.send(VitalKind::NibpSys, 5 * kMin, 5 * kMin);
  EXPECT_TRUE(spot.send(VitalKind::NibpSys, 10 * kMin, -30 * kMin));
  EXPECT_FALSE(spot.send(VitalKind::NibpSys, 15 * kMin, -25 * kMin));
  EXPECT_FALSE(spot.send(VitalKind::NibpSys, 20 * kMin, -20 * kMin));
}

TEST(LateReadings, AQuickBacklogFlushStaysLateToItsEnd) {
  Device d;
  std::int64_t t = 0;
  for (; t < 60 * kMin; t += 5 * kMin) d.send(VitalKind::NibpSys, t, t);
  // A gateway replays the hour's results, newest first, within a second.
  int current = 0;
  for (int i = 0; i < 12; ++i)
    current += !d.send(VitalKind::NibpSys, t + i * 50, (10 - i) * 5 * kMin).has_value();
  EXPECT_EQ(current, 0) << "every replayed result is 5 min or more older than the newest";
}

TEST(LateReadings, StuckStampsAndNoStampsAreNeverLate) {
  Device d;
  const std::int64_t stuck = 20'000;  // the clock stops (or every result carries its order's time)
  for (std::int64_t t = stuck; t < stuck + 30 * kMin; t += 5000)
    EXPECT_FALSE(d.send(VitalKind::NibpSys, t, stuck)) << (t - stuck) / 1000 << " s";
  StampOrder none;
  for (std::int64_t a = 0; a < 10 * kMin; a += 1000)
    EXPECT_FALSE(none.add(VitalKind::SpO2, a, kWall0Ms + a, 0));
}

TEST(LateReadings, StampsYearsAwayNeverOverflow) {
  Device d;
  d.send(VitalKind::HeartRate, 0, 0);
  StampOrder& o = d.order;
  EXPECT_TRUE(
      o.add(VitalKind::HeartRate, 1000, kWall0Ms + 1000, std::numeric_limits<std::int64_t>::min() / 2));
  EXPECT_FALSE(o.add(VitalKind::HeartRate, 2000, kWall0Ms + 2000, std::numeric_limits<std::int64_t>::max()));
  EXPECT_FALSE(o.add(VitalKind::HeartRate, 3000, kWall0Ms + 3000, kWall0Ms + 3000))
      << "measured as it arrived: current, whatever stamp came before";
}

// A monitor that buffered its results through a 30-min outage sends them in order when the
// link is back: each is newer than the one before, but they are 25 ... 5 min old.
TEST(LateReadings, ABacklogSentInOrderAfterAnOutageIsDelayed) {
  Device d;
  std::int64_t t = 0;
  for (; t <= 30 * kMin; t += 5 * kMin) {  // live: each result 40 s after its stamp
    EXPECT_FALSE(d.send(VitalKind::NibpSys, t + 40'000, t));
    EXPECT_FALSE(d.send(VitalKind::HeartRate, t + 40'000, t + 40'000));
  }
  const std::int64_t back = t + 30 * kMin;  // the link returns
  int delayed = 0;
  for (int i = 0; i < 6; ++i) {
    const std::int64_t stamp = t + i * 5 * kMin;  // 30, 25, ... 5 min before `back`
    const auto late = d.send(VitalKind::NibpSys, back + i * 20, stamp);
    if (back - stamp > 5 * kMin + 40'000) {
      ASSERT_TRUE(late) << "a result " << (back - stamp) / kMin << " min old, current";
      EXPECT_TRUE(late->delayed);
      EXPECT_EQ(late->by_ms, back + i * 20 - stamp - 40'000);
      ++delayed;
    } else {
      EXPECT_FALSE(late) << "a result as old as one cuff cycle";
    }
  }
  EXPECT_EQ(delayed, 5);
  EXPECT_FALSE(d.send(VitalKind::NibpSys, back + 5 * kMin + 40'000, back + 5 * kMin)) << "the next live cuff";
}

// The usual delay is each kind's own: a monitor that stamps its cuff results 4 h back and
// sends its numerics unstamped (placed by their arrival) is never delayed.
TEST(LateReadings, ACuffClockHoursOffBesideUnstampedNumericsIsNeverDelayed) {
  Device d;
  for (std::int64_t t = 0; t < 60 * kMin; t += 1000) {
    EXPECT_FALSE(d.send(VitalKind::HeartRate, t, t));
    if (t % (5 * kMin) == 0) {
      EXPECT_FALSE(d.send(VitalKind::NibpSys, t, t - 4 * 60 * kMin)) << t;
    }
  }
}

// A backlog trickled out over minutes is taken as the device's timeline after
// kRelearnAfterMs, as a clock set back is: judged as it arrives, as before.
TEST(LateReadings, ABacklogTrickledOutOverMinutesIsTakenAfterAWhile) {
  Device d;
  std::int64_t t = 0;
  for (; t <= 10 * kMin; t += 1000) d.send(VitalKind::HeartRate, t, t);
  const std::int64_t back = t + 20 * kMin;
  std::optional<std::int64_t> current_from;
  for (int i = 0; i < 120; ++i) {  // 20 min of 1 Hz results, one every 2 s
    if (!d.send(VitalKind::HeartRate, back + i * 2000, t + i * 10'000) && !current_from)
      current_from = i * 2000;
  }
  ASSERT_TRUE(current_from);
  EXPECT_EQ(*current_from, StampOrder::kRelearnAfterMs);
}

// In the engine: the late result neither raises nor confirms anything, and the next live one
// is judged as usual.
TEST(LateReadings, AnOldNibpSentAgainIsNotJudgedAndTheNextCuffIs) {
  Harness h;
  h.start_infusion(120, 80);
  const WallMillis early = h.now().wall_ms;
  h.advance(5min);
  h.nibp_measured_at(150, 90, h.now().wall_ms);
  h.advance(5min);
  h.nibp_measured_at(154, 92, h.now().wall_ms);
  h.advance(30s);
  // A gateway sends an early result again, severe by the numbers, 10 min old.
  const ReadingResult late = h.nibp_measured_at(212, 126, early);
  EXPECT_TRUE(late.late);
  EXPECT_FALSE(late.verified);
  EXPECT_NE(late.reason.find("10 min"), std::string::npos) << late.reason;
  EXPECT_TRUE(late.nibp_verdicts.empty()) << "judged as a measurement";
  for (RuleId rule : {RuleId::P1, RuleId::P2, RuleId::P3})
    EXPECT_FALSE(h.alert(rule)) << "raised by a 10-min-old result: " << h.alert(rule)->message;
  // Never judged before and severe: not taken as current, but never silence either (it may
  // be a current result from a monitor whose clock was set back): T5 asks for the repeat.
  ASSERT_TRUE(h.alert(RuleId::T5, "NIBP"));
  EXPECT_EQ(h.alert(RuleId::T5, "NIBP")->priority, Priority::Low);
  EXPECT_NE(h.alert(RuleId::T5, "NIBP")->message.find("measured 10 min 30 s before it arrived"),
            std::string::npos)
      << h.alert(RuleId::T5, "NIBP")->message;
  h.advance(4min);
  const ReadingResult live = h.nibp_measured_at(212, 126, h.now().wall_ms - 30'000);
  EXPECT_FALSE(live.late);
  ASSERT_EQ(live.nibp_verdicts.size(), 1u) << "the live reading is judged";
  // A jump of 58 mmHg from the last verified reading: T5's urgent repeat names P1.
  ASSERT_TRUE(h.alert(RuleId::P1) || h.alert(RuleId::T5, "NIBP")) << live.reason << " / " << [&] {
    std::string all;
    for (const auto& a : h.engine.active_alerts(h.bed)) all += a.message + "\n";
    return all;
  }();
}

// In the engine: a backlog's severe result from 20 min ago is kept, not judged.
TEST(LateReadings, ABacklogsOldSevereResultRaisesNothingAndTheNextLiveCuffIsJudged) {
  Harness h;
  h.start_infusion(120, 80);
  h.advance(5min);
  h.nibp_measured_at(130, 84, h.now().wall_ms - 40'000);
  const WallMillis outage = h.now().wall_ms;
  h.advance(25min);
  const ReadingResult old = h.nibp_measured_at(205, 122, outage + 5 * 60'000);
  EXPECT_TRUE(old.late);
  EXPECT_NE(old.reason.find("a delayed result"), std::string::npos) << old.reason;
  EXPECT_FALSE(h.alert(RuleId::P1)) << "judged as now: " << h.alert(RuleId::P1)->message;
  h.advance(3min);
  const ReadingResult live = h.nibp_measured_at(205, 122, h.now().wall_ms - 40'000);
  EXPECT_FALSE(live.late) << live.reason;
  EXPECT_TRUE(h.alert(RuleId::P1) || h.alert(RuleId::T5, "NIBP"));
}

// A monitor's clock set back an hour (a DST change, a reset) beside a real crisis: the first
// cuff after the step looks an hour old. Not taken as current, but T5 asks for the repeat and
// names P1; once the device's new timeline is learned, the repeat is judged: HIGH.
TEST(LateReadings, ASevereCuffFromAMonitorWhoseClockWasSetBackAsksForARepeatThatIsJudged) {
  Harness h;
  h.start_infusion(120, 80);
  for (int i = 0; i < 5; ++i) {  // a streaming monitor, stamps right
    h.advance(1s);
    h.reading(VitalKind::HeartRate, 80);  // unstamped numerics
  }
  h.nibp_measured_at(124, 80, h.now().wall_ms);
  h.advance(10s);
  const ReadingResult stepped = h.nibp_measured_at(170, 122, h.now().wall_ms - 3'600'000);
  EXPECT_TRUE(stepped.late);
  EXPECT_FALSE(h.alert(RuleId::P1));
  ASSERT_TRUE(h.alert(RuleId::T5, "NIBP"));
  EXPECT_NE(h.alert(RuleId::T5, "NIBP")->message.find("DBP 122 >= 120 (P1) if it is"), std::string::npos)
      << h.alert(RuleId::T5, "NIBP")->message;
  // The nurse repeats it 40 s later; the monitor's clock is still an hour back.
  h.advance(40s);
  const ReadingResult repeat = h.nibp_measured_at(172, 123, h.now().wall_ms - 3'600'000);
  EXPECT_FALSE(repeat.late) << repeat.reason;
  ASSERT_TRUE(h.alert(RuleId::P1));
  EXPECT_EQ(h.alert(RuleId::P1)->priority, Priority::High);
}

// The same, with a repeat more than 50 above the last verified reading: it agrees with the late
// result, which was the first of the two readings, so it is no jump (it was: T5 again, and
// HIGH only at a third cuff).
TEST(LateReadings, ARepeatAgreeingWithALateSevereResultIsNoJump) {
  Harness h;
  h.start_infusion(120, 80);
  for (int i = 0; i < 5; ++i) {
    h.advance(1s);
    h.reading(VitalKind::HeartRate, 80);
  }
  h.nibp_measured_at(120, 80, h.now().wall_ms);
  h.advance(10s);
  EXPECT_TRUE(h.nibp_measured_at(170, 122, h.now().wall_ms - 3'600'000).late);
  h.advance(40s);
  const ReadingResult repeat = h.nibp_measured_at(172, 123, h.now().wall_ms - 3'600'000);
  EXPECT_TRUE(repeat.verified) << repeat.reason;
  ASSERT_TRUE(h.alert(RuleId::P1));
  EXPECT_EQ(h.alert(RuleId::P1)->priority, Priority::High);
  EXPECT_FALSE(h.alert(RuleId::T5, "NIBP"));
}

// A chair with no session forgets a silent monitor after its T1; when the monitor comes back
// with its backlog, its stamp order must still be known, or the 25-min-old results in it are
// judged as now (a P1 HIGH) and the current cuff is doubted as a jump from them.
TEST(LateReadings, ABacklogAfterTheMonitorWasForgottenIsStillLate) {
  Harness h;
  for (int i = 0; i < 4; ++i) {
    h.nibp_measured_at(124, 80, h.now().wall_ms - 40'000);
    h.advance(5min);
  }
  const WallMillis outage = h.now().wall_ms;
  h.advance(30min);
  ASSERT_GE(h.count(RuleId::T1, TransitionKind::Raised), 1);
  EXPECT_FALSE(h.alert(RuleId::T1, h.source)) << "still watched: this test needs it forgotten";
  for (int i = 0; i < 5; ++i) {
    const ReadingResult r = h.nibp_measured_at(210, 125, outage + i * 5 * 60'000);
    EXPECT_TRUE(r.late) << "result " << i << " of the backlog: " << r.reason;
  }
  EXPECT_FALSE(h.alert(RuleId::P1));
  const ReadingResult live = h.nibp_measured_at(118, 78, h.now().wall_ms - 40'000);
  EXPECT_FALSE(live.late);
  EXPECT_TRUE(live.verified) << live.reason;
}

}  // namespace
}  // namespace vigil::alerts::test
