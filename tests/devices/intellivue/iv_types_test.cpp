// FLOAT-Type, AbsoluteTime and MeasurementState: the value types every numeric goes through.
#include <gtest/gtest.h>

#include "intellivue/attributes.hpp"
#include "intellivue/iv_types.hpp"
#include "iv_test_support.hpp"

namespace vigil::intellivue {
namespace {

using test::from_hex;

// The FLOAT-Type examples of the PIPG ("FLOAT-Type": 32000e-3, 320e-1, 320e1, 32e2), as
// Koshsky/Intellivue-api pkg/intellivue/base/float_test.go lists them ("book 1".."book 4").
TEST(IvFloat, GuideExamplesDecode) {
  EXPECT_DOUBLE_EQ(decode_float(0xFD007D00).value, 32.0);  // exponent -3, mantissa 32000
  EXPECT_DOUBLE_EQ(decode_float(0xFF000140).value, 32.0);  // -1, 320
  EXPECT_DOUBLE_EQ(decode_float(0x01000140).value, 3200.0);
  EXPECT_DOUBLE_EQ(decode_float(0x02000020).value, 3200.0);
  EXPECT_TRUE(decode_float(0xFD007D00).is_number());
  EXPECT_EQ(encode_float(32000, -3), 0xFD007D00u);
}

TEST(IvFloat, MantissaIsSignedAndTenthsAreExact) {
  EXPECT_EQ(decode_float(encode_float(-5000, -1)).value, -500.0);
  EXPECT_EQ(decode_float(0x00FFFFFF).value, -1.0);             // mantissa 0xFFFFFF = -1
  EXPECT_EQ(decode_float(encode_float(366, -1)).value, 36.6);  // the double nearest 36.6
  EXPECT_EQ(decode_float(encode_float(975, -1)).value, 97.5);
  EXPECT_EQ(decode_float(encode_float(-8388605, 0)).value, -8388605.0);  // near the bottom
}

// Reserved mantissas (PIPG "FLOAT-Type"; Koshsky base/FLOATType.go mantissaNaN etc.): no
// value, whatever the exponent byte says.
TEST(IvFloat, SpecialValuesAreNotNumbers) {
  EXPECT_EQ(decode_float(0x007FFFFF).cls, FloatClass::NaN);
  EXPECT_EQ(decode_float(0x00800000).cls, FloatClass::NotAtResolution);
  EXPECT_EQ(decode_float(0x007FFFFE).cls, FloatClass::PlusInfinity);
  EXPECT_EQ(decode_float(0x00800002).cls, FloatClass::MinusInfinity);
  EXPECT_EQ(decode_float(0x00800001).cls, FloatClass::Reserved);
  EXPECT_EQ(decode_float(0xFE7FFFFF).cls, FloatClass::NaN);  // exponent ignored
  EXPECT_FALSE(decode_float(0x007FFFFF).is_number());
}

TEST(IvAbsoluteTime, BcdDateBecomesEpochMillis) {
  // 2025-10-09 08:15:30 = 1759997730 s (date -u -d ... +%s).
  const AbsoluteTime t = make_absolute_time(2025, 10, 9, 8, 15, 30);
  EXPECT_EQ(test::abs_time_bytes(t), from_hex("20 25 10 09 08 15 30 00"));
  EXPECT_EQ(absolute_time_to_ms(t, 0), 1759997730000);
  // A monitor clock one hour east of UTC shows 08:15 one hour earlier in UTC.
  EXPECT_EQ(absolute_time_to_ms(t, 60), 1759997730000 - 3600000);
  EXPECT_EQ(absolute_time_to_ms(make_absolute_time(2024, 2, 29, 23, 59, 58), 0), 1709251198000);
}

TEST(IvAbsoluteTime, NoTimeBadBcdAndImpossibleDatesAreRejected) {
  EXPECT_FALSE(absolute_time_to_ms(AbsoluteTime{}, 0));  // all 0xFF: the monitor has no time
  AbsoluteTime bad = make_absolute_time(2025, 10, 9, 8, 15, 30);
  bad.bcd[5] = 0x1A;  // not BCD
  EXPECT_FALSE(absolute_time_to_ms(bad, 0));
  EXPECT_FALSE(absolute_time_to_ms(make_absolute_time(2023, 2, 29, 0, 0, 0), 0));
  EXPECT_FALSE(absolute_time_to_ms(make_absolute_time(2025, 13, 1, 0, 0, 0), 0));
  EXPECT_FALSE(absolute_time_to_ms(make_absolute_time(2025, 1, 1, 24, 0, 0), 0));
}

// MeasurementState (PIPG "MeasurementState"; VSCaptureMP Class2.cs INVALID 0x8000 ...
// DEMO_DATA 0x0400): any bit of the top octet means "do not use".
TEST(IvMeasurementState, TopOctetMakesAValueInvalid) {
  EXPECT_TRUE(state_is_valid(0x0000));
  EXPECT_TRUE(state_is_valid(0x0080));  // validated data
  EXPECT_TRUE(state_is_valid(kStateMsmtOngoing));
  for (std::uint16_t bit : {kStateInvalid, kStateQuestionable, kStateUnavailable, kStateCalibrating,
                            kStateTestData, kStateDemoData, std::uint16_t{0x0200}, std::uint16_t{0x0100}}) {
    EXPECT_FALSE(state_is_valid(bit)) << bit;
  }
}

TEST(IvAttributes, NumericAndCompoundValuesEnforceTheirLengths) {
  NumericValue v;
  // NuObsValue HR 72 bpm: physio 0x4182, state 0, unit 0x0AA0, FLOAT 72.
  ASSERT_EQ(decode_numeric_value(from_hex("41 82 00 00 0a a0 00 00 00 48"), v), DecodeError::None);
  EXPECT_EQ(v.physio_id, 0x4182);
  EXPECT_EQ(v.unit_code, 0x0AA0);
  EXPECT_EQ(v.value.value, 72.0);
  EXPECT_EQ(decode_numeric_value(from_hex("41 82 00 00 0a a0 00 00 00"), v), DecodeError::LengthMismatch);

  std::vector<NumericValue> out;
  const std::string cmpd =
      test::nu_cmpd({test::nu_obs(0x4A05, 0, 0x0F20, 120), test::nu_obs(0x4A06, 0, 0x0F20, 80)});
  ASSERT_EQ(decode_compound_numeric(cmpd, out), DecodeError::None);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_TRUE(out[1].compound);
  EXPECT_EQ(out[1].value.value, 80.0);
  std::string lying = cmpd;
  lying[3] = 30;  // length says 30, count says 2 (20 bytes)
  EXPECT_EQ(decode_compound_numeric(lying, out), DecodeError::LengthMismatch);
  EXPECT_EQ(decode_compound_numeric(cmpd.substr(0, cmpd.size() - 1), out), DecodeError::LengthMismatch);
  EXPECT_EQ(decode_compound_numeric(from_hex("ff ff 00 00"), out), DecodeError::TooManyItems);
}

TEST(IvAttributes, AttributeListRejectsLengthsPastTheEnd) {
  std::vector<Ava> avas;
  const std::string ok_bytes = from_hex("00 02 00 0a  09 90 00 02 aa bb  f0 00 00 00");
  detail::IvReader ok(ok_bytes);
  ASSERT_EQ(read_attribute_list(ok, avas), DecodeError::None);
  ASSERT_EQ(avas.size(), 2u);
  EXPECT_EQ(avas[0].id, kAttrTimeStampAbs);
  EXPECT_EQ(avas[1].value.size(), 0u);

  const std::string past_bytes = from_hex("00 01 00 08  09 90 00 04 aa bb");
  detail::IvReader past(past_bytes);  // list length past the end
  EXPECT_EQ(read_attribute_list(past, avas), DecodeError::Truncated);
  const std::string inner_bytes = from_hex("00 01 00 06  09 90 00 09 aa bb");
  detail::IvReader inner(inner_bytes);  // AVA length past its list
  EXPECT_EQ(read_attribute_list(inner, avas), DecodeError::LengthMismatch);
  const std::string extra_bytes = from_hex("00 01 00 07  09 90 00 02 aa bb cc");
  detail::IvReader extra(extra_bytes);  // a stray byte in the list
  EXPECT_EQ(read_attribute_list(extra, avas), DecodeError::LengthMismatch);
  const std::string many_bytes = from_hex("01 00 00 00");
  detail::IvReader many(many_bytes);  // 256 attributes announced
  EXPECT_EQ(read_attribute_list(many, avas), DecodeError::TooManyItems);
}

TEST(IvAttributes, SystemModelIsKeptAsPrintableText) {
  SystemModel m;
  // Padded labels as a monitor sends them (NUL padding dropped, control bytes replaced).
  ASSERT_EQ(
      decode_system_model(test::system_model(std::string("Philips\0", 8), std::string("M8007A\x01", 7)), m),
      DecodeError::None);
  EXPECT_EQ(m.manufacturer, "Philips");
  EXPECT_EQ(m.model_number, "M8007A?");
  EXPECT_EQ(decode_system_model(from_hex("00 05 41"), m), DecodeError::Truncated);
}

}  // namespace
}  // namespace vigil::intellivue
