// What the codec reads beyond plain MDC/NM, and what it refuses (with a reason): UCUM
// annotations and vendor unit spellings, LOINC and vendor local codes, SN, placeholders,
// physical ranges, non-numbers; the ACK it gives (AE with ERR per observation when none
// could be read, AA with ERR severity W when some could); and a site code map.
#include <gtest/gtest.h>

#include "hl7/ingest.hpp"
#include "hl7/mdc_codes.hpp"
#include "hl7/observation_value.hpp"
#include "hl7/units.hpp"
#include "hl7/vendor_codes.hpp"
#include "hl7_samples.hpp"

namespace vigil::hl7 {
namespace {

using testing::kStd;
using testing::oru_header;

TEST(Units, UcumAnnotationsAndVendorSpellings) {
  for (const char* u : {"{beat}/min", "{beats}/min", "{Beats}/min^{Beats}/min^UCUM", "{breath}/min", "bpm",
                        "BPM", "/min", "1/min", "^BPM", "Br/M", "beats/min"}) {
    EXPECT_EQ(resolve_unit(u, kStd), Unit::PerMinute) << u;
  }
  for (const char* u : {"%", "Percent", "%^%^UCUM"}) EXPECT_EQ(resolve_unit(u, kStd), Unit::Percent) << u;
  for (const char* u : {"mmHg", "mm[Hg]", "mm Hg"}) EXPECT_EQ(resolve_unit(u, kStd), Unit::MmHg) << u;
  EXPECT_EQ(resolve_unit("kPa", kStd), Unit::KiloPascal);
  for (const char* u : {"Cel", "degC", "DegC",
                        "\xC2\xB0"
                        "C",
                        "C"})
    EXPECT_EQ(resolve_unit(u, kStd), Unit::DegC) << u;
  for (const char* u : {"[degF]", "degF", "DegF"}) EXPECT_EQ(resolve_unit(u, kStd), Unit::DegF) << u;
  // An annotation alone is the unit 1, not a rate; unpaired braces are not UCUM.
  for (const char* u : {"{beats}", "{beat/min", "beat}/min", "{{x}}/min"})
    EXPECT_FALSE(resolve_unit(u, kStd)) << u;
}

TEST(ObservationValue, StrictNumbersOnly) {
  EXPECT_EQ(parse_strict_decimal("72"), 72.0);
  EXPECT_EQ(parse_strict_decimal(" 37.25 "), 37.25);
  EXPECT_EQ(parse_strict_decimal("-1.5"), -1.5);
  EXPECT_EQ(parse_strict_decimal(".5"), 0.5);
  for (const char* bad : {"12O", "7,2", "NaN", "nan", "inf", "-inf", "1e308", "1E3", "123456789012", "+72",
                          "0x48", "72.", "", " ", "-", ".", "7 2", "1234567"}) {
    if (std::string_view(bad) == "72.") continue;  // "72." is a decimal with an empty fraction: allowed
    EXPECT_FALSE(parse_strict_decimal(bad)) << bad;
  }
  EXPECT_EQ(parse_strict_decimal("72."), 72.0);
  EXPECT_EQ(parse_strict_decimal("37.200000000000003"), 37.200000000000003);  // a printed double
  EXPECT_FALSE(parse_strict_decimal("37.200000000000000031"));                // 18 decimals
}

TEST(ObservationValue, StructuredNumericAndPlaceholders) {
  EXPECT_EQ(read_obx_number("SN", "=^65", kStd).number, 65.0);
  EXPECT_EQ(read_obx_number("SN", "^65", kStd).number, 65.0);
  const ValueCheck less = read_obx_number("SN", "<^10", kStd);
  EXPECT_EQ(less.problem, ValueProblem::NotExact);
  EXPECT_EQ(less.reason, "OBX-5 SN '<^10' is not an exact value");
  EXPECT_EQ(read_obx_number("SN", "^1^-^2", kStd).problem, ValueProblem::NotExact);
  EXPECT_EQ(read_obx_number("SN", ">=^300", kStd).problem, ValueProblem::NotExact);
  for (const char* p : {"-999", "-99.9", "***", "---", "-9999", "?", "-100"}) {
    EXPECT_EQ(read_obx_number("NM", p, kStd).problem, ValueProblem::NoValue) << p;
  }
  const ValueCheck text = read_obx_number("NM", "12O", kStd);
  EXPECT_EQ(text.problem, ValueProblem::NotANumber);
  EXPECT_EQ(text.reason, "OBX-5 '12O' is not a number");
}

TEST(ObservationValue, PhysicalRanges) {
  EXPECT_TRUE(outside_physical_range(VitalKind::NibpSys, 400).empty());
  EXPECT_EQ(outside_physical_range(VitalKind::NibpSys, 401),
            "OBX-5 401 mmHg is outside what a body can produce for NIBP_SYS (0-400)");
  EXPECT_FALSE(outside_physical_range(VitalKind::SpO2, 100.5).empty());
  EXPECT_FALSE(outside_physical_range(VitalKind::HeartRate, -1).empty());
  EXPECT_FALSE(outside_physical_range(VitalKind::Temperature, 98.6).empty());  // degF sent as degC
  EXPECT_TRUE(outside_physical_range(VitalKind::Temperature, 37).empty());
}

TEST(VendorCodes, LoincAndVendorLocalCodes) {
  EXPECT_EQ(resolve_observation_id("8867-4^Heart rate^LN", kStd).kind, VitalKind::HeartRate);
  EXPECT_EQ(resolve_observation_id("8480-6^Systolic BP^LN", kStd).kind, VitalKind::NibpSys);
  EXPECT_EQ(resolve_observation_id("59408-5^SpO2^LN", kStd).kind, VitalKind::SpO2);
  // The alternate identifier (OBX-3.4-6) when the first is unknown.
  const CodeLookup alt = resolve_observation_id("X42^Puls^L^8889-8^Heart rate by Pulse oximetry^LN", kStd);
  EXPECT_EQ(alt.match, CodeMatch::Vital);
  EXPECT_EQ(alt.kind, VitalKind::PulseRate);
  EXPECT_EQ(resolve_observation_id("85354-9^BP panel^LN", kStd).match, CodeMatch::NotVital);
  // Mindray PDS: code and label together, with the unit the guide implies.
  const CodeLookup mindray = resolve_observation_id("170^Sys", kStd);
  EXPECT_EQ(mindray.kind, VitalKind::NibpSys);
  EXPECT_EQ(mindray.implied_unit, "mmHg");
  EXPECT_EQ(resolve_observation_id("200^T1", kStd).kind, VitalKind::Temperature);
  EXPECT_EQ(resolve_observation_id("151^RR", kStd).kind, VitalKind::RespRate);
  EXPECT_EQ(resolve_observation_id("999^HR", kStd).match, CodeMatch::Unknown);  // a bare label is not trusted
  EXPECT_EQ(resolve_observation_id("0002-4bb8^SpO2T^MDIL", kStd).kind, VitalKind::SpO2);
  EXPECT_EQ(resolve_observation_id("^MDC_TEMP_AXIL^MDC", kStd).kind, VitalKind::Temperature);
  EXPECT_EQ(resolve_observation_id("Heart Rate^Heart Rate^WAP", kStd).kind, VitalKind::HeartRate);
  EXPECT_EQ(resolve_observation_id("NIBP^NIBP^WAP", kStd, "DIA").kind, VitalKind::NibpDia);
  // Recognised but not tracked: never "unreadable".
  for (const char* c : {"500^ART-Sys", "108^MNDRY_ECG_PAUSE_RATE^99MNDRY", "148066^MDC_ECG_V_P_C_RATE^MDC",
                        "4548-4^HbA1c^LN"}) {
    EXPECT_TRUE(is_recognised_identifier(c, kStd)) << c;
  }
  EXPECT_FALSE(is_recognised_identifier("9001^SYS^LOCAL", kStd));
  // A local Mindray term that is not a known ECG count may be a vital sign: not silently known.
  EXPECT_FALSE(is_recognised_identifier("99MNDRY-NIBP-SYS^NIBP Sys^99MNDRY", kStd));
  // A system name without a code of that system's shape is not recognition.
  EXPECT_FALSE(is_recognised_identifier("HR^Heart Rate^MDC", kStd));
  EXPECT_FALSE(is_recognised_identifier("PAIN^Pain^LN", kStd));
}

TEST(VendorCodes, VendorsWithoutAPublishedTableAreNotGuessedFromLabels) {
  // No public guide or capture says what Dräger, Edan, Spacelabs or Comen feeds put in OBX-3
  // (tests/data/hl7/README.md). A label under the vendor's name must stay unknown, so it is
  // refused loudly (ERR, T8, vigilctl unmapped) until a site's code_map or a cited row says
  // what it is, rather than read as a plausible vital sign.
  for (const char* c : {"HR^Heart Rate^DRAEGER", "NBP-S^NBP Systolic^DRAEGER", "HR^Heart Rate^EDAN",
                        "NIBP_SYS^Systolic^EDAN", "HR^HR^SPACELABS", "SPO2^SpO2^COMEN"}) {
    EXPECT_EQ(resolve_observation_id(c, kStd).match, CodeMatch::Unknown) << c;
    EXPECT_FALSE(is_recognised_identifier(c, kStd)) << c;
  }
}

std::string msg(const std::string& obx_rows) { return oru_header() + "PV1||I|CHAIR12\r" + obx_rows; }

TEST(Unreadable, PulseInBeatPerMinuteIsRead) {
  const IngestResult r = ingest_message(
      msg("OBX|1|NM|149530^MDC_PULS_OXIM_PULS_RATE^MDC|1.1.1.1|72|{beat}/min^{beat}/min^UCUM|||||R\r"), {});
  ASSERT_EQ(r.code, AckCode::AA);
  ASSERT_EQ(r.readings.size(), 1u);
  EXPECT_EQ(r.readings[0].kind, VitalKind::PulseRate);
  EXPECT_EQ(r.readings[0].value, 72);
  EXPECT_TRUE(r.errors.empty());
}

TEST(Unreadable, MindrayLegacyCodesWithoutUnits) {
  const IngestResult r = ingest_message(msg("OBX||NM|101^HR|2101|60||||||F\r"
                                            "OBX||NM|170^Sys|2105|120||||||F\r"
                                            "OBX||NM|200^T1|2104|37.00||||||F\r"),
                                        {});
  ASSERT_EQ(r.code, AckCode::AA);
  ASSERT_EQ(r.readings.size(), 3u);
  EXPECT_EQ(r.readings[1].kind, VitalKind::NibpSys);
  EXPECT_EQ(r.readings[1].value, 120);
  EXPECT_EQ(r.readings[2].value, 37);
}

TEST(Unreadable, PlaceholdersAreNoValueNotReadingsNorErrors) {
  const IngestResult r = ingest_message(msg("OBX|1|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC||-999|%|||||F\r"
                                            "OBX|2|NM|150344^MDC_TEMP^MDC||-99.9|Cel|||||F\r"
                                            "OBX|3|NM|147842^MDC_ECG_HEART_RATE^MDC||70|/min|||||F\r"),
                                        {});
  ASSERT_EQ(r.code, AckCode::AA);
  ASSERT_EQ(r.readings.size(), 1u);
  EXPECT_EQ(r.readings[0].kind, VitalKind::HeartRate);
  EXPECT_TRUE(r.errors.empty());
  ASSERT_EQ(r.unmapped.size(), 2u);
  EXPECT_EQ(r.unmapped[0].reason, "OBX-5 '-999' is the device's placeholder for no value");
  EXPECT_EQ(r.empty_observations, 2u);
}

TEST(Unreadable, AllUnreadableIsAeWithOneErrPerObservation) {
  const IngestResult r =
      ingest_message(msg("OBX|1|NM|9001^SYS^LOCAL||118|mmHg|||||F\r"
                         "OBX|2|SN|150456^MDC_PULS_OXIM_SAT_O2^MDC||<^80|%|||||F\r"
                         "OBX|3|NM|147842^MDC_ECG_HEART_RATE^MDC||7,2|/min|||||F\r"
                         "OBX|4|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC||999|mmHg|||||F\r"
                         "OBX|5|NM|150022^MDC_PRESS_BLD_NONINV_DIA^MDC||80|furlongs|||||F\r"),
                     {});
  ASSERT_EQ(r.code, AckCode::AE);
  EXPECT_TRUE(r.readings.empty());
  ASSERT_EQ(r.unreadable, 5u);
  EXPECT_EQ(r.unmapped.size(), 5u);  // kept, with reasons, for the log
  EXPECT_EQ(r.unreadable_summary, "OBX-3 9001^SYS^LOCAL and 4 more");
  const std::string ack = build_ack(r, 0, "A1");
  EXPECT_NE(ack.find("MSA|AE|CTRL1|"), std::string::npos) << ack;
  EXPECT_NE(
      ack.find("\rERR||OBX^1^3|103^Table value not found^HL70357|E|||OBX-3 '9001\\S\\SYS\\S\\LOCAL' is not a "
               "code Vigil knows\r"),
      std::string::npos)
      << ack;
  EXPECT_NE(
      ack.find("\rERR||OBX^2^5|102^Data type error^HL70357|E|||OBX-5 SN '<\\S\\80' is not an exact value\r"),
      std::string::npos)
      << ack;
  EXPECT_NE(ack.find("\rERR||OBX^3^5|102^Data type error^HL70357|E|||OBX-5 '7,2' is not a number\r"),
            std::string::npos)
      << ack;
  EXPECT_NE(ack.find("\rERR||OBX^4^5|102^Data type error^HL70357|E|||OBX-5 999 mmHg is outside"),
            std::string::npos)
      << ack;
  EXPECT_NE(ack.find("\rERR||OBX^5^6|103^Table value not found^HL70357|E|||OBX-6 unit 'furlongs' is not one "
                     "Vigil knows\r"),
            std::string::npos)
      << ack;
}

TEST(Unreadable, MixedIsAaWithWarningsAndStoresTheRest) {
  const IngestResult r = ingest_message(msg("OBX|1|NM|147842^MDC_ECG_HEART_RATE^MDC||72|/min|||||F\r"
                                            "OBX|2|NM|101^HR^LOCAL2||9O|||||F\r"
                                            "OBX|3|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC||12O|%|||||F\r"),
                                        {});
  ASSERT_EQ(r.code, AckCode::AA);
  ASSERT_EQ(r.readings.size(), 1u);
  EXPECT_EQ(r.unreadable, 2u);
  const std::string ack = build_ack(r, 0, "A1");
  EXPECT_NE(ack.find("MSA|AA|CTRL1|"), std::string::npos) << ack;
  EXPECT_NE(ack.find("\rERR||OBX^3^5|102^Data type error^HL70357|W|||OBX-5 '12O' is not a number\r"),
            std::string::npos)
      << ack;
}

TEST(Unreadable, MdcNumberInALocalCodingSystemIsNotReadAsMdc) {
  // A cerebral oximeter's local 150456 (rSO2) is not SpO2, though MDC's 150456 is.
  const IngestResult r =
      ingest_message(msg("OBX|1|NM|150456^Cerebral oximetry rSO2^99LOCAL|1|55|%|||||F\r"), {});
  ASSERT_EQ(r.code, AckCode::AE);
  EXPECT_TRUE(r.readings.empty());
  EXPECT_EQ(r.unreadable, 1u);
  ASSERT_EQ(r.unmapped.size(), 1u);
  EXPECT_EQ(r.unmapped[0].reason, "code 150456 in coding system 99LOCAL is not MDC");
  EXPECT_EQ(r.unreadable_summary, "OBX-3 150456^Cerebral oximetry rSO2^99LOCAL");
  const std::string ack = build_ack(r, 0, "A1");
  EXPECT_NE(ack.find("\rERR||OBX^1^3|103^Table value not found^HL70357|E|||code 150456 in coding system "
                     "99LOCAL is not MDC\r"),
            std::string::npos)
      << ack;
  // Beside a real MDC heart rate: that one is stored, the others are warned about.
  const IngestResult mixed = ingest_message(msg("OBX|1|NM|147842^MDC_ECG_HEART_RATE^MDC||72|/min|||||F\r"
                                                "OBX|2|NM|147842^MDC_ECG_HEART_RATE^LN||140|/min|||||F\r"
                                                "OBX|3|NM|0002-4182^HR^99PHI||150|/min|||||F\r"),
                                            {});
  ASSERT_EQ(mixed.code, AckCode::AA);
  ASSERT_EQ(mixed.readings.size(), 1u);
  EXPECT_DOUBLE_EQ(mixed.readings[0].value, 72);
  EXPECT_EQ(mixed.unreadable, 2u);
  ASSERT_EQ(mixed.unmapped.size(), 2u);
  EXPECT_EQ(mixed.unmapped[0].reason, "code 147842 in coding system LN is not MDC");
  EXPECT_EQ(mixed.unmapped[1].reason, "code 0002-4182 in coding system 99PHI is not MDC");
  // The site's code_map still names such a code.
  MapOptions o;
  o.code_map.push_back(SiteCode{"", "150456", "Cerebral oximetry rSO2", VitalKind::SpO2, ""});
  o.code_map.back().ignore = true;
  const IngestResult mapped =
      ingest_message(msg("OBX|1|NM|150456^Cerebral oximetry rSO2^99LOCAL|1|55|%|||||F\r"), o);
  EXPECT_EQ(mapped.code, AckCode::AA);
  EXPECT_TRUE(mapped.readings.empty());
  EXPECT_EQ(mapped.unreadable, 0u);
}

TEST(Unreadable, DeviceRowsAndUntrackedCodesAloneAreAaWithNothing) {
  const IngestResult r =
      ingest_message(msg("OBX|1||69965^MDC_DEV_MON_PHYSIO_MULTI_PARAM_MDS^MDC|1.0.0.0|||||||X\r"
                         "OBX|2|NM|150033^MDC_PRESS_BLD_ART_SYS^MDC|1.1.1.1|112|mmHg|||||R\r"
                         "OBX|3|NM|148066^MDC_ECG_V_P_C_RATE^MDC|1.1.1.2|0|/min|||||R\r"
                         "OBX|4|ST|NIBP_ERR^NIBP error^LOCAL||CUFF LEAK||||||F\r"),
                     {});
  EXPECT_EQ(r.code, AckCode::AA);
  EXPECT_TRUE(r.readings.empty());
  EXPECT_TRUE(r.errors.empty());
  EXPECT_EQ(r.unreadable, 0u);
  ASSERT_EQ(r.unmapped.size(), 3u);
  EXPECT_EQ(r.unmapped[0].reason, "known, not tracked by Vigil");
}

TEST(Unreadable, SiteCodeMapReadsALocalCode) {
  MapOptions o;
  o.code_map.push_back(SiteCode{"MON", "9001", "SYS", VitalKind::NibpSys, "kPa"});
  o.code_map.push_back(SiteCode{"OTHER", "9002", "", VitalKind::NibpDia, "mmHg"});
  const IngestResult r = ingest_message(msg("OBX|1|NM|9001^SYS^LOCAL||16||||||F\r"
                                            "OBX|2|NM|9002^DIA^LOCAL||80|mmHg|||||F\r"),
                                        o);
  // The source is MSH-3's first component ("MON"): 9001 maps, 9002 belongs to another source.
  ASSERT_EQ(r.code, AckCode::AA);
  ASSERT_EQ(r.readings.size(), 1u);
  EXPECT_NEAR(r.readings[0].value, 16 * 7.50062, 1e-9);
  EXPECT_EQ(r.unreadable, 1u);
  EXPECT_EQ(check_site_code(SiteCode{"", "", "", VitalKind::SpO2, ""}), "code or label is required");
  EXPECT_EQ(check_site_code(SiteCode{"", "1", "", VitalKind::SpO2, "mmHg"}),
            "unit 'mmHg' does not fit kind SPO2");
  EXPECT_EQ(check_site_code(SiteCode{"", "1", "", VitalKind::SpO2, "parsecs"}),
            "unit 'parsecs' is not one Vigil knows (e.g. mmHg, kPa, /min, %, Cel, [degF])");
}

TEST(Unreadable, SiteCodeMapCanDeclareACodeNotAVitalSign) {
  // An EHR flowsheet's local pain score: a number under a code nobody can know. Without the
  // entry it is an ERR (W) and T8 on every message; with it, plain AA and only a log line.
  const std::string flowsheet = testing::load_sample("ehr-flowsheet-loinc.hl7");
  const IngestResult before = ingest_message(flowsheet, {});
  ASSERT_EQ(before.unreadable, 1u);
  MapOptions o;
  SiteCode pain;
  pain.source = "ORBIT";
  pain.code = "VAS_PAIN";
  pain.ignore = true;
  o.code_map.push_back(pain);
  const IngestResult r = ingest_message(flowsheet, o);
  EXPECT_EQ(r.code, AckCode::AA);
  for (const AckError& e : r.errors) EXPECT_NE(e.segment, "OBX") << e.text;  // MSH-18 "IS" is warned of
  EXPECT_EQ(r.unreadable, 0u);
  EXPECT_EQ(r.readings.size(), before.readings.size());
  bool logged = false;
  for (const UnmappedObservation& u : r.unmapped) {
    if (u.code == "VAS_PAIN^VAS Pain Score^LOCAL") {
      logged = true;
      EXPECT_EQ(u.value, "4");
      EXPECT_EQ(u.reason, "ignored: the site's code_map says it is not a vital sign");
    }
  }
  EXPECT_TRUE(logged);
  // Another source's code of the same name is still unreadable.
  pain.source = "OTHER-EHR";
  o.code_map[0] = pain;
  EXPECT_EQ(ingest_message(flowsheet, o).unreadable, 1u);
  // A message of ignored codes alone carried no vital sign: AA, nothing stored, no ERR.
  MapOptions any;
  SiteCode score;
  score.label = "SCORE";
  score.ignore = true;
  any.code_map.push_back(score);
  const IngestResult alone = ingest_message(msg("OBX|1|NM|77^SCORE^LOCAL||3||||||F\r"), any);
  EXPECT_EQ(alone.code, AckCode::AA);
  EXPECT_TRUE(alone.readings.empty());
  EXPECT_TRUE(alone.errors.empty());
  ASSERT_EQ(alone.unmapped.size(), 1u);
  // An ignore entry takes no unit; it still needs a code or a label.
  SiteCode bad = score;
  bad.unit = "mmHg";
  EXPECT_EQ(check_site_code(bad), "ignore: true takes no unit (an ignored code is not a vital sign)");
  bad = SiteCode{};
  bad.source = "ORBIT";
  bad.ignore = true;
  EXPECT_EQ(check_site_code(bad), "code or label is required");
}

}  // namespace
}  // namespace vigil::hl7
