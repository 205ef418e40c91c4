// The session trend's HR line is the heart rate the alert engine judges P6/P7 on: the ECG HR,
// and the pulse rate (PULSE) where no valid ECG HR came within the chair profile's switch
// delay (NibpSchedule.hr_from_pulse_after_s; 10 s without it). A chair whose monitor sends
// only a pulse rate (a spot-check cuff, an oximeter) had no HR line at all. Fake clock.
#include <gtest/gtest.h>

#include <string>

#include "client/ward_model.hpp"
#include "support/ward_feed.hpp"

namespace vigil::client {
namespace {

using test::chair_with_nibp;
using test::connect_with_snapshot;
using test::kT0;
using test::reading_message;

TEST(WardHrTrend, APulseRateIsAPointOfTheHrLineExactlyWhereTheEngineJudgesIt) {
  WardModel model;
  connect_with_snapshot(
      model,
      {chair_with_nibp("CHAIR1", proto::infusion, kT0), chair_with_nibp("CHAIR2", proto::infusion, kT0),
       chair_with_nibp("CHAIR3", proto::infusion, kT0), chair_with_nibp("CHAIR4", proto::infusion, kT0)},
      kT0, kT0);
  // CHAIR4's profile switches after 30 s, as its session event says.
  proto::ServerMessage begun;
  begun.mutable_session()->set_bed("CHAIR4");
  begun.mutable_session()->set_at_ms(kT0);
  begun.mutable_session()->mutable_nibp()->set_hr_from_pulse_after_s(30);
  model.on_message(begun, kT0);
  auto feed = [&](const std::string& bed, proto::VitalKind kind, double value, std::int64_t at) {
    model.on_message(reading_message(bed, kind, value, at), at);
  };
  // CHAIR1: an oximeter alone. CHAIR2: ECG and oximeter, both in each message. CHAIR3 and
  // CHAIR4: the same, the ECG leads off after 10 s.
  for (int s = 1; s <= 40; ++s) {
    const std::int64_t at = kT0 + s * 1'000;
    feed("CHAIR1", proto::PULSE, 140, at);
    for (const char* bed : {"CHAIR2", "CHAIR3", "CHAIR4"}) {
      if (s <= 10 || std::string(bed) == "CHAIR2") feed(bed, proto::HR, 72, at);
      feed(bed, proto::PULSE, 75, at);
    }
  }
  const ChairTrend oximeter = model.trend("CHAIR1");
  ASSERT_EQ(oximeter.hr.size(), 40u);
  for (const TrendPoint& p : oximeter.hr) EXPECT_TRUE(p.from_pulse && p.value == 140) << p.t_ms - kT0;

  const ChairTrend both = model.trend("CHAIR2");
  ASSERT_EQ(both.hr.size(), 40u);
  for (const TrendPoint& p : both.hr) EXPECT_TRUE(!p.from_pulse && p.value == 72) << p.t_ms - kT0;

  // The last ECG HR at 10 s; the pulse rate from 21 s (more than 10 s later), not at 20 s.
  const ChairTrend leads_off = model.trend("CHAIR3");
  ASSERT_EQ(leads_off.hr.size(), 10u + 20u);
  EXPECT_FALSE(leads_off.hr[9].from_pulse);
  EXPECT_EQ(leads_off.hr[9].t_ms, kT0 + 10'000);
  EXPECT_TRUE(leads_off.hr[10].from_pulse);
  EXPECT_EQ(leads_off.hr[10].t_ms, kT0 + 21'000);
  EXPECT_EQ(leads_off.hr.back().value, 75);

  // Its profile's 30 s: the pulse rate from 41 s, after this feed.
  const ChairTrend slow = model.trend("CHAIR4");
  ASSERT_EQ(slow.hr.size(), 10u);
  feed("CHAIR4", proto::PULSE, 75, kT0 + 41'000);
  ASSERT_EQ(model.trend("CHAIR4").hr.size(), 11u);
  EXPECT_TRUE(model.trend("CHAIR4").hr.back().from_pulse);

  // A withdrawn pulse rate leaves the HR line; on CHAIR2, where it was not drawn, the ECG HR
  // of the same instant stays.
  for (const char* bed : {"CHAIR1", "CHAIR2"}) {
    proto::ServerMessage w = reading_message(bed, proto::PULSE, 0, kT0 + 45'000);
    w.mutable_reading()->set_measured_at_ms(kT0 + 40'000);
    w.mutable_reading()->set_valid(false);
    w.mutable_reading()->set_status("W");
    w.mutable_reading()->set_withdrawn(true);
    model.on_message(w, kT0 + 45'000);
  }
  ASSERT_EQ(model.trend("CHAIR1").hr.size(), 39u);
  EXPECT_EQ(model.trend("CHAIR1").hr.back().t_ms, kT0 + 39'000);
  ASSERT_EQ(model.trend("CHAIR2").hr.size(), 40u);
  EXPECT_EQ(model.trend("CHAIR2").hr.back().t_ms, kT0 + 40'000);
}

}  // namespace
}  // namespace vigil::client
