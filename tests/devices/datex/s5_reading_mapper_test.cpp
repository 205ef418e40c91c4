// Mapper: readings from records, NIBP announced exactly once, reasons and conditions kept.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "datex/s5_condition_summary.hpp"
#include "datex/s5_decoder.hpp"
#include "datex/s5_encoder.hpp"
#include "datex/s5_reading_mapper.hpp"
#include "s5_test_support.hpp"

namespace vigil::datex {
namespace {

using test::kNibpTime;
using test::kRecordTime;
using test::typical_reply;

constexpr std::string_view kSource = "datex-s5:/dev/ttyUSB0";

DecodedRecord decoded(const DisplayedValuesReply& reply) {
  S5Deframer d;
  const auto records = test::deframe_all(encode_displayed_values(reply), d);
  EXPECT_EQ(records.size(), 1u);
  if (records.size() != 1) return {};
  DecodeResult r = decode_record(records[0]);
  EXPECT_TRUE(r.ok());
  return r.record;
}

std::vector<const Reading*> of_kind(const MappedRecord& m, VitalKind kind) {
  std::vector<const Reading*> out;
  for (const Reading& r : m.readings) {
    if (r.kind == kind) out.push_back(&r);
  }
  return out;
}

bool skipped(const MappedRecord& m, VitalKind kind, SkipReason reason) {
  return std::find(m.skipped.begin(), m.skipped.end(), SkippedValue{kind, reason}) != m.skipped.end();
}

std::size_t nibp_count(const MappedRecord& m) {
  return of_kind(m, VitalKind::NibpSys).size() + of_kind(m, VitalKind::NibpDia).size() +
         of_kind(m, VitalKind::NibpMean).size();
}

TEST(S5ReadingMapper, TypicalRecordGivesEveryVital) {
  S5ReadingMapper mapper{std::string(kSource)};
  const MappedRecord m = mapper.map(decoded(typical_reply()));
  EXPECT_TRUE(m.had_basic_values);
  ASSERT_EQ(m.readings.size(), 8u);
  EXPECT_TRUE(m.skipped.empty());
  EXPECT_TRUE(m.conditions.empty());
  const WallMillis t = WallMillis{kRecordTime} * 1000;
  const WallMillis nibp_t = WallMillis{kNibpTime} * 1000;
  struct Expect {
    VitalKind kind;
    double value;
    WallMillis at;
  };
  for (const Expect& e : {Expect{VitalKind::HeartRate, 72, t}, Expect{VitalKind::SpO2, 97.5, t},
                          Expect{VitalKind::PulseRate, 73, t}, Expect{VitalKind::Temperature, 36.6, t},
                          Expect{VitalKind::RespRate, 14, t}, Expect{VitalKind::NibpSys, 128, nibp_t},
                          Expect{VitalKind::NibpDia, 84, nibp_t}, Expect{VitalKind::NibpMean, 99, nibp_t}}) {
    const auto found = of_kind(m, e.kind);
    ASSERT_EQ(found.size(), 1u) << to_string(e.kind);
    EXPECT_NEAR(found[0]->value, e.value, 1e-9) << to_string(e.kind);
    EXPECT_EQ(found[0]->measured_at_ms, e.at) << to_string(e.kind);
    EXPECT_EQ(found[0]->source, kSource);
    EXPECT_TRUE(found[0]->valid);
  }
}

// A number no body produces is no reading: over HL7 such an OBX-5 is refused with a reason
// and T8; over S/5 an HR of 400, a SpO2 of 101 % and a pulse of -5 were stored as valid.
TEST(S5ReadingMapper, ValuesNoBodyProducesAreNoReadingsButConditions) {
  S5ReadingMapper mapper{std::string(kSource)};
  DisplayedValuesReply reply = typical_reply();
  reply.basic.ecg_hr = 400;
  reply.basic.spo2_pct = to_centi(101);
  reply.basic.spo2_pr = -5;
  const MappedRecord m = mapper.map(decoded(reply));
  for (VitalKind kind : {VitalKind::HeartRate, VitalKind::SpO2, VitalKind::PulseRate}) {
    EXPECT_TRUE(of_kind(m, kind).empty()) << to_string(kind);
    EXPECT_TRUE(skipped(m, kind, SkipReason::OutsideBodyRange)) << to_string(kind);
  }
  EXPECT_EQ(nibp_count(m), 3u) << "the rest of the record is read";
  ASSERT_EQ(m.conditions.size(), 3u);
  EXPECT_EQ(m.conditions[0].code, "HR_IMPOSSIBLE");
  EXPECT_EQ(m.conditions[0].text, "HR 400 /min is outside what a body can produce (0-350)");
  const ConditionSummary summary = summarize(m.conditions);
  EXPECT_FALSE(summary.spo2_trouble) << "the oximeter reported no fault: not the probe off";
  EXPECT_NE(summary.unreadable.find("SPO2 101 % is outside"), std::string::npos) << summary.unreadable;
  EXPECT_NE(summary.unreadable.find("PULSE -5 /min"), std::string::npos) << summary.unreadable;
}

TEST(S5ReadingMapper, RepeatedNibpResultIsAnnouncedOnce) {
  S5ReadingMapper mapper{std::string(kSource)};
  EXPECT_EQ(nibp_count(mapper.map(decoded(typical_reply(kRecordTime)))), 3u);
  for (std::uint32_t i = 1; i <= 5; ++i) {
    const MappedRecord m = mapper.map(decoded(typical_reply(kRecordTime + 10 * i)));
    EXPECT_EQ(nibp_count(m), 0u);
    EXPECT_TRUE(skipped(m, VitalKind::NibpSys, SkipReason::NibpAlreadyReported));
    EXPECT_EQ(of_kind(m, VitalKind::HeartRate).size(), 1u);  // continuous values keep coming
  }
}

TEST(S5ReadingMapper, NewNibpTimeGivesANewReadingEvenWithSameNumbers) {
  S5ReadingMapper mapper{std::string(kSource)};
  mapper.map(decoded(typical_reply(kRecordTime, kNibpTime)));
  const MappedRecord m = mapper.map(decoded(typical_reply(kRecordTime + 300, kRecordTime + 290)));
  const auto sys = of_kind(m, VitalKind::NibpSys);
  ASSERT_EQ(sys.size(), 1u);
  EXPECT_EQ(sys[0]->measured_at_ms, WallMillis{kRecordTime + 290} * 1000);
}

TEST(S5ReadingMapper, MeasuringLabelSuppressesNibp) {
  S5ReadingMapper mapper{std::string(kSource)};
  auto measuring = typical_reply(kRecordTime, kNibpTime);
  measuring.basic.nibp.label |= nibp_label::kMeasuring;
  const MappedRecord m1 = mapper.map(decoded(measuring));
  EXPECT_EQ(nibp_count(m1), 0u);
  EXPECT_TRUE(skipped(m1, VitalKind::NibpSys, SkipReason::NibpMeasuring));
  const MappedRecord m2 = mapper.map(decoded(typical_reply(kRecordTime + 10, kNibpTime)));
  EXPECT_EQ(nibp_count(m2), 3u);  // the finished result, exactly once
  EXPECT_EQ(nibp_count(mapper.map(decoded(typical_reply(kRecordTime + 20, kNibpTime)))), 0u);
}

TEST(S5ReadingMapper, ResultOlderThan60sAtFirstSightIsNeverAnnounced) {
  S5ReadingMapper mapper{std::string(kSource)};
  auto old = typical_reply(kRecordTime, kRecordTime - 900);
  old.basic.nibp.label |= nibp_label::kOlderThan60s;
  const MappedRecord m1 = mapper.map(decoded(old));
  EXPECT_EQ(nibp_count(m1), 0u);
  EXPECT_TRUE(skipped(m1, VitalKind::NibpSys, SkipReason::NibpTooOld));
  old.header.r_time += 10;
  const MappedRecord m2 = mapper.map(decoded(old));
  EXPECT_EQ(nibp_count(m2), 0u);
  EXPECT_TRUE(skipped(m2, VitalKind::NibpSys, SkipReason::NibpAlreadyReported));
  // The next real measurement is announced.
  EXPECT_EQ(nibp_count(mapper.map(decoded(typical_reply(kRecordTime + 300, kRecordTime + 295)))), 3u);
}

TEST(S5ReadingMapper, NewResultAlreadyOlderThan60sAfterAGapIsNotAnnounced) {
  S5ReadingMapper mapper{std::string(kSource)};
  EXPECT_EQ(nibp_count(mapper.map(decoded(typical_reply(kRecordTime, kNibpTime)))), 3u);
  // The link was down; the next record shows a result measured 10 minutes ago.
  auto late = typical_reply(kRecordTime + 900, kRecordTime + 300);
  late.basic.nibp.label |= nibp_label::kOlderThan60s;
  const MappedRecord m = mapper.map(decoded(late));
  EXPECT_EQ(nibp_count(m), 0u);
  EXPECT_TRUE(skipped(m, VitalKind::NibpSys, SkipReason::NibpTooOld));
}

TEST(S5ReadingMapper, NibpTimeZeroCountsAsNoAux) {
  S5ReadingMapper mapper{std::string(kSource)};
  const MappedRecord m = mapper.map(decoded(typical_reply(kRecordTime, 0)));
  const auto sys = of_kind(m, VitalKind::NibpSys);
  ASSERT_EQ(sys.size(), 1u);
  EXPECT_EQ(sys[0]->measured_at_ms, WallMillis{kRecordTime} * 1000);
}

TEST(S5ReadingMapper, WithoutAuxANewResultIsDetectedByItsNumbers) {
  S5ReadingMapper mapper{std::string(kSource)};
  const MappedRecord m1 = mapper.map(decoded(typical_reply(kRecordTime, std::nullopt)));
  const auto sys = of_kind(m1, VitalKind::NibpSys);
  ASSERT_EQ(sys.size(), 1u);
  EXPECT_EQ(sys[0]->measured_at_ms, WallMillis{kRecordTime} * 1000);  // r_time fallback
  EXPECT_EQ(nibp_count(mapper.map(decoded(typical_reply(kRecordTime + 10, std::nullopt)))), 0u);
  auto changed = typical_reply(kRecordTime + 300, std::nullopt);
  changed.basic.nibp_sys = to_centi(131);
  const MappedRecord m3 = mapper.map(decoded(changed));
  ASSERT_EQ(of_kind(m3, VitalKind::NibpSys).size(), 1u);
  EXPECT_DOUBLE_EQ(of_kind(m3, VitalKind::NibpSys)[0]->value, 131);
}

TEST(S5ReadingMapper, AuxAppearingLaterDoesNotRepeatTheResult) {
  S5ReadingMapper mapper{std::string(kSource)};
  EXPECT_EQ(nibp_count(mapper.map(decoded(typical_reply(kRecordTime, std::nullopt)))), 3u);
  EXPECT_EQ(nibp_count(mapper.map(decoded(typical_reply(kRecordTime + 10, kNibpTime)))), 0u);
  EXPECT_EQ(nibp_count(mapper.map(decoded(typical_reply(kRecordTime + 20, std::nullopt)))), 0u);
  EXPECT_EQ(nibp_count(mapper.map(decoded(typical_reply(kRecordTime + 30, kNibpTime)))), 0u);
}

TEST(S5ReadingMapper, SpecialValueGivesNoReadingWithReasonAndCondition) {
  S5ReadingMapper mapper{std::string(kSource)};
  auto reply = typical_reply();
  reply.basic.spo2_pct = kInvalid;
  reply.basic.ecg_hr = kNotUpdated;
  const MappedRecord m = mapper.map(decoded(reply));
  EXPECT_TRUE(of_kind(m, VitalKind::SpO2).empty());
  EXPECT_TRUE(of_kind(m, VitalKind::HeartRate).empty());
  EXPECT_TRUE(skipped(m, VitalKind::SpO2, SkipReason::Invalid));
  EXPECT_TRUE(skipped(m, VitalKind::HeartRate, SkipReason::NotUpdated));
  ASSERT_EQ(m.conditions.size(), 1u);  // "not updated" is not a fault
  EXPECT_EQ(m.conditions[0].code, "SPO2_INVALID");
  EXPECT_FALSE(m.conditions[0].event);
  EXPECT_EQ(of_kind(m, VitalKind::PulseRate).size(), 1u);
}

TEST(S5ReadingMapper, InactiveGroupGivesNoReadingAndPulseFallsBackToNibp) {
  S5ReadingMapper mapper{std::string(kSource)};
  auto reply = typical_reply();
  reply.basic.spo2.status = kStatusExists;  // present but switched off
  reply.basic.temp[0].status = 0;           // no temperature module
  const MappedRecord m = mapper.map(decoded(reply));
  EXPECT_TRUE(of_kind(m, VitalKind::SpO2).empty());
  EXPECT_TRUE(skipped(m, VitalKind::SpO2, SkipReason::Inactive));
  EXPECT_TRUE(skipped(m, VitalKind::Temperature, SkipReason::ModuleAbsent));
  EXPECT_TRUE(m.conditions.empty());
  const auto pulse = of_kind(m, VitalKind::PulseRate);
  ASSERT_EQ(pulse.size(), 1u);
  EXPECT_DOUBLE_EQ(pulse[0]->value, 70);  // NIBP hr, with the NIBP time
  EXPECT_EQ(pulse[0]->measured_at_ms, WallMillis{kNibpTime} * 1000);
  // Next record repeats the NIBP: no pulse at all, and it says why.
  reply.header.r_time += 10;
  const MappedRecord m2 = mapper.map(decoded(reply));
  EXPECT_TRUE(of_kind(m2, VitalKind::PulseRate).empty());
  EXPECT_TRUE(skipped(m2, VitalKind::PulseRate, SkipReason::Inactive));
}

TEST(S5ReadingMapper, FailedNibpGivesOneConditionPerResult) {
  S5ReadingMapper mapper{std::string(kSource)};
  auto failed = typical_reply(kRecordTime, kNibpTime);
  failed.basic.nibp_sys = kOverRange;
  failed.basic.nibp_dia = kInvalid;
  failed.basic.nibp_mean = kInvalid;
  const MappedRecord m1 = mapper.map(decoded(failed));
  EXPECT_EQ(nibp_count(m1), 0u);
  EXPECT_TRUE(skipped(m1, VitalKind::NibpSys, SkipReason::OverRange));
  ASSERT_EQ(m1.conditions.size(), 1u);
  EXPECT_EQ(m1.conditions[0].code, "NIBP_OVER_RANGE");
  EXPECT_TRUE(m1.conditions[0].event);
  failed.header.r_time += 10;
  EXPECT_TRUE(mapper.map(decoded(failed)).conditions.empty());  // same result repeated
  failed.nibp_time = kNibpTime + 120;                           // failed again
  EXPECT_EQ(mapper.map(decoded(failed)).conditions.size(), 1u);
}

TEST(S5ReadingMapper, CalibratingIsAConditionWhileItLasts) {
  S5ReadingMapper mapper{std::string(kSource)};
  auto reply = typical_reply();
  reply.basic.nibp.label |= nibp_label::kCalibrating;
  for (int i = 0; i < 2; ++i) {
    reply.header.r_time += 10;
    const MappedRecord m = mapper.map(decoded(reply));
    ASSERT_EQ(m.conditions.size(), 1u);
    EXPECT_EQ(m.conditions[0].code, "NIBP_CALIBRATING");
  }
}

TEST(S5ReadingMapper, ClassIsTakenFromTheClassWord) {
  auto decoy = test::typical_physdata();
  decoy.ecg_hr = 180;
  decoy.nibp_sys = to_centi(220);
  const std::string decoy_physdata =
      encode_basic_phdb_subrecord(kRecordTime, decoy).substr(kPhysdataOffset, kPhysdataSize);
  const std::vector<SubrecordBytes> subs = {
      {1, encode_raw_phdb_subrecord(kRecordTime, PhdbClass::Ext2, decoy_physdata)},
      {1, encode_basic_phdb_subrecord(kRecordTime, test::typical_physdata())},
  };
  RecordHeaderFields h;
  h.r_time = kRecordTime;
  const DecodeResult r = decode_record(encode_record(h, subs));
  ASSERT_TRUE(r.ok());
  S5ReadingMapper mapper{std::string(kSource)};
  const MappedRecord m = mapper.map(r.record);
  ASSERT_EQ(of_kind(m, VitalKind::HeartRate).size(), 1u);
  EXPECT_DOUBLE_EQ(of_kind(m, VitalKind::HeartRate)[0]->value, 72);
  ASSERT_EQ(of_kind(m, VitalKind::NibpSys).size(), 1u);
  EXPECT_DOUBLE_EQ(of_kind(m, VitalKind::NibpSys)[0]->value, 128);
}

TEST(S5ReadingMapper, RecordsWithoutBasicDisplayedValuesGiveNothing) {
  S5ReadingMapper mapper{std::string(kSource)};
  const auto request = decode_record(encode_request_record(PhdbRecordType::Displayed, 10, 0));
  ASSERT_TRUE(request.ok());
  EXPECT_FALSE(mapper.map(request.record).had_basic_values);
  const std::vector<SubrecordBytes> trend = {
      {2, encode_basic_phdb_subrecord(kRecordTime, test::typical_physdata())}};
  const auto t = decode_record(encode_record({}, trend));
  ASSERT_TRUE(t.ok());
  const MappedRecord m = mapper.map(t.record);
  EXPECT_FALSE(m.had_basic_values);
  EXPECT_TRUE(m.readings.empty());
  // The trend did not consume the NIBP result: the first displayed record announces it.
  EXPECT_EQ(nibp_count(mapper.map(decoded(typical_reply()))), 3u);
}

// Encoder -> random chunking -> deframer -> decoder -> mapper, over a short session.
TEST(S5ReadingMapper, EndToEndThroughRandomChunking) {
  std::string wire;
  for (std::uint32_t i = 0; i < 12; ++i) {
    // A new NIBP every 4 records (its time 5 s before the record), HR climbing by 1.
    auto reply = typical_reply(kRecordTime + 10 * i, kRecordTime + 10 * (i - i % 4) - 5);
    reply.basic.ecg_hr = static_cast<std::int16_t>(60 + i);
    reply.basic.nibp_sys = to_centi(120 + i);
    wire += encode_displayed_values(reply);
  }
  std::mt19937 rng(7);
  S5Deframer deframer;
  S5ReadingMapper mapper{std::string(kSource)};
  std::vector<double> hr;
  std::vector<double> sys;
  for (std::size_t at = 0; at < wire.size();) {
    const std::size_t n = std::uniform_int_distribution<std::size_t>(1, 700)(rng);
    std::vector<std::string> records;
    deframer.feed(std::string_view(wire).substr(at, n), records);
    at += n;
    for (const auto& rec : records) {
      const DecodeResult r = decode_record(rec);
      ASSERT_TRUE(r.ok());
      const MappedRecord m = mapper.map(r.record);
      for (const Reading* x : of_kind(m, VitalKind::HeartRate)) hr.push_back(x->value);
      for (const Reading* x : of_kind(m, VitalKind::NibpSys)) sys.push_back(x->value);
    }
  }
  ASSERT_EQ(hr.size(), 12u);
  for (std::size_t i = 0; i < hr.size(); ++i) EXPECT_DOUBLE_EQ(hr[i], 60.0 + i);
  EXPECT_EQ(sys, (std::vector<double>{120, 124, 128}));
  EXPECT_EQ(deframer.counters().bad_frames(), 0u);
}

}  // namespace
}  // namespace vigil::datex
