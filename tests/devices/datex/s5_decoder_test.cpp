// Decoder: values come back from encoded records; malformed records give errors, not UB.
#include <gtest/gtest.h>

#include "datex/s5_decoder.hpp"
#include "datex/s5_encoder.hpp"
#include "s5_test_support.hpp"

namespace vigil::datex {
namespace {

using test::kNibpTime;
using test::kRecordTime;
using test::typical_physdata;
using test::typical_reply;

// Encodes a reply and strips the framing again through the deframer.
std::string record_of(const DisplayedValuesReply& reply) {
  S5Deframer d;
  auto records = test::deframe_all(encode_displayed_values(reply), d);
  return records.size() == 1 ? records[0] : std::string();
}

TEST(S5Decoder, DisplayedValuesRoundTrip) {
  const auto reply = typical_reply();
  const DecodeResult r = decode_record(record_of(reply));
  ASSERT_TRUE(r.ok()) << to_string(r.error);
  EXPECT_TRUE(r.record.is_phdb());
  EXPECT_EQ(r.record.header.r_time, kRecordTime);
  EXPECT_EQ(r.record.header.dri_level, 10);
  ASSERT_EQ(r.record.header.subrecords.size(), 2u);
  EXPECT_EQ(r.record.header.subrecords[1].offset, kPhdbSubrecordSize);
  ASSERT_EQ(r.record.phdb.size(), 1u);
  EXPECT_EQ(r.record.phdb[0].time, kRecordTime);
  ASSERT_TRUE(r.record.phdb[0].basic.has_value());
  EXPECT_EQ(*r.record.phdb[0].basic, typical_physdata());
  EXPECT_EQ(r.record.nibp_time, std::optional<std::uint32_t>(kNibpTime));
  EXPECT_FALSE(r.record.request.has_value());
}

TEST(S5Decoder, ValuesInterpretToCanonicalUnits) {
  const BasicPhysdata b = typical_physdata();
  EXPECT_DOUBLE_EQ(interpret(b.nibp, b.nibp_sys, 0.01).value, 128.0);
  EXPECT_DOUBLE_EQ(interpret(b.spo2, b.spo2_pct, 0.01).value, 97.5);
  EXPECT_DOUBLE_EQ(interpret(b.temp[0], b.temp_c[0], 0.01).value, 36.6);
}

TEST(S5Decoder, SpecialValuesAndStatusBitsGiveReasons) {
  const GroupHeader ok = active_group();
  EXPECT_EQ(interpret(ok, -32767, 1).state, ValueState::Invalid);
  EXPECT_EQ(interpret(ok, -32766, 1).state, ValueState::NotUpdated);
  EXPECT_EQ(interpret(ok, -32765, 1).state, ValueState::Discontinuity);
  EXPECT_EQ(interpret(ok, -32764, 1).state, ValueState::UnderRange);
  EXPECT_EQ(interpret(ok, -32763, 1).state, ValueState::OverRange);
  EXPECT_EQ(interpret(ok, -32762, 1).state, ValueState::NotCalibrated);
  EXPECT_EQ(interpret(ok, -32001, 1).state, ValueState::OtherSpecial);
  EXPECT_EQ(interpret(ok, -32768, 1).state, ValueState::OtherSpecial);
  EXPECT_TRUE(interpret(ok, -32000, 1).ok());
  EXPECT_EQ(interpret(GroupHeader{0, 0}, 50, 1).state, ValueState::ModuleAbsent);
  EXPECT_EQ(interpret(GroupHeader{kStatusExists, 0}, 50, 1).state, ValueState::Inactive);
}

TEST(S5Decoder, ClassComesFromClassWordNotPosition) {
  // An ext1 subrecord whose physdata would read as a plausible basic class comes first.
  BasicPhysdata decoy = typical_physdata();
  decoy.ecg_hr = 180;
  const std::string decoy_physdata =
      encode_basic_phdb_subrecord(1, decoy).substr(kPhysdataOffset, kPhysdataSize);
  const std::vector<SubrecordBytes> subs = {
      {1, encode_raw_phdb_subrecord(kRecordTime, PhdbClass::Ext1, decoy_physdata)},
      {1, encode_basic_phdb_subrecord(kRecordTime, typical_physdata())},
  };
  const DecodeResult r = decode_record(encode_record({}, subs));
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.record.phdb.size(), 2u);
  EXPECT_EQ(r.record.phdb[0].phdb_class, PhdbClass::Ext1);
  EXPECT_FALSE(r.record.phdb[0].basic.has_value());
  const PhdbSubrecord* basic = find_basic_displayed(r.record);
  ASSERT_NE(basic, nullptr);
  EXPECT_EQ(basic->basic->ecg_hr, 72);
}

TEST(S5Decoder, RequestRecordDecodes) {
  const DecodeResult r =
      decode_record(encode_request_record(PhdbRecordType::Displayed, 10, kAllExtendedClasses));
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(r.record.request.has_value());
  EXPECT_EQ(r.record.request->record_type, 1);
  EXPECT_EQ(r.record.request->interval_s, 10);
  EXPECT_EQ(r.record.request->class_bits, kAllExtendedClasses);
  EXPECT_TRUE(r.record.phdb.empty());
}

TEST(S5Decoder, ShortAndLongRecordsAreErrors) {
  EXPECT_EQ(decode_record("").error, DecodeError::TooShort);
  EXPECT_EQ(decode_record(std::string(39, '\0')).error, DecodeError::TooShort);
  EXPECT_EQ(decode_record(std::string(kMaxRecordSize + 1, '\0')).error, DecodeError::TooLong);
}

TEST(S5Decoder, LengthMismatchIsAnError) {
  std::string r = record_of(typical_reply());
  r[0] = static_cast<char>(r[0] + 1);
  EXPECT_EQ(decode_record(r).error, DecodeError::LengthMismatch);
}

TEST(S5Decoder, OffsetsOutsideTheDataAreaAreErrors) {
  std::string r = record_of(typical_reply());
  std::string beyond = r;
  beyond[16 + 3] = static_cast<char>(0xFF);  // sr_desc[1].offset = 0x05FF, past the end
  beyond[16 + 4] = static_cast<char>(0x05);
  EXPECT_EQ(decode_record(beyond).error, DecodeError::BadSubrecordOffset);
  std::string backwards = r;
  backwards[16] = 10;     // sr_desc[0].offset 10
  backwards[16 + 3] = 5;  // sr_desc[1].offset 5: before its predecessor
  backwards[16 + 4] = 0;
  EXPECT_EQ(decode_record(backwards).error, DecodeError::BadSubrecordOffset);
}

TEST(S5Decoder, TruncatedSubrecordsAreErrors) {
  const std::vector<SubrecordBytes> short_phdb = {{1, std::string(kPhdbSubrecordSize - 1, '\0')}};
  EXPECT_EQ(decode_record(encode_record({}, short_phdb)).error, DecodeError::SubrecordTooShort);
  const std::vector<SubrecordBytes> short_aux = {{4, std::string(3, '\0')}};
  EXPECT_EQ(decode_record(encode_record({}, short_aux)).error, DecodeError::SubrecordTooShort);
  const std::vector<SubrecordBytes> short_request = {{0, std::string(8, '\0')}};
  EXPECT_EQ(decode_record(encode_record({}, short_request)).error, DecodeError::SubrecordTooShort);
}

TEST(S5Decoder, EightSubrecordsNeedNoTerminator) {
  std::vector<SubrecordBytes> subs(8, SubrecordBytes{4, encode_aux_subrecord(7)});
  subs[7] = {1, encode_basic_phdb_subrecord(kRecordTime, typical_physdata())};
  const DecodeResult r = decode_record(encode_record({}, subs));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.record.header.subrecords.size(), 8u);
  EXPECT_EQ(r.record.phdb.size(), 1u);
  EXPECT_EQ(r.record.nibp_time, std::optional<std::uint32_t>(7));
}

TEST(S5Decoder, UnknownTypesAndOtherMainTypesAreSkipped) {
  const std::vector<SubrecordBytes> subs = {{9, "xyz"},
                                            {1, encode_basic_phdb_subrecord(1, typical_physdata())}};
  const DecodeResult r = decode_record(encode_record({}, subs));
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.record.unknown_subrecords, 1u);
  EXPECT_EQ(r.record.phdb.size(), 1u);

  RecordHeaderFields wave;
  wave.r_maintype = static_cast<std::uint16_t>(MainType::Waveform);
  const DecodeResult w = decode_record(encode_record(wave, subs));
  ASSERT_TRUE(w.ok());
  EXPECT_FALSE(w.record.is_phdb());
  EXPECT_TRUE(w.record.phdb.empty());
}

}  // namespace
}  // namespace vigil::datex
