// ORU^R01 / ORU^R40 builders: read back with our own parser (the ingest path a monitor's
// message takes) and with python-hl7 (parse_hl7.py) as a second, independent parser.
#include <gtest/gtest.h>

#include <fstream>

#include "common/vocabulary.hpp"
#include "forward/alert_report.hpp"
#include "forward/python_hl7.hpp"
#include "hl7/hl7_time.hpp"
#include "hl7/ingest.hpp"
#include "hl7/message.hpp"
#include "hl7/oru_r01_builder.hpp"
#include "hl7/oru_r40_builder.hpp"

namespace vigil::hl7 {
namespace {

constexpr WallMillis kT0 = 1'795'000'000'000;  // 2026-11-18T...Z

Reading reading(VitalKind kind, double value, WallMillis at, const std::string& source = "EUI-0001") {
  Reading r;
  r.bed = "CHAIR3";
  r.kind = kind;
  r.value = value;
  r.measured_at_ms = at;
  r.source = source;
  return r;
}

ObservationReport nibp_report() {
  ObservationReport report;
  report.bed = "CHAIR3";
  report.session_id = "S-42";
  report.readings = {
      reading(VitalKind::NibpSys, 184, kT0),       reading(VitalKind::NibpDia, 96, kT0),
      reading(VitalKind::NibpMean, 125.3333, kT0), reading(VitalKind::HeartRate, 88, kT0 + 1000),
      reading(VitalKind::SpO2, 97, kT0 + 1000),    reading(VitalKind::Temperature, 36.7, kT0 + 1000)};
  return report;
}

std::string field_of(const std::string& text, std::string_view segment, std::size_t n,
                     std::size_t index = 0) {
  Message m;
  EXPECT_EQ(m.parse(text), ParseError::None);
  std::size_t seen = 0;
  for (const Segment& s : m.segments()) {
    if (s.name() != segment) continue;
    if (seen++ == index) return std::string(s.field(n));
  }
  return "";
}

TEST(OruR01Builder, OurOwnParserReadsBackEveryReading) {
  const std::string text = build_oru_r01({"clinic-a", "clinic-a-17", kT0 + 5000}, nibp_report());
  const IngestResult result = ingest_message(text, MapOptions{});
  ASSERT_EQ(result.code, AckCode::AA) << result.error_text;
  EXPECT_EQ(result.message_type, "ORU^R01");
  EXPECT_EQ(result.ack.control_id, "clinic-a-17");
  EXPECT_EQ(result.identity.location, "CHAIR3");  // PV1-3 = the chair
  EXPECT_EQ(result.identity.sending_application, "VIGIL");
  ASSERT_EQ(result.readings.size(), 6u);
  const ObservationReport in = nibp_report();
  for (std::size_t i = 0; i < in.readings.size(); ++i) {
    EXPECT_EQ(result.readings[i].kind, in.readings[i].kind) << i;
    EXPECT_NEAR(result.readings[i].value, in.readings[i].value, 0.001) << i;
    EXPECT_EQ(result.readings[i].measured_at_ms, in.readings[i].measured_at_ms) << i;  // OBX-14
    EXPECT_EQ(result.readings[i].source, "EUI-0001") << i;                             // OBX-18
    EXPECT_TRUE(result.readings[i].valid) << i;
  }
  EXPECT_TRUE(result.unmapped.empty());
  EXPECT_EQ(field_of(text, "MSH", 3), "VIGIL^clinic-a");
  EXPECT_EQ(field_of(text, "MSH", 4), "clinic-a");
  EXPECT_EQ(field_of(text, "MSH", 7), format_hl7_time(kT0 + 5000));
  EXPECT_EQ(field_of(text, "MSH", 9), "ORU^R01^ORU_R01");
  EXPECT_EQ(field_of(text, "MSH", 12), "2.6");
  EXPECT_EQ(field_of(text, "PID", 3), "S-42^^^VIGIL");
  EXPECT_EQ(field_of(text, "OBX", 11, 0), "R");
}

TEST(OruR01Builder, IsDeterministicAndInvalidValuesAreMarkedX) {
  ObservationReport report = nibp_report();
  EXPECT_EQ(build_oru_r01({"d", "d-1", kT0}, report), build_oru_r01({"d", "d-1", kT0}, report));
  report.readings[0].valid = false;
  report.readings[1].value = std::numeric_limits<double>::quiet_NaN();
  report.session_id.clear();
  const std::string text = build_oru_r01({"d", "d-1", kT0}, report);
  EXPECT_EQ(field_of(text, "OBX", 5, 0), "");
  EXPECT_EQ(field_of(text, "OBX", 11, 0), "X");
  EXPECT_EQ(field_of(text, "OBX", 11, 1), "X");
  EXPECT_EQ(text.find("PID"), std::string::npos);  // no session: no patient segment
}

// A withdrawal (the monitor took its value of that time back) goes on as one: the chart that
// received the value must take it back too.
TEST(OruR01Builder, AWithdrawalIsForwardedAsOneWithItsMeasurementTime) {
  ObservationReport report = nibp_report();
  report.readings[0].valid = false;
  report.readings[0].status = " w ";
  const std::string text = build_oru_r01({"d", "d-1", kT0}, report);
  EXPECT_EQ(field_of(text, "OBX", 11, 0), "W");
  EXPECT_EQ(field_of(text, "OBX", 5, 0), "");
  EXPECT_EQ(field_of(text, "OBX", 14, 0), field_of(text, "OBX", 14, 1));
  EXPECT_EQ(field_of(text, "OBX", 11, 1), "R");
}

TEST(OruR01Builder, FreeTextIsEscaped) {
  ObservationReport report = nibp_report();
  report.bed = "BAY|2^A&B~C\\D";
  for (auto& r : report.readings) r.source = "MON|7";
  const std::string text = build_oru_r01({"d", "d-1", kT0}, report);
  const IngestResult result = ingest_message(text, MapOptions{});
  ASSERT_EQ(result.code, AckCode::AA) << result.error_text;
  EXPECT_EQ(result.identity.location, "BAY|2^A&B~C\\D");
  ASSERT_FALSE(result.readings.empty());
  EXPECT_EQ(result.readings[0].source, "MON|7");
}

TEST(OruR01Builder, FormatsNumbersWithoutExponent) {
  EXPECT_EQ(format_nm(142), "142");
  EXPECT_EQ(format_nm(36.70), "36.7");
  EXPECT_EQ(format_nm(-0.0001), "0");
  EXPECT_EQ(format_nm(1e12), "1000000000000");
  EXPECT_EQ(format_nm(std::numeric_limits<double>::infinity()), "");
}

TEST(OruR01Builder, ResendMarkerKeepsTheControlId) {
  const std::string first = build_oru_r01({"d", "d-9", kT0}, nibp_report());
  const std::string again = with_resend_marker(first, 2);
  EXPECT_EQ(again.substr(0, first.size()), first);
  EXPECT_EQ(field_of(again, "MSH", 10), "d-9");
  EXPECT_EQ(field_of(again, "ZRS", 1), "Y");
  EXPECT_EQ(field_of(again, "ZRS", 2), "2");
  EXPECT_EQ(ingest_message(again, MapOptions{}).readings.size(), 6u);  // still a usable ORU
}

proto::AlertEvent p2_event(const std::string& transition, const std::string& state) {
  proto::AlertEvent e;
  e.set_id("CHAIR3-P2-17");
  e.set_bed("CHAIR3");
  e.set_rule(proto::P2);
  e.set_priority(proto::MEDIUM);
  e.set_state(from_word<proto::AlertState>(state).value());
  e.set_transition(from_word<proto::Transition>(transition).value());
  e.set_metric(proto::NIBP_SYS);  // as the engine records a systolic crossing
  e.set_direction(proto::above);
  e.set_kind(proto::physiological);
  e.set_value(188);
  e.set_limit(180);
  e.set_message("SBP 188 >= 180");
  e.set_at_ms(kT0 + 60000);
  return e;
}

TEST(OruR40Builder, StartMessageCarriesPhaseStatePriorityTypeValueAndLimit) {
  const AlertReport a = forward::to_alert_report(p2_event("raised", "ACTIVE"), "S-42", "");
  const std::string text = build_oru_r40({"clinic-a", "clinic-a-30", kT0 + 60000}, a);
  Message m;
  ASSERT_EQ(m.parse(text), ParseError::None);
  EXPECT_EQ(field_of(text, "MSH", 9), "ORU^R40^ORU_R40");
  EXPECT_EQ(field_of(text, "MSH", 10), "clinic-a-30");
  EXPECT_EQ(field_of(text, "PV1", 3), "^^CHAIR3");
  EXPECT_EQ(field_of(text, "OBR", 3), "CHAIR3-P2-17^clinic-a");
  EXPECT_EQ(field_of(text, "OBR", 4), "196616^MDC_EVT_ALARM^MDC");
  EXPECT_EQ(field_of(text, "OBR", 29), "");  // the first message has no parent
  EXPECT_EQ(field_of(text, "OBX", 3, 0), "196648^MDC_EVT_HI^MDC^P2^P2^VIGIL");
  EXPECT_EQ(field_of(text, "OBX", 5, 0), "SBP 188 >= 180");
  EXPECT_EQ(field_of(text, "OBX", 3, 1), "150021^MDC_PRESS_BLD_NONINV_SYS^MDC");
  EXPECT_EQ(field_of(text, "OBX", 5, 1), "188");
  EXPECT_EQ(field_of(text, "OBX", 6, 1), "266016^MDC_DIM_MMHG^MDC");
  EXPECT_EQ(field_of(text, "OBX", 7, 1), "<180");
  const char* expected[][2] = {{"68481^MDC_ATTR_EVENT_PHASE^MDC", "start"},
                               {"68482^MDC_ATTR_ALARM_STATE^MDC", "active"},
                               {"68483^MDC_ATTR_ALARM_INACTIVATION_STATE^MDC", "enabled"},
                               {"68484^MDC_ATTR_ALARM_PRIORITY^MDC", "PM"},
                               {"68485^MDC_ATTR_ALERT_TYPE^MDC", "SP"}};
  for (std::size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(field_of(text, "OBX", 3, i + 2), expected[i][0]);
    EXPECT_EQ(field_of(text, "OBX", 5, i + 2), expected[i][1]);
    EXPECT_EQ(field_of(text, "OBX", 4, i + 2), "1.0.0.0." + std::to_string(i + 3));
  }
}

TEST(OruR40Builder, FollowUpsNameTheFirstMessage) {
  struct Case {
    std::string transition, state, phase, alarm, inactivation;
  } cases[] = {{"acknowledged", "ACKNOWLEDGED", "update", "active", "alert-acknowledged"},
               {"audio_paused", "AUDIO_PAUSED", "update", "active", "audio-paused"},
               {"escalated", "ACTIVE", "escalate", "active", "enabled"},
               {"cleared", "LATCHED", "update", "latched", "enabled"},
               {"resolved", "RESOLVED", "end", "inactive", "enabled"}};
  for (const Case& c : cases) {
    const AlertReport a = forward::to_alert_report(p2_event(c.transition, c.state), "", "clinic-a-30");
    const std::string text = build_oru_r40({"clinic-a", "clinic-a-31", kT0}, a);
    EXPECT_EQ(field_of(text, "OBR", 3), "CHAIR3-P2-17^clinic-a") << c.transition;
    EXPECT_EQ(field_of(text, "OBR", 29), "clinic-a-30&VIGIL^clinic-a-30&VIGIL") << c.transition;
    EXPECT_EQ(field_of(text, "OBX", 5, 2), c.phase) << c.transition;
    EXPECT_EQ(field_of(text, "OBX", 5, 3), c.alarm) << c.transition;
    EXPECT_EQ(field_of(text, "OBX", 5, 4), c.inactivation) << c.transition;
  }
}

TEST(OruR40Builder, TechnicalAndLowAlerts) {
  proto::AlertEvent t1;
  t1.set_id("CHAIR1-T1-3");
  t1.set_bed("CHAIR1");
  t1.set_rule(proto::T1);
  t1.set_priority(proto::LOW);
  t1.set_state(proto::ACTIVE);
  t1.set_transition(proto::raised);
  t1.set_kind(proto::technical);
  t1.set_subject("MON|7");
  t1.set_message("Monitor MON|7 silent for 15 s");
  const std::string tech = build_oru_r40({"d", "d-1", kT0}, forward::to_alert_report(t1, "", ""));
  EXPECT_EQ(field_of(tech, "OBX", 3, 0), "196616^MDC_EVT_ALARM^MDC^T1^T1^VIGIL");
  EXPECT_EQ(field_of(tech, "OBX", 3, 1), "68480^MDC_ATTR_ALERT_SOURCE^MDC");
  EXPECT_EQ(field_of(tech, "OBX", 5, 1), "MON\\F\\7");  // escaped on the wire
  EXPECT_EQ(field_of(tech, "OBX", 5, 5), "PL");
  EXPECT_EQ(field_of(tech, "OBX", 5, 6), "ST");

  proto::AlertEvent p8 = p2_event("raised", "ACTIVE");
  p8.set_rule(proto::P8);
  p8.set_priority(proto::HIGH);
  p8.set_value(84);
  p8.set_limit(85);
  p8.set_message("SpO2 84 < 85");
  p8.set_metric(proto::SPO2);
  p8.set_direction(proto::below);
  const std::string low = build_oru_r40({"d", "d-2", kT0}, forward::to_alert_report(p8, "", ""));
  EXPECT_EQ(field_of(low, "OBX", 3, 0), "196670^MDC_EVT_LO^MDC^P8^P8^VIGIL");
  EXPECT_EQ(field_of(low, "OBX", 3, 1), "150456^MDC_PULS_OXIM_SAT_O2^MDC");
  EXPECT_EQ(field_of(low, "OBX", 7, 1), ">85");
  EXPECT_EQ(field_of(low, "OBX", 5, 5), "PH");
}

TEST(PythonHl7, ReadsTheSameFieldsAsOurParser) {
  forward::test::PythonHl7 python;
  ASSERT_TRUE(python.available())
      << "/usr/bin/python3 with python3-hl7 (scripts/install-deps.sh) is required";
  ObservationReport report = nibp_report();
  report.bed = "BAY|2";
  const std::string r01 = with_resend_marker(build_oru_r01({"clinic-a", "clinic-a-17", kT0}, report), 3);
  const AlertReport follow =
      forward::to_alert_report(p2_event("acknowledged", "ACKNOWLEDGED"), "", "clinic-a-16");
  const std::string r40 = build_oru_r40({"clinic-a", "clinic-a-18", kT0}, follow);
  const auto parsed = python.parse({r01, r40});
  ASSERT_EQ(parsed.size(), 2u) << python.error();

  const auto& a = parsed[0];
  EXPECT_EQ(a.msh10, "clinic-a-17");
  EXPECT_EQ(a.msh3, "VIGIL^clinic-a");
  EXPECT_EQ(a.msh9, "ORU^R01");
  EXPECT_EQ(a.bed, "BAY|2");
  EXPECT_EQ(a.resend_attempt, "3");
  ASSERT_EQ(a.obx.size(), report.readings.size());
  for (std::size_t i = 0; i < a.obx.size(); ++i) {
    EXPECT_EQ(a.obx[i].code + "^" + a.obx[i].ref + "^MDC", mdc_observation_id(report.readings[i].kind)) << i;
    EXPECT_EQ(a.obx[i].value, field_of(r01, "OBX", 5, i)) << i;
    EXPECT_EQ(a.obx[i].time, format_hl7_time(report.readings[i].measured_at_ms)) << i;
    EXPECT_EQ(a.obx[i].equipment, "EUI-0001") << i;
    EXPECT_EQ(a.obx[i].status, "R") << i;
  }
  const auto& b = parsed[1];
  EXPECT_EQ(b.msh9, "ORU^R40");
  EXPECT_EQ(b.obr3, "CHAIR3-P2-17");
  EXPECT_EQ(b.obr29, "clinic-a-16&VIGIL^clinic-a-16&VIGIL");
  EXPECT_EQ(b.resend_attempt, "");
  ASSERT_EQ(b.obx.size(), 7u);
  EXPECT_EQ(b.obx[2].value, "update");
  EXPECT_EQ(b.obx[4].value, "alert-acknowledged");
  EXPECT_EQ(b.obx[5].value, "PM");
  EXPECT_EQ(b.obx[6].value, "SP");
}

}  // namespace
}  // namespace vigil::hl7
