// The simulator's messages, both styles, go through vigild's own HL7 parser and come out
// as AA with the right values and bed.

#include <gtest/gtest.h>

#include "hl7/ingest.hpp"
#include "sim/oru_writer.hpp"

namespace vigil::sim {
namespace {

constexpr WallMillis kT0 = 1763720100000;

double value_of(const hl7::IngestResult& r, VitalKind kind) {
  for (const auto& x : r.readings)
    if (x.kind == kind) return x.value;
  return -1;
}

class Hl7Accept : public ::testing::TestWithParam<MessageStyle> {};

TEST_P(Hl7Accept, NumericsAndNibpAreAcceptedWithTheirValues) {
  OruContent c;
  c.numerics = NumericsObservation{74, 97, kT0};
  NibpObservation n;
  n.sys_mmhg = 168;
  n.dia_mmhg = 104;
  n.mean_mmhg = 125;
  n.completed_at_ms = kT0 - 5000;
  c.nibp = n;
  const auto r =
      hl7::ingest_message(build_oru(c, {"CHAIR3", "0011223344556677"}, GetParam(), "ID42", kT0), {});
  EXPECT_EQ(r.code, hl7::AckCode::AA) << r.error_text;
  EXPECT_EQ(r.identity.location, "CHAIR3");
  ASSERT_EQ(r.readings.size(), 5u);
  EXPECT_EQ(value_of(r, VitalKind::HeartRate), 74);
  EXPECT_EQ(value_of(r, VitalKind::SpO2), 97);
  EXPECT_EQ(value_of(r, VitalKind::NibpSys), 168);
  EXPECT_EQ(value_of(r, VitalKind::NibpDia), 104);
  EXPECT_EQ(value_of(r, VitalKind::NibpMean), 125);
  for (const auto& x : r.readings) {
    EXPECT_TRUE(x.valid);
    if (x.kind == VitalKind::NibpSys) {
      EXPECT_EQ(x.measured_at_ms, kT0 - 5000);  // OBX-14, the completion time
    }
  }
  EXPECT_TRUE(r.unmapped.empty());
}

TEST_P(Hl7Accept, FailedNibpStoresNoValuesAndKeepsTheErrorRow) {
  OruContent c;
  NibpObservation n;
  n.failed = true;
  n.error = "CUFF LEAK";
  n.completed_at_ms = kT0;
  c.nibp = n;
  const auto r =
      hl7::ingest_message(build_oru(c, {"CHAIR5", "0011223344556677"}, GetParam(), "ID43", kT0), {});
  EXPECT_EQ(r.code, hl7::AckCode::AA) << r.error_text;
  EXPECT_EQ(r.identity.location, "CHAIR5");
  EXPECT_TRUE(r.readings.empty());
  EXPECT_EQ(r.empty_observations, 3u);
  ASSERT_EQ(r.unmapped.size(), 1u);
  EXPECT_EQ(r.unmapped[0].value, "CUFF LEAK");
}

TEST_P(Hl7Accept, ArtifactReadingsGoThroughAsValues) {
  OruContent c;
  NibpObservation n;
  n.sys_mmhg = 90;
  n.dia_mmhg = 110;
  n.mean_mmhg = 103;
  n.completed_at_ms = kT0;
  c.nibp = n;
  const auto r =
      hl7::ingest_message(build_oru(c, {"CHAIR2", "0011223344556677"}, GetParam(), "ID44", kT0), {});
  EXPECT_EQ(r.code, hl7::AckCode::AA);
  EXPECT_EQ(value_of(r, VitalKind::NibpSys), 90);
  EXPECT_EQ(value_of(r, VitalKind::NibpDia), 110);
}

INSTANTIATE_TEST_SUITE_P(Styles, Hl7Accept, ::testing::Values(MessageStyle::Ihe, MessageStyle::Vendor),
                         [](const auto& info) { return info.param == MessageStyle::Ihe ? "Ihe" : "Vendor"; });

}  // namespace
}  // namespace vigil::sim
