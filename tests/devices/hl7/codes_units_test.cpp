#include <gtest/gtest.h>

#include "hl7/mdc_codes.hpp"
#include "hl7/units.hpp"
#include "hl7/vendor_codes.hpp"
#include "hl7_samples.hpp"

namespace vigil::hl7 {
namespace {

using testing::kStd;

void expect_vital(std::string_view obx3, VitalKind kind) {
  const CodeLookup hit = resolve_observation_id(obx3, kStd);
  EXPECT_EQ(hit.match, CodeMatch::Vital) << obx3;
  EXPECT_EQ(hit.kind, kind) << obx3;
}

void expect_not_vital(std::string_view obx3) {
  EXPECT_NE(resolve_observation_id(obx3, kStd).match, CodeMatch::Vital) << obx3;
}

TEST(MdcCodes, NumericCodeOrReferenceIdEither) {
  expect_vital("150021^MDC_PRESS_BLD_NONINV_SYS^MDC", VitalKind::NibpSys);
  expect_vital("150022", VitalKind::NibpDia);
  expect_vital("^MDC_PRESS_BLD_NONINV_MEAN^MDC", VitalKind::NibpMean);
  expect_vital("MDC_PRESS_CUFF_SYS", VitalKind::NibpSys);
  expect_vital("150031^MDC_PRESS_CUFF_SYS^MDC", VitalKind::NibpSys);  // unknown code, known id
  expect_vital("150302^MDC_PRESS_CUFF_DIA^MDC", VitalKind::NibpDia);
  expect_vital("^MDC_PRESS_CUFF_MEAN^MDC", VitalKind::NibpMean);
  expect_vital("147842^MDC_ECG_HEART_RATE^MDC", VitalKind::HeartRate);
  expect_vital("^MDC_ECG_CARD_BEAT_RATE^MDC", VitalKind::HeartRate);
  for (const char* c : {"149530", "149538", "149546", "149514"}) {
    expect_vital(c, VitalKind::PulseRate);
  }
  expect_vital("^MDC_PULS_RATE_NON_INV^MDC", VitalKind::PulseRate);
  expect_vital("150456^MDC_PULS_OXIM_SAT_O2^MDC", VitalKind::SpO2);
  for (const char* c : {"151562", "151570", "151578"}) expect_vital(c, VitalKind::RespRate);
  expect_vital("150344^MDC_TEMP^MDC", VitalKind::Temperature);
  expect_vital("188424^MDC_TEMP_ORAL^MDC", VitalKind::Temperature);
  expect_vital("^MDC_TEMP_BODY^MDC", VitalKind::Temperature);
}

TEST(MdcCodes, TrapsAreNotNibp) {
  for (const char* c :
       {"150017^MDC_PRESS_BLD_SYS^MDC", "150018^MDC_PRESS_BLD_DIA^MDC", "150019^MDC_PRESS_BLD_MEAN^MDC",
        "150033^MDC_PRESS_BLD_ART_SYS^MDC", "150034", "150035", "^MDC_PRESS_BLD_ART_MEAN^MDC", "150020",
        // a trap code is not rescued by a NIBP-looking text
        "150017^MDC_PRESS_BLD_NONINV_SYS^MDC", "150388^MDC_TEMP_SKIN^MDC"}) {
    expect_not_vital(c);
  }
}

TEST(MdcCodes, PhilipsMdilHexAndLabels) {
  EXPECT_EQ(parse_mdil_hex("0002-4a05"), 150021u);
  EXPECT_EQ(parse_mdil_hex("0004-0F20"), 266016u);
  EXPECT_FALSE(parse_mdil_hex("0002-4a0g"));
  EXPECT_FALSE(parse_mdil_hex("00024a05"));
  expect_vital("0002-4a05^NBPs^MDIL", VitalKind::NibpSys);
  expect_vital("0002-4bb8^SpO2^MDIL", VitalKind::SpO2);
  expect_vital("0002-480a^Pulse^MDIL", VitalKind::PulseRate);
  expect_vital("0002-5000^Resp^MDIL", VitalKind::RespRate);   // by label
  expect_vital("0002-f0c7^T1^MDIL", VitalKind::Temperature);  // private term, by label
  expect_vital("0002-4182^HR^MDIL", VitalKind::HeartRate);
  expect_vital("0002-4a0f^NBPs^MDIL", VitalKind::NibpSys);  // unknown term, NIBP label
  expect_not_vital("0002-4a0f^ABPs^MDIL");                  // arterial: not ours
  expect_not_vital("0002-4a0f^MDC_PRESS_BLD_ART_SYS^MDIL");
  expect_not_vital("X^NBPs^LN");  // label alone, not MDIL
}

TEST(MdcCodes, MindrayLocalNeedsCodeAndLabel) {
  expect_vital("101^HR", VitalKind::HeartRate);
  expect_vital("160^SpO2", VitalKind::SpO2);
  expect_vital("161^PR", VitalKind::PulseRate);
  expect_vital("170^Sys", VitalKind::NibpSys);
  expect_vital("171^Dia", VitalKind::NibpDia);
  expect_vital("172^Mean", VitalKind::NibpMean);
  expect_not_vital("999^HR");
  expect_not_vital("101^Sys");
}

TEST(MdcCodes, NihonKohdenLocalCodesNeedCodeAndLabel) {
  expect_vital("001000^VITAL HR", VitalKind::HeartRate);
  expect_vital("007000^VITAL SpO2", VitalKind::SpO2);
  expect_vital("007001^VITAL PR(spo2)", VitalKind::PulseRate);
  expect_vital("009000^NIBP SYS", VitalKind::NibpSys);
  expect_vital("009001^NIBP DIAS", VitalKind::NibpDia);
  expect_vital("009002^NIBP MEAN", VitalKind::NibpMean);
  expect_vital("014000^VITAL TRECT", VitalKind::Temperature);
  // Known and not charted: a definite answer, not "unknown".
  EXPECT_EQ(resolve_observation_id("072007^VITAL rPR(spo2)", kStd).match, CodeMatch::NotVital);
  EXPECT_EQ(resolve_observation_id("009000^NIBP DIAS", kStd).match, CodeMatch::Unknown);
  EXPECT_EQ(resolve_observation_id("001000^HR", kStd).match, CodeMatch::Unknown);
  // No unit is implied: Nihon Kohden sends OBX-6, and a temperature's unit is never guessed.
  EXPECT_TRUE(resolve_observation_id("014000^VITAL TRECT", kStd).implied_unit.empty());
}

TEST(MdcCodes, AlternateIdentifierIsTried) {
  expect_vital("X1^local^99LOCAL^150456^MDC_PULS_OXIM_SAT_O2^MDC", VitalKind::SpO2);
  // The alternate triplet is read in its own coding system, as the first one is.
  expect_vital("150456^rSO2^99LOCAL^150456^MDC_PULS_OXIM_SAT_O2^MDC", VitalKind::SpO2);
  expect_not_vital("X1^local^99LOCAL^150456^MDC_PULS_OXIM_SAT_O2^99LOCAL");
}

TEST(MdcCodes, MdcTableOnlyForTheMdcCodingSystem) {
  // A number or name that happens to be an MDC code means nothing in another coding system:
  // a cerebral oximeter's local 150456 is not SpO2.
  for (const char* c :
       {"150456^Cerebral oximetry rSO2^99LOCAL", "147842^MDC_ECG_HEART_RATE^LN", "0002-4182^HR^99PHI",
        "^MDC_ECG_HEART_RATE^L", "150021^NIBP^99VENDOR", "0002-4a05^NBPs^L"}) {
    EXPECT_EQ(resolve_observation_id(c, kStd).match, CodeMatch::Unknown) << c;
    EXPECT_FALSE(is_recognised_identifier(c, kStd)) << c;
  }
  EXPECT_EQ(mdc_code_in_other_system("150456^Cerebral oximetry rSO2^99LOCAL", kStd),
            "code 150456 in coding system 99LOCAL is not MDC");
  EXPECT_EQ(mdc_code_in_other_system("0002-4182^HR^99PHI", kStd),
            "code 0002-4182 in coding system 99PHI is not MDC");
  EXPECT_EQ(mdc_code_in_other_system("^MDC_ECG_HEART_RATE^LN", kStd),
            "code MDC_ECG_HEART_RATE in coding system LN is not MDC");
  // Likewise a LOINC code is LOINC only under LN (or no system).
  EXPECT_EQ(resolve_observation_id("8867-4^HR^99LOCAL", kStd).match, CodeMatch::Unknown);
  EXPECT_FALSE(is_recognised_identifier("8867-4^HR^99LOCAL", kStd));
  EXPECT_EQ(mdc_code_in_other_system("99HR^Heart Rate^99LOCAL", kStd), "");
  EXPECT_EQ(mdc_code_in_other_system("150456^SpO2^MDC", kStd), "");
  // MDC in any case, MDIL (Philips' hex MDC) and an omitted system keep working.
  expect_vital("150456^MDC_PULS_OXIM_SAT_O2^mdc", VitalKind::SpO2);
  expect_vital("147842^HR^Mdc", VitalKind::HeartRate);
  expect_vital("150456^SpO2", VitalKind::SpO2);
  expect_vital("0002-4182^HR^MDIL", VitalKind::HeartRate);
  expect_vital("0002-4a05^NBPs", VitalKind::NibpSys);
  EXPECT_TRUE(names_mdc("MDC"));
  EXPECT_TRUE(names_mdc("mdc"));
  EXPECT_FALSE(names_mdc(""));
  EXPECT_FALSE(names_mdc("MDCX"));
  EXPECT_FALSE(names_mdc("ISO11073"));
}

TEST(Units, ResolvesEverySpelling) {
  const std::pair<const char*, Unit> cases[] = {
      {"266016^MDC_DIM_MMHG^MDC", Unit::MmHg},
      {"mm[Hg]^mm[Hg]^UCUM", Unit::MmHg},
      {"0004-0f20^mmHg^MDIL", Unit::MmHg},
      {"^mmHg", Unit::MmHg},
      {"265987^MDC_DIM_KILO_PASCAL^MDC", Unit::KiloPascal},
      {"kPa", Unit::KiloPascal},
      {"268192^MDC_DIM_DEGC^MDC", Unit::DegC},
      {"Cel^Cel^UCUM", Unit::DegC},
      {"0004-1710^C^MDIL", Unit::DegC},
      {"266560^MDC_DIM_FAHR^MDC", Unit::DegF},
      {"[degF]^[degF]^UCUM", Unit::DegF},
      {"264864^MDC_DIM_BEAT_PER_MIN^MDC", Unit::PerMinute},
      {"/min", Unit::PerMinute},
      {"0004-0aa0^bpm^MDIL", Unit::PerMinute},
      {"0004-0ae0^rpm^MDIL", Unit::PerMinute},
      {"262688^MDC_DIM_PERCENT^MDC", Unit::Percent},
      {"%", Unit::Percent},
      {"0004-0220^%^MDIL", Unit::Percent},
      // Padding around a component, as some senders write it: "mmHg " was refused (AE, T8).
      {"mmHg ", Unit::MmHg},
      {" 266016 ^MDC_DIM_MMHG^MDC", Unit::MmHg},
      {"^ % ", Unit::Percent},
  };
  for (const auto& [text, unit] : cases) {
    const auto got = resolve_unit(text, kStd);
    ASSERT_TRUE(got.has_value()) << text;
    EXPECT_EQ(*got, unit) << text;
  }
  for (const char* unknown : {"", "mg", "999999^MDC_DIM_X^MDC", "cmH2O"}) {
    EXPECT_FALSE(resolve_unit(unknown, kStd).has_value()) << unknown;
  }
}

TEST(Units, Conversions) {
  EXPECT_DOUBLE_EQ(*to_canonical(VitalKind::NibpSys, Unit::KiloPascal, 16.0), 16.0 * 7.50062);
  EXPECT_DOUBLE_EQ(*to_canonical(VitalKind::NibpDia, Unit::MmHg, 80.0), 80.0);
  EXPECT_DOUBLE_EQ(*to_canonical(VitalKind::Temperature, Unit::DegF, 98.6), 37.0);
  EXPECT_DOUBLE_EQ(*to_canonical(VitalKind::Temperature, Unit::DegC, 37.4), 37.4);
  EXPECT_FALSE(to_canonical(VitalKind::HeartRate, Unit::Percent, 80));
  EXPECT_FALSE(to_canonical(VitalKind::SpO2, Unit::PerMinute, 98));
  EXPECT_FALSE(to_canonical(VitalKind::Temperature, Unit::KiloPascal, 37));
}

TEST(Units, NumericValues) {
  EXPECT_EQ(parse_hl7_number("120"), 120.0);
  EXPECT_EQ(parse_hl7_number(" 37.4 "), 37.4);
  EXPECT_EQ(parse_hl7_number("-1.5"), -1.5);
  EXPECT_EQ(parse_hl7_number("+2"), 2.0);
  EXPECT_EQ(parse_hl7_number(".5"), 0.5);
  EXPECT_EQ(parse_hl7_number("5."), 5.0);
  for (const char* bad : {"", " ", "-", ".", "1e3", "12a", "1.2.3", "0x10", "nan", "inf", "1 2", "120~80"}) {
    EXPECT_FALSE(parse_hl7_number(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace vigil::hl7
