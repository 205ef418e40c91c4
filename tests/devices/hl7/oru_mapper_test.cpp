#include "hl7/oru_mapper.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <optional>

#include "hl7_samples.hpp"

namespace vigil::hl7 {
namespace {

using testing::load_sample;
using testing::oru_header;

constexpr WallMillis kIheTime = 1250139435000;          // 2009-08-13 09:57:15 +05:00
constexpr WallMillis kEfficiaNibpTime = 1399725870000;  // 2014-05-10 12:44:30 (no offset)
constexpr WallMillis kEfficiaObrTime = 1399725900000;   // 2014-05-10 12:45:00
constexpr WallMillis kHeaderTime = 1704164645000;       // 2024-01-02 03:04:05 (oru_header)

OruMapping map_text(const std::string& text, MapOptions options = {}) {
  Message m;
  EXPECT_EQ(m.parse(text), ParseError::None);
  OruMapping out;
  map_observations(m, options, out);
  return out;
}

const Reading* find(const OruMapping& m, VitalKind kind) {
  for (const Reading& r : m.readings) {
    if (r.kind == kind) return &r;
  }
  return nullptr;
}

TEST(OruMapper, IheNibpSample) {
  const OruMapping m = map_text(load_sample("ihe-pcd01-nibp.hl7"));
  ASSERT_EQ(m.readings.size(), 3u);
  const std::pair<VitalKind, double> expected[] = {
      {VitalKind::NibpSys, 120}, {VitalKind::NibpDia, 80}, {VitalKind::NibpMean, 100}};
  for (const auto& [kind, value] : expected) {
    const Reading* r = find(m, kind);
    ASSERT_NE(r, nullptr) << to_string(kind);
    EXPECT_DOUBLE_EQ(r->value, value);
    EXPECT_EQ(r->measured_at_ms, kIheTime);
    EXPECT_TRUE(r->valid);
    EXPECT_EQ(r->status, "R");
    EXPECT_EQ(r->source, "0123456789ABCDEF");
    EXPECT_TRUE(r->source_is_device) << "OBX-18 names the device";
    EXPECT_TRUE(r->bed.empty());
    EXPECT_EQ(r->received_at_ms, 0);
  }
  EXPECT_EQ(m.empty_observations, 2u);  // the device and NIBP group rows
  EXPECT_TRUE(m.unmapped.empty());
  EXPECT_EQ(m.observation_segments, 5u);
  EXPECT_EQ(m.identity.sending_application, "AcmeInc");
  EXPECT_EQ(m.identity.equipment_id, "0123456789ABCDEF");
  EXPECT_TRUE(m.identity.location.empty());
  EXPECT_EQ(m.identity.bed_key(), "0123456789ABCDEF");
  EXPECT_EQ(m.identity.source(), "0123456789ABCDEF");
}

TEST(OruMapper, EfficiaSample) {
  const OruMapping m = map_text(load_sample("philips-efficia-orf-r04.hl7"));
  EXPECT_TRUE(m.unmapped.empty());
  EXPECT_EQ(m.empty_observations, 0u);
  ASSERT_EQ(m.readings.size(), 7u);
  struct Want {
    VitalKind kind;
    double value;
    WallMillis at;
  };
  const Want wants[] = {
      {VitalKind::SpO2, 98, kEfficiaObrTime},          {VitalKind::NibpSys, 122, kEfficiaNibpTime},
      {VitalKind::NibpDia, 85, kEfficiaNibpTime},      {VitalKind::NibpMean, 98, kEfficiaObrTime},
      {VitalKind::PulseRate, 80, kEfficiaObrTime},     {VitalKind::RespRate, 20, kEfficiaObrTime},
      {VitalKind::Temperature, 37.4, kEfficiaObrTime},
  };
  for (const Want& w : wants) {
    const Reading* r = find(m, w.kind);
    ASSERT_NE(r, nullptr) << to_string(w.kind);
    EXPECT_DOUBLE_EQ(r->value, w.value) << to_string(w.kind);
    EXPECT_EQ(r->measured_at_ms, w.at) << to_string(w.kind);
    EXPECT_EQ(r->status, "F");
    EXPECT_TRUE(r->valid);
    EXPECT_EQ(r->source, "EfficiaCM");
    EXPECT_FALSE(r->source_is_device) << "MSH-3 names the application every Efficia sends";
  }
  EXPECT_EQ(m.identity.location, "LOCATION34");
  EXPECT_EQ(m.identity.location_raw, "^^LOCATION34");
  EXPECT_EQ(m.identity.sending_application, "EfficiaCM");
  EXPECT_TRUE(m.identity.equipment_id.empty());  // Efficia's OBX-17 is not OBX-18
  EXPECT_EQ(m.identity.bed_key(), "LOCATION34");
  EXPECT_EQ(m.identity.source(), "EfficiaCM");
}

TEST(OruMapper, DefaultOffsetForTimesWithoutOne) {
  MapOptions options;
  options.default_utc_offset_minutes = 120;
  const OruMapping m = map_text(load_sample("philips-efficia-orf-r04.hl7"), options);
  const Reading* sys = find(m, VitalKind::NibpSys);
  ASSERT_NE(sys, nullptr);
  EXPECT_EQ(sys->measured_at_ms, kEfficiaNibpTime - 120 * 60000);
}

TEST(OruMapper, TimeFallsBackObx14ThenObr7ThenMsh7) {
  const std::string obx = "OBX|1|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC||97|%|||||F|||";
  const std::string text = oru_header() + obx + "20240101000000\r" +     // own time
                           obx + "garbage\r" +                           // bad OBX-14, no OBR: MSH-7
                           "OBR|1||||||20240102000000\r" + obx + "\r" +  // OBR-7
                           obx + "2024130100\r";                         // bad OBX-14: OBR-7
  const OruMapping m = map_text(text);
  ASSERT_EQ(m.readings.size(), 4u);
  EXPECT_EQ(m.readings[0].measured_at_ms, 1704067200000);
  EXPECT_EQ(m.readings[1].measured_at_ms, kHeaderTime);
  EXPECT_EQ(m.readings[2].measured_at_ms, 1704153600000);
  EXPECT_EQ(m.readings[3].measured_at_ms, 1704153600000);
}

// A garbage OBX-14 keeps its fallback time, and is reported (with the time used) so the
// ACK can tell the sender; it was silently replaced.
TEST(OruMapper, AnUnreadableObx14IsReportedWithTheTimeUsed) {
  const std::string obx = "OBX|1|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC||97|%|||||F|||";
  const std::string text = oru_header() + obx + "garbage\r" +                          // MSH-7
                           "OBR|1||||||20240102000000\r" + obx + "20240102000000\r" +  // fine
                           obx + "^S\r" +                                              // not sent
                           obx + "2024130100\r";                                       // OBR-7
  const OruMapping m = map_text(text);
  ASSERT_EQ(m.readings.size(), 4u);
  EXPECT_EQ(m.readings[0].measured_at_ms, kHeaderTime);
  EXPECT_EQ(m.readings[3].measured_at_ms, 1704153600000);
  EXPECT_TRUE(m.issues.empty());  // the values are good: nothing unreadable
  ASSERT_EQ(m.time_warnings_total, 2u);
  ASSERT_EQ(m.time_warnings.size(), 2u);
  EXPECT_EQ(m.time_warnings[0].obx, 1u);
  EXPECT_EQ(m.time_warnings[0].field, 14);
  EXPECT_EQ(m.time_warnings[0].error_code, 102);
  EXPECT_EQ(m.time_warnings[0].reason, "OBX-14 'garbage' is not a time Vigil can read; MSH-7 used instead");
  EXPECT_EQ(m.time_warnings[1].obx, 4u);
  EXPECT_EQ(m.time_warnings[1].reason,
            "OBX-14 '2024130100' is not a time Vigil can read; OBR-7 used instead");

  // Long values are clipped, never inside a character; control bytes do not reach the text.
  const OruMapping c = map_text(oru_header("bad") + obx + std::string(23, 'x') + "\xC3\xA9yyyy\\X0D\\\r");
  ASSERT_EQ(c.time_warnings.size(), 1u);
  EXPECT_EQ(c.time_warnings[0].reason,
            "OBX-14 '" + std::string(23, 'x') +
                "...' is not a time Vigil can read; the time it arrived used instead");
  const OruMapping r = map_text(oru_header() + obx + "a\\X0D\\b\r");
  ASSERT_EQ(r.time_warnings.size(), 1u);
  EXPECT_EQ(r.time_warnings[0].reason, "OBX-14 'a?b' is not a time Vigil can read; MSH-7 used instead");
}

TEST(OruMapper, NoParseableTimeGivesZero) {
  const OruMapping m =
      map_text(oru_header("bad") + "OBR|1||||||never\r" + "OBX|1|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC||97|%\r");
  ASSERT_EQ(m.readings.size(), 1u);
  EXPECT_EQ(m.readings[0].measured_at_ms, 0);
}

TEST(OruMapper, KpaAndFahrenheitAreConverted) {
  const OruMapping m =
      map_text(oru_header() +
               "OBX|1|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC||16|265987^MDC_DIM_KILO_PASCAL^MDC\r"
               "OBX|2|NM|150022^MDC_PRESS_BLD_NONINV_DIA^MDC||10.5|kPa^kPa^UCUM\r"
               "OBX|3|NM|150344^MDC_TEMP^MDC||98.6|[degF]^[degF]^UCUM\r"
               "OBX|4|NM|188424^MDC_TEMP_ORAL^MDC||100.4|266560^MDC_DIM_FAHR^MDC\r");
  ASSERT_EQ(m.readings.size(), 4u);
  EXPECT_NEAR(m.readings[0].value, 120.01, 0.01);
  EXPECT_NEAR(m.readings[1].value, 78.76, 0.01);
  EXPECT_NEAR(m.readings[2].value, 37.0, 1e-9);
  EXPECT_NEAR(m.readings[3].value, 38.0, 1e-9);
}

TEST(OruMapper, InvalidStatusesKeepTheReadingMarkedInvalid) {
  std::string text = oru_header();
  for (const char* status : {"F", "R", "C", "P", "S", "", "X", "N", "I", "Q"}) {
    text += std::string("OBX|1|NM|147842^MDC_ECG_HEART_RATE^MDC||72|/min|||||") + status + "\r";
  }
  const OruMapping m = map_text(text);
  ASSERT_EQ(m.readings.size(), 10u);
  for (std::size_t i = 0; i < 6; ++i) EXPECT_TRUE(m.readings[i].valid) << m.readings[i].status;
  for (std::size_t i = 6; i < 10; ++i) EXPECT_FALSE(m.readings[i].valid) << m.readings[i].status;
  EXPECT_EQ(m.readings[6].status, "X");
  EXPECT_EQ(m.readings[7].status, "N");
}

// D (deleted) and W (wrong) take a value back: each is a withdrawal (reading.hpp), never a
// value: invalid, its status kept, its value when it reads (NaN when it does not: the stamp
// alone names what is taken back), and no error (the device did right).
TEST(OruMapper, AValueTheDeviceWithdrawsIsAWithdrawalNotAValue) {
  const OruMapping m = map_text(oru_header() +
                                "OBX|1|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC||150|mm[Hg]|||||W\r"
                                "OBX|2|NM|147842^MDC_ECG_HEART_RATE^MDC||72|/min|||||D\r"
                                "OBX|3|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC||97|%|||||F\r"
                                "OBX|4|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC||70|%|||||w\r"
                                "OBX|5|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC||71|%||||| D \r"
                                "OBX|6|NM|150022^MDC_PRESS_BLD_NONINV_DIA^MDC||||||||W\r");
  ASSERT_EQ(m.readings.size(), 6u);
  EXPECT_TRUE(m.unmapped.empty());
  EXPECT_TRUE(m.issues.empty());
  EXPECT_EQ(m.readings[0].kind, VitalKind::NibpSys);
  EXPECT_EQ(m.readings[0].value, 150);
  EXPECT_TRUE(is_withdrawal(m.readings[0]));
  EXPECT_TRUE(is_withdrawal(m.readings[1]));
  EXPECT_FALSE(is_withdrawal(m.readings[2]));
  EXPECT_TRUE(m.readings[2].valid);
  EXPECT_TRUE(is_withdrawal(m.readings[3])) << "lower case withdraws too";
  EXPECT_TRUE(is_withdrawal(m.readings[4])) << "blanks around the code withdraw too";
  EXPECT_EQ(m.readings[5].kind, VitalKind::NibpDia);
  EXPECT_TRUE(is_withdrawal(m.readings[5]));
  EXPECT_TRUE(std::isnan(m.readings[5].value));
  for (const Reading& r : m.readings) EXPECT_EQ(r.measured_at_ms, m.readings[0].measured_at_ms);
}

// HL7's explicit null ("") in OBX-5 is no value, like an empty one: it was an unreadable
// value (ERR W and a MEDIUM T8 "sends data Vigil cannot read").
TEST(OruMapper, AnExplicitNullValueIsNoValue) {
  const OruMapping m = map_text(oru_header() +
                                "OBX|1|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC||\"\"|%\r"
                                "OBX|2|NM|147842^MDC_ECG_HEART_RATE^MDC||72|/min\r");
  ASSERT_EQ(m.readings.size(), 1u);
  EXPECT_EQ(m.readings[0].kind, VitalKind::HeartRate);
  EXPECT_EQ(m.empty_observations, 1u);
  EXPECT_TRUE(m.unmapped.empty());
  EXPECT_EQ(m.issues_total, 0u);
}

TEST(OruMapper, WhatCannotBeMappedIsKeptVerbatim) {
  const OruMapping m =
      map_text(oru_header() +
               "OBX|1|NM|150017^MDC_PRESS_BLD_SYS^MDC||120|266016^MDC_DIM_MMHG^MDC\r"      // trap
               "OBX|2|NM|150033^MDC_PRESS_BLD_ART_SYS^MDC||118|266016^MDC_DIM_MMHG^MDC\r"  // trap
               "OBX|3|NM|999999^MDC_UNKNOWN^MDC||1|%\r"                                    // unknown
               "OBX|4|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC||97|mg\r"                         // bad unit
               "OBX|5|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC||97|\r"     // no unit: % is the only one
               "OBX|6|ST|150456^MDC_PULS_OXIM_SAT_O2^MDC||97|%\r"    // ST with a number: read
               "OBX|7|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC||high|%\r"  // not a number
               "OBX|8||150456^MDC_PULS_OXIM_SAT_O2^MDC||96|%\r"      // empty type ok
               "OBX|9|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC|||%\r"      // empty value
               "OBX|10|NM|150344^MDC_TEMP^MDC||37|%\r");             // wrong unit
  ASSERT_EQ(m.readings.size(), 3u);
  EXPECT_DOUBLE_EQ(m.readings[2].value, 96);
  EXPECT_EQ(m.empty_observations, 1u);
  ASSERT_EQ(m.unmapped.size(), 6u);
  EXPECT_EQ(m.unmapped[0].code, "150017^MDC_PRESS_BLD_SYS^MDC");
  EXPECT_EQ(m.unmapped[0].value, "120");
  EXPECT_EQ(m.unmapped[0].unit, "266016^MDC_DIM_MMHG^MDC");
  EXPECT_EQ(m.unmapped[0].measured_at_ms, kHeaderTime);
  EXPECT_EQ(m.unmapped[0].source, "MON");
  EXPECT_EQ(m.unmapped[0].reason, "known, not tracked by Vigil");
  EXPECT_EQ(m.unmapped[4].value, "high");
  EXPECT_EQ(m.unmapped[4].reason, "OBX-5 'high' is not a number");
  EXPECT_EQ(m.unmapped[3].reason, "OBX-6 unit 'mg' is not one Vigil knows");
  EXPECT_EQ(m.unmapped[5].reason, "OBX-6 unit '%' does not fit TEMP");
  // Unreadable: the bad unit, the text, the wrong unit (the traps and the unknown MDC code
  // are known terminology, not tracked).
  ASSERT_EQ(m.issues_total, 3u);
  EXPECT_EQ(m.issues[0].obx, 4u);
  EXPECT_EQ(m.issues[0].field, 6);
  EXPECT_EQ(m.issues[1].obx, 7u);
  EXPECT_EQ(m.issues[1].field, 5);
}

TEST(OruMapper, EscapedValuesAreUnescapedInUnmapped) {
  const OruMapping m = map_text(oru_header() + "OBX|1|ST|X\\S\\Y^note||a\\F\\b\\.br\\c|\r");
  ASSERT_EQ(m.unmapped.size(), 1u);
  EXPECT_EQ(m.unmapped[0].code, "X^Y^note");
  EXPECT_EQ(m.unmapped[0].value, "a|b\nc");
}

TEST(OruMapper, MindrayAndCustomEncoding) {
  const std::string text =
      "MSH#@*$%#MR@X##VIGIL##20240102030405##ORU@R01#9#P#2.3.1\r"
      "PV1###3 WEST ICU@3001@1\r"
      "OBX#1#NM#170@Sys##118#mmHg#####F\r"
      "OBX#2#NM#171@Dia##76#mmHg#####F\r"
      "OBX#3#NM#101@HR##64#bpm#####F#######EQ$S$1@X\r";
  const OruMapping m = map_text(text);
  ASSERT_EQ(m.readings.size(), 3u);
  EXPECT_EQ(m.readings[0].kind, VitalKind::NibpSys);
  EXPECT_DOUBLE_EQ(m.readings[0].value, 118);
  EXPECT_EQ(m.readings[2].kind, VitalKind::HeartRate);
  EXPECT_EQ(m.identity.location, "3 WEST ICU/3001/1");
  EXPECT_EQ(m.identity.location_raw, "3 WEST ICU@3001@1");
  EXPECT_EQ(m.identity.equipment_id, "EQ@1");
  EXPECT_EQ(m.identity.bed_key(), "3 WEST ICU/3001/1");
  EXPECT_EQ(m.readings[0].source, "EQ@1");  // source is set on readings before OBX-18 too
}

TEST(OruMapper, OneChairCheckIsResetWhenReusing) {
  OruMapping out;
  Message two;
  const std::string text = oru_header() + "PID|||1\rPV1||I|A\rOBX|1|NM|150456||97|%\rPID|||2\rPV1||I|B\r" +
                           "OBX|2|NM|150456||95|%\r";
  ASSERT_EQ(two.parse(text), ParseError::None);
  map_observations_reusing(two, {}, out);
  EXPECT_EQ(
      out.not_one_chair,
      "message carries 2 patient groups (PV1-3 locations A and B); one chair per message is supported; not "
      "stored");
  Message one;
  const std::string single = oru_header() + "PID|||1\rPV1||I|A\rOBX|1|NM|150456||97|%\r";
  ASSERT_EQ(one.parse(single), ParseError::None);
  map_observations_reusing(one, {}, out);
  EXPECT_TRUE(out.not_one_chair.empty());
  EXPECT_EQ(out.readings.size(), 1u);
}

TEST(OruMapper, IdentityFallbacks) {
  const Delimiters d;
  EXPECT_EQ(location_name("^^LOCATION34", d), "LOCATION34");
  EXPECT_EQ(location_name("CHAIR3", d), "CHAIR3");
  EXPECT_EQ(location_name("SURGERY^^V2", d), "SURGERY/V2");
  EXPECT_EQ(location_name("", d), "");
  // Blanks around a component are not part of the name; blanks alone and HL7's explicit
  // null "" name nothing (a chair called "" or " " would be an empty row on the board).
  EXPECT_EQ(location_name(" C1 ", d), "C1");
  EXPECT_EQ(location_name("^^ \t ", d), "");
  EXPECT_EQ(location_name("\"\"", d), "");
  EXPECT_EQ(location_name("3 WEST^ ^\"\"^ 1", d), "3 WEST/1");
  EXPECT_EQ(first_nonempty_component(" ^\"\"^ EfficiaCM ", d), "EfficiaCM");
  EXPECT_EQ(first_nonempty_component("\"\"", d), "");
  EXPECT_EQ(first_nonempty_component("^EfficiaCM", d), "EfficiaCM");
  EXPECT_EQ(first_nonempty_component("AcmeInc^ACDE48234567ABCD^EUI-64", d), "AcmeInc");
  DeviceIdentity id;
  id.sending_facility = "FAC";
  EXPECT_EQ(id.bed_key(), "FAC");
  EXPECT_EQ(id.source(), "FAC");
  id.sending_application = "APP";
  EXPECT_EQ(id.bed_key(), "APP");
  EXPECT_EQ(id.source(), "APP");
  id.equipment_id = "EQ";
  EXPECT_EQ(id.bed_key(), "EQ");
  EXPECT_EQ(id.source(), "EQ");
  id.location = "LOC";
  EXPECT_EQ(id.bed_key(), "LOC");
  EXPECT_EQ(id.source(), "EQ");
}

}  // namespace
}  // namespace vigil::hl7
