// Published vendor messages (tests/data/hl7/README.md names each source): what readings each
// yields, the ACK code, and how many observations it reports as unreadable.
#include <gtest/gtest.h>

#include <algorithm>

#include <cmath>
#include <map>

#include "hl7/ingest.hpp"
#include "hl7_samples.hpp"

namespace vigil::hl7 {
namespace {

struct Expected {
  const char* file;
  AckCode code;
  std::multimap<VitalKind, double> readings;
  std::size_t unreadable = 0;
  std::size_t invalid = 0;  // readings the device itself marks not valid (OBX-11 D, U, X ...)
};

using K = VitalKind;

const Expected kCorpus[] = {
    {"ihe-pcd01-nibp.hl7", AckCode::AA, {{K::NibpSys, 120}, {K::NibpDia, 80}, {K::NibpMean, 100}}},
    {"philips-efficia-orf-r04.hl7",
     AckCode::AA,
     {{K::SpO2, 98},
      {K::NibpSys, 122},
      {K::NibpDia, 85},
      {K::NibpMean, 98},
      {K::PulseRate, 80},
      {K::RespRate, 20},
      {K::Temperature, 37.4}}},
    {"mindray-pds-gateway.hl7",
     AckCode::AA,
     {{K::HeartRate, 60},
      {K::RespRate, 20},
      {K::Temperature, 37},
      {K::SpO2, 98},
      {K::NibpDia, 80},
      {K::NibpMean, 93},
      {K::NibpSys, 120}}},
    {"mindray-vs900-pcd01.hl7",
     AckCode::AA,
     {{K::SpO2, 100}, {K::PulseRate, 80}, {K::NibpSys, 166}, {K::NibpMean, 122}, {K::NibpDia, 100}}},
    {"mindray-egateway-pcd01.hl7",
     AckCode::AA,
     {{K::SpO2, 98}, {K::PulseRate, 65}, {K::RespRate, 17}, {K::HeartRate, 66}}},
    // -100 is the monitor's "no value"; 384.5 degC is no body temperature (reported, W).
    {"vs-monitor-placeholders.hl7",
     AckCode::AA,
     {{K::Temperature, 38.5}, {K::NibpSys, 142}, {K::NibpMean, 114}, {K::NibpDia, 100}},
     1},
    {"ge-b40-pcd01.hl7", AckCode::AA, {{K::HeartRate, 80}}},
    // Invasive and pulmonary pressures are known and not charted.
    {"ihe-pcd01-aware-gateway.hl7", AckCode::AA, {{K::HeartRate, 60}}},
    // Every optional field filled; OBX-11 U and X keep the reading but mark it invalid, D
    // (the DIA 70) withdraws it: a withdrawal, invalid too, never a value (reading.hpp).
    {"ihe-pcd01-maximum.hl7",
     AckCode::AA,
     {{K::NibpSys, 140},
      {K::NibpMean, 100},
      {K::NibpSys, 120},
      {K::NibpSys, 80},
      {K::NibpDia, 70},
      {K::NibpMean, 100}},
     0,
     3},
    {"welch-allyn-wacs.hl7", AckCode::AA, {{K::HeartRate, 80}}},
    // The local pain score carries a number under a code Vigil cannot know: reported (W).
    {"ehr-flowsheet-loinc.hl7",
     AckCode::AA,
     {{K::NibpSys, 138},
      {K::NibpDia, 82},
      {K::HeartRate, 78},
      {K::Temperature, 36.8},
      {K::RespRate, 16},
      {K::SpO2, 97}},
     1},
    // Six-digit local codes with "GROUP LABEL" texts; rPR(spo2) is known and not charted.
    {"nihon-kohden-pvm2701.hl7",
     AckCode::AA,
     {{K::PulseRate, 77}, {K::SpO2, 99}, {K::NibpSys, 133}, {K::NibpDia, 77}, {K::NibpMean, 95}}},
    // The pulse in UCUM with an annotation: {beat}/min is /min.
    {"nist-pcd01-nibp-ucum.hl7",
     AckCode::AA,
     {{K::NibpSys, 120}, {K::NibpDia, 80}, {K::NibpMean, 93}, {K::PulseRate, 63}}},
    // A spot check: MDIL codes and units, no OBX-1; NIBP diastolic alone.
    {"philips-suresigns-vs.hl7", AckCode::AA, {{K::SpO2, 100}, {K::NibpDia, 69}}},
    // A home cuff through a PCD-01 gateway: decimals, processing id T, status "x".
    // MSH-11 T (training): accepted, its values stored as not valid (no patient's), with an
    // ERR W on MSH-11.
    {"home-bp-cuff-pcd01.hl7",
     AckCode::AA,
     {{K::NibpSys, 140.5}, {K::NibpDia, 95}, {K::PulseRate, 75.5}},
     0,
     3},
};

TEST(VendorCorpus, EachPublishedMessageYieldsItsReadings) {
  for (const Expected& e : kCorpus) {
    SCOPED_TRACE(e.file);
    const IngestResult r = ingest_message(testing::load_sample(e.file), {});
    EXPECT_EQ(r.code, e.code) << r.error_text;
    std::multimap<VitalKind, double> got;
    std::size_t invalid = 0;
    for (const Reading& reading : r.readings) {
      invalid += reading.valid ? 0 : 1;
      got.emplace(reading.kind, std::round(reading.value * 10) / 10);
    }
    EXPECT_EQ(invalid, e.invalid);
    EXPECT_EQ(got, e.readings);
    EXPECT_EQ(r.unreadable, e.unreadable);
    // Errors about observations (the Icelandic flowsheet's MSH-18 "IS", a country code in
    // the wrong field, also gets a warning on MSH-18).
    const auto about_obx = std::count_if(r.errors.begin(), r.errors.end(),
                                         [](const AckError& err) { return err.segment == "OBX"; });
    EXPECT_EQ(static_cast<std::size_t>(about_obx), e.unreadable);
    if (static_cast<std::size_t>(about_obx) != e.unreadable) {
      for (const AckError& err : r.errors)
        ADD_FAILURE() << "not read: " << err.segment << " " << err.sequence << ": " << err.text;
    }
  }
}

// A monitor in demo or service mode (MSH-11 D) or a training system (T) sends numbers that
// are no patient's: they were charted as the patient's and raised P1 HIGH. Stored as not
// valid now, and the ACK says why; production (P, or none) is untouched.
TEST(VendorCorpus, DemoAndTrainingMessagesAreNotThePatients) {
  const std::string sample = testing::load_sample("home-bp-cuff-pcd01.hl7");
  const std::size_t at = sample.find("|msgId0|T|");
  ASSERT_NE(at, std::string::npos);
  for (const char* id : {"D", "T", "P", ""}) {
    SCOPED_TRACE(id);
    std::string message = sample;
    message.replace(at, 10, std::string("|msgId0|") + id + "|");
    const IngestResult r = ingest_message(message, {});
    EXPECT_EQ(r.code, AckCode::AA) << r.error_text;
    const bool production = std::string(id) == "P" || std::string(id).empty();
    ASSERT_FALSE(r.readings.empty());
    for (const Reading& reading : r.readings) {
      EXPECT_EQ(reading.valid, production) << to_string(reading.kind);
      if (!production) {
        EXPECT_EQ(reading.status, std::string("MSH-11 ") + id);
        EXPECT_FALSE(is_withdrawal(reading));
      }
    }
    const auto on_msh11 = std::count_if(r.errors.begin(), r.errors.end(), [](const AckError& err) {
      return err.segment == "MSH" && err.field == 11 && err.severity == 'W';
    });
    EXPECT_EQ(on_msh11, production ? 0 : 1);
  }
}

}  // namespace
}  // namespace vigil::hl7
