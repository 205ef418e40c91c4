// Poll results to readings: codes and units through the HL7 path's MDC tables, validity,
// measured time, and NIBP announced once although every poll repeats it.
#include <gtest/gtest.h>

#include <algorithm>

#include "intellivue/poll_assembler.hpp"
#include "intellivue/reading_mapper.hpp"
#include "iv_test_support.hpp"

namespace vigil::intellivue {
namespace {

constexpr std::uint16_t kMmHg = 0x0F20, kKpa = 0x0F03, kBpm = 0x0AA0, kPercent = 0x0220, kDegC = 0x17A0,
                        kDegF = 0x1140, kRpm = 0x0AE0;

NumericValue nv(std::uint16_t physio, std::uint16_t unit, std::int32_t mantissa, std::int8_t exponent = 0,
                std::uint16_t state = 0) {
  NumericValue v;
  v.physio_id = physio;
  v.unit_code = unit;
  v.state = state;
  v.value = decode_float(encode_float(mantissa, exponent));
  return v;
}

ObservationPoll obs(std::vector<NumericValue> values, std::optional<AbsoluteTime> at = std::nullopt) {
  ObservationPoll o;
  o.numerics = std::move(values);
  o.timestamp = at;
  return o;
}

PollResultPart result(std::vector<ObservationPoll> observations) {
  PollResultPart r;
  r.abs_time_stamp = make_absolute_time(2025, 10, 9, 8, 15, 30);  // 1759997730 s
  r.observations = std::move(observations);
  return r;
}

const Reading* find(const MappedPoll& m, VitalKind k) {
  const auto it =
      std::find_if(m.readings.begin(), m.readings.end(), [k](const Reading& r) { return r.kind == k; });
  return it == m.readings.end() ? nullptr : &*it;
}

// Physio ids (PIPG nomenclature, partition 2) and unit codes (partition 4) as VSCaptureMP,
// OpenICE and Koshsky/Intellivue-api (base/unitCodes.go) list them.
TEST(ReadingMapper, ContinuousVitalsMapThroughTheMdcTables) {
  ReadingMapper mapper("intellivue:test");
  const MappedPoll m = mapper.map(result({obs({
      nv(0x4182, kBpm, 72),           // NOM_ECG_CARD_BEAT_RATE -> HR
      nv(0x4822, kBpm, 71),           // NOM_PLETH_PULS_RATE -> pulse
      nv(0x4BB8, kPercent, 975, -1),  // NOM_PULS_OXIM_SAT_O2 -> SpO2 97.5
      nv(0x500A, kRpm, 14),           // NOM_RESP_RATE
      nv(0x4B48, kDegC, 366, -1),     // NOM_TEMP 36.6 degC
  })}));
  ASSERT_EQ(m.readings.size(), 5u);
  EXPECT_EQ(find(m, VitalKind::HeartRate)->value, 72);
  EXPECT_EQ(find(m, VitalKind::PulseRate)->value, 71);
  EXPECT_EQ(find(m, VitalKind::SpO2)->value, 97.5);
  EXPECT_EQ(find(m, VitalKind::RespRate)->value, 14);
  EXPECT_EQ(find(m, VitalKind::Temperature)->value, 36.6);
  for (const Reading& r : m.readings) {
    EXPECT_EQ(r.measured_at_ms, 1759997730000);  // the result's absolute time
    EXPECT_EQ(r.source, "intellivue:test");
    EXPECT_TRUE(r.valid);
    EXPECT_EQ(r.received_at_ms, 0);  // the daemon's to fill
  }
}

TEST(ReadingMapper, UnitsConvertAndMisfitsAreKeptAsUnmapped) {
  ReadingMapper mapper("iv");
  const MappedPoll m = mapper.map(result({obs({
      nv(0x4B48, kDegF, 986, -1),  // 98.6 degF -> 37 degC
      nv(0x4182, kPercent, 72),    // HR in percent: does not fit
      nv(0x4BB8, 0x1234, 97),      // unknown unit
      nv(0x4A10, kMmHg, 120),      // arterial BP: not a tracked vital
      nv(0x4182, kBpm, 900),       // outside the physical range
  })}));
  ASSERT_EQ(m.readings.size(), 1u);
  EXPECT_NEAR(m.readings[0].value, 37.0, 1e-9);
  ASSERT_EQ(m.unmapped.size(), 4u);
  EXPECT_EQ(m.unmapped[0].reason, "unit does not fit the vital sign");
  EXPECT_EQ(m.unmapped[1].reason, "unknown unit code");
  EXPECT_EQ(m.unmapped[2].code, "intellivue:0x4A10");
  EXPECT_FALSE(m.unmapped[3].reason.empty());
}

TEST(ReadingMapper, StateAndSpecialValuesDecideValidity) {
  ReadingMapper mapper("iv");
  NumericValue nan = nv(0x4BB8, kPercent, 0);
  nan.value = decode_float(0x007FFFFF);
  const MappedPoll m = mapper.map(result({obs({
      nv(0x4182, kBpm, 72, 0, kStateQuestionable),
      nv(0x500A, kRpm, 12, 0, kStateDemoData),
      nan,
  })}));
  ASSERT_EQ(m.readings.size(), 2u);
  EXPECT_FALSE(m.readings[0].valid);
  EXPECT_EQ(m.readings[0].status, "4000");
  EXPECT_FALSE(m.readings[1].valid);
  EXPECT_EQ(m.skipped, (std::vector<SkippedValue>{{VitalKind::SpO2, SkipReason::NoValue}}));
}

TEST(ReadingMapper, MeasuredTimePrefersTheObjectThenTheResultThenTheAnchor) {
  ReadingMapper mapper("iv");
  PollResultPart r = result({obs({nv(0x4182, kBpm, 72)}, make_absolute_time(2025, 10, 9, 8, 0, 0))});
  EXPECT_EQ(mapper.map(r).readings[0].measured_at_ms, 1759997730000 - (15 * 60 + 30) * 1000);

  r = result({obs({nv(0x4182, kBpm, 72)})});
  r.abs_time_stamp = AbsoluteTime{};  // the monitor sent none
  r.rel_time_stamp = 1000 + 8000 * 5;
  EXPECT_EQ(mapper.map(r).readings[0].measured_at_ms, 0);  // no anchor yet

  MdsCreateEventReport anchor;
  anchor.absolute_time = make_absolute_time(2025, 10, 9, 8, 15, 30);
  anchor.relative_time = 1000;
  mapper.set_clock_anchor(anchor);
  EXPECT_EQ(mapper.map(r).readings[0].measured_at_ms, 1759997730000 + 5000);

  ReadingMapper east("iv", MapperOptions{120});  // a monitor clock at UTC+2
  EXPECT_EQ(east.map(result({obs({nv(0x4182, kBpm, 72)})})).readings[0].measured_at_ms,
            1759997730000 - 2 * 3600000);
}

ObservationPoll nibp(int sys, int dia, int mean, std::optional<AbsoluteTime> at, std::uint16_t state = 0) {
  return obs(
      {nv(0x4A05, kMmHg, sys, 0, state), nv(0x4A06, kMmHg, dia, 0, state), nv(0x4A07, kMmHg, mean, 0, state)},
      at);
}

TEST(ReadingMapper, NibpIsAnnouncedOncePerMeasurementTimestamp) {
  ReadingMapper mapper("iv");
  const AbsoluteTime t1 = make_absolute_time(2025, 10, 9, 8, 10, 0);
  MappedPoll m = mapper.map(result({nibp(120, 80, 93, t1)}));
  ASSERT_EQ(m.readings.size(), 3u);
  EXPECT_EQ(find(m, VitalKind::NibpSys)->value, 120);
  EXPECT_EQ(find(m, VitalKind::NibpMean)->measured_at_ms, 1759997730000 - (5 * 60 + 30) * 1000);

  m = mapper.map(result({nibp(120, 80, 93, t1)}));  // the next poll repeats it
  EXPECT_TRUE(m.readings.empty());
  EXPECT_EQ(m.skipped.size(), 3u);
  EXPECT_EQ(m.skipped[0].reason, SkipReason::NibpAlreadyReported);

  // A new measurement with the very same numbers is new: its timestamp says so.
  m = mapper.map(result({nibp(120, 80, 93, make_absolute_time(2025, 10, 9, 8, 15, 0))}));
  EXPECT_EQ(m.readings.size(), 3u);

  // While the cuff inflates (MSMT_ONGOING) nothing is announced and nothing is forgotten.
  m = mapper.map(result({nibp(150, 0, 0, std::nullopt, kStateMsmtOngoing)}));
  EXPECT_TRUE(m.readings.empty());
  EXPECT_EQ(m.skipped[0].reason, SkipReason::NibpMeasuring);
}

TEST(ReadingMapper, NibpWithoutTimestampFallsBackOnTheValues) {
  ReadingMapper mapper("iv");
  EXPECT_EQ(mapper.map(result({nibp(118, 76, 90, std::nullopt)})).readings.size(), 3u);
  EXPECT_TRUE(mapper.map(result({nibp(118, 76, 90, std::nullopt)})).readings.empty());
  EXPECT_EQ(mapper.map(result({nibp(121, 76, 90, std::nullopt)})).readings.size(), 3u);
  // All three NaN: unavailable, and the last result is still remembered.
  NumericValue nan = nv(0x4A05, kMmHg, 0);
  nan.value = decode_float(0x007FFFFF);
  const MappedPoll m = mapper.map(result({obs({nan})}));
  EXPECT_EQ(m.skipped, (std::vector<SkippedValue>{{VitalKind::NibpSys, SkipReason::NoValue}}));
  EXPECT_TRUE(mapper.map(result({nibp(121, 76, 90, std::nullopt)})).readings.empty());
}

TEST(ReadingMapper, NibpInKilopascalIsConverted) {
  ReadingMapper mapper("iv");
  const MappedPoll m = mapper.map(result({obs({nv(0x4A05, kKpa, 160, -1)})}));  // 16.0 kPa
  ASSERT_EQ(m.readings.size(), 1u);
  EXPECT_NEAR(m.readings[0].value, 120.0, 0.01);
}

// Bytes to readings as a session will run it: a linked extended result (FIRST, LAST, then
// the closing RORS) decoded, reassembled and mapped; the monitor sends no absolute time in
// the result, so the MDS Create Event's clock pair places it.
TEST(ReadingMapper, LinkedResultFromBytesToReadings) {
  test::TestPoll first;
  first.extended = true;
  first.invoke_id = 9;
  first.rel_time = 1000 + 8000 * 60;  // one minute after the MDS create
  first.linked = std::make_pair(std::uint8_t{1}, std::uint8_t{1});
  first.observations = {{1, {{kAttrNuValObs, test::nu_obs(0x4182, 0, kBpm, encode_float(64, 0))}}}};
  test::TestPoll last = first;
  last.linked = std::make_pair(std::uint8_t{3}, std::uint8_t{2});
  last.observations = {{2, {{kAttrNuValObs, test::nu_obs(0x4BB8, 0, kPercent, encode_float(96, 0))}}}};
  test::TestPoll close = first;
  close.linked.reset();
  close.observations.clear();

  MdsCreateEventReport anchor;
  anchor.absolute_time = make_absolute_time(2025, 10, 9, 8, 15, 30);
  anchor.relative_time = 1000;
  ReadingMapper mapper("iv");
  mapper.set_clock_anchor(anchor);
  PollResultAssembler assembler;
  std::optional<PollResultPart> done;
  for (const test::TestPoll& p : {first, last, close}) {
    const MessageResult r = decode_message(test::poll_result(p));
    ASSERT_TRUE(r.ok()) << to_string(r.error);
    done = assembler.add(std::get<PollResultPart>(r.message));
  }
  ASSERT_TRUE(done);
  const MappedPoll m = mapper.map(*done);
  ASSERT_EQ(m.readings.size(), 2u);
  EXPECT_EQ(find(m, VitalKind::HeartRate)->value, 64);
  EXPECT_EQ(find(m, VitalKind::SpO2)->measured_at_ms, 1759997730000 + 60000);
}

}  // namespace
}  // namespace vigil::intellivue
