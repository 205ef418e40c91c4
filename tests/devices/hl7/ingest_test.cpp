#include "hl7/ingest.hpp"

#include <gtest/gtest.h>

#include "hl7/message.hpp"
#include "hl7_samples.hpp"

namespace vigil::hl7 {
namespace {

using testing::load_sample;
using testing::oru_header;

const std::string kObx = "OBX|1|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC||97|%|||||F\r";

TEST(Ingest, IheSampleIsAccepted) {
  const IngestResult r = ingest_message(load_sample("ihe-pcd01-nibp.hl7"), {});
  EXPECT_EQ(r.code, AckCode::AA);
  EXPECT_EQ(r.error_code, 0);
  EXPECT_EQ(r.message_type, "ORU^R01");
  EXPECT_EQ(r.readings.size(), 3u);
  EXPECT_EQ(r.empty_observations, 2u);
  EXPECT_EQ(r.identity.sending_application, "AcmeInc");
  EXPECT_EQ(r.ack.control_id, "MSGID1234");
  EXPECT_EQ(r.ack.trigger_event, "R01");
  EXPECT_EQ(r.ack.sending_application, "AcmeInc^ACDE48234567ABCD^EUI-64");
  EXPECT_EQ(r.ack.processing_id, "P");
  EXPECT_EQ(r.ack.version, "2.6");
}

TEST(Ingest, EfficiaOrfIsAccepted) {
  const IngestResult r = ingest_message(load_sample("philips-efficia-orf-r04.hl7"), {});
  EXPECT_EQ(r.code, AckCode::AA);
  EXPECT_EQ(r.message_type, "ORF^R04");
  EXPECT_EQ(r.readings.size(), 7u);
  EXPECT_EQ(r.identity.bed_key(), "LOCATION34");
  EXPECT_EQ(r.ack.trigger_event, "R04");
}

TEST(Ingest, LfAndCrLfSeparatedSamplesGiveTheSameReadings) {
  const std::string cr = load_sample("philips-efficia-orf-r04.hl7");
  const IngestResult want = ingest_message(cr, {});
  for (const char* sep : {"\n", "\r\n"}) {
    std::string text;
    for (char c : cr) {
      if (c == '\r') {
        text += sep;
      } else {
        text.push_back(c);
      }
    }
    const IngestResult got = ingest_message(text, {});
    EXPECT_EQ(got.code, AckCode::AA);
    ASSERT_EQ(got.readings.size(), want.readings.size());
    for (std::size_t i = 0; i < got.readings.size(); ++i) {
      EXPECT_EQ(got.readings[i].kind, want.readings[i].kind);
      EXPECT_EQ(got.readings[i].value, want.readings[i].value);
      EXPECT_EQ(got.readings[i].measured_at_ms, want.readings[i].measured_at_ms);
    }
    EXPECT_EQ(got.identity.location, "LOCATION34");
  }
}

TEST(Ingest, FailedNibpRowsAreReportedNotStored) {
  // A monitor's failed measurement: NIBP rows marked X with no value.
  const std::string failed =
      oru_header() +
      "OBX|1|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC|1.1.1.1||266016^MDC_DIM_MMHG^MDC|||||X\r"
      "OBX|2|ST|NIBP_ERR^NIBP measurement error^L||CUFF LEAK||||||F\r";
  IngestResult r = ingest_message(failed, {});
  EXPECT_EQ(r.code, AckCode::AA);
  EXPECT_TRUE(r.nibp_failed);
  EXPECT_TRUE(r.readings.empty());
  // An empty value with a valid status is just "no reading", not a failure.
  r = ingest_message(oru_header() + "OBX|1|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC|1.1.1.1||mmHg|||||F\r", {});
  EXPECT_FALSE(r.nibp_failed);
  EXPECT_FALSE(ingest_message(load_sample("ihe-pcd01-nibp.hl7"), {}).nibp_failed);
}

TEST(Ingest, OnlyUnknownNumbersIsAnErrorButKnownUntrackedIsAccepted) {
  // A number under a local code Vigil does not know: nothing could be read (AE, 103), and
  // what came is returned for the log.
  IngestResult r = ingest_message(oru_header() + "OBX|1|NM|1^X^L||5|mg\rOBX|2|NM|2^Y^L||\r", {});
  EXPECT_EQ(r.code, AckCode::AE);
  EXPECT_EQ(r.error_code, 103);
  EXPECT_TRUE(r.readings.empty());
  EXPECT_EQ(r.unmapped.size(), 1u);
  EXPECT_EQ(r.empty_observations, 1u);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].severity, 'E');
  // Codes Vigil knows and does not chart, and text: nothing to store, nothing wrong (AA).
  r = ingest_message(
      oru_header() + "OBX|1|NM|150033^MDC_PRESS_BLD_ART_SYS^MDC||118|mmHg\rOBX|2|ST|1^X^L||on|\r", {});
  EXPECT_EQ(r.code, AckCode::AA);
  EXPECT_TRUE(r.readings.empty());
  EXPECT_EQ(r.unmapped.size(), 2u);
  EXPECT_TRUE(r.errors.empty());
}

TEST(Ingest, OruWithoutObxIsAnError) {
  const IngestResult r = ingest_message(oru_header() + "OBR|1\r", {});
  EXPECT_EQ(r.code, AckCode::AE);
  EXPECT_EQ(r.error_code, 100);
  EXPECT_FALSE(r.error_text.empty());
}

TEST(Ingest, MissingControlIdIsAnErrorAndStoresNothing) {
  const IngestResult r = ingest_message(oru_header("20240102", "") + kObx, {});
  EXPECT_EQ(r.code, AckCode::AE);
  EXPECT_EQ(r.error_code, 101);
  EXPECT_TRUE(r.readings.empty());
  EXPECT_EQ(r.identity.sending_application, "MON");
}

TEST(Ingest, UnsupportedTypeEventProcessingVersionAreRejected) {
  struct Case {
    std::string msh;
    int code;
  };
  const Case cases[] = {
      {"MSH|^~\\&|A||||2024||ADT^A01|1|P|2.6\r", 200}, {"MSH|^~\\&|A||||2024||ORU^R40|1|P|2.6\r", 201},
      {"MSH|^~\\&|A||||2024||ORF^R01|1|P|2.6\r", 201}, {"MSH|^~\\&|A||||2024||ORU^R01|1|X|2.6\r", 202},
      {"MSH|^~\\&|A||||2024||ORU^R01|1|P|3.0\r", 203},
  };
  for (const Case& c : cases) {
    const IngestResult r = ingest_message(c.msh + kObx, {});
    EXPECT_EQ(r.code, AckCode::AR) << c.msh;
    EXPECT_EQ(r.error_code, c.code) << c.msh;
    EXPECT_TRUE(r.readings.empty());
    EXPECT_EQ(r.ack.control_id, "1");
  }
  const IngestResult ok = ingest_message("MSH|^~\\&|A||||2024||ORU^R01|1|D|2.3.1\r" + kObx, {});
  EXPECT_EQ(ok.code, AckCode::AA);
  const IngestResult bare = ingest_message("MSH|^~\\&|A||||2024||ORU^R01|1\r" + kObx, {});
  EXPECT_EQ(bare.code, AckCode::AA);  // MSH-11/12 absent: tolerated
  const IngestResult old = ingest_message("MSH|^~\\&|A||||2024||ORU|1|P|2.2\r" + kObx, {});
  EXPECT_EQ(old.code, AckCode::AA);  // pre-2.3 bare message type
  EXPECT_EQ(old.message_type, "ORU");
}

const std::string kObr = "OBR|1|||182777000^monitoring of patient^SCT|||20240102030405\r";

std::string hr_row(const std::string& value, const std::string& obx18 = "") {
  return "OBX|1|NM|147842^MDC_ECG_HEART_RATE^MDC||" + value + "|/min|||||F" +
         (obx18.empty() ? "" : "|||||||" + obx18) + "\r";
}

void expect_refused_whole(const IngestResult& r, const std::string& why) {
  EXPECT_EQ(r.code, AckCode::AE);
  EXPECT_EQ(r.error_code, 100);
  EXPECT_EQ(r.error_text, why);
  EXPECT_TRUE(r.readings.empty());
  EXPECT_TRUE(r.unmapped.empty());
  EXPECT_EQ(r.unreadable, 0u);  // not "cannot read": the daemon answers without storing
  const std::string ack = build_ack(r, 0, "A1");
  EXPECT_NE(ack.find("\rMSA|AE|CTRL1|"), std::string::npos) << ack;
  EXPECT_NE(ack.find("\rERR|||100|E|||" + why + "\r"), std::string::npos) << ack;
}

TEST(Ingest, SeveralPatientGroupsAreRefusedWhole) {
  // Two PID/PV1 groups: the daemon puts a message on one chair, so B_grpB's patient would
  // be charted on B_grpA.
  expect_refused_whole(ingest_message(oru_header() + "PID|||1\rPV1||I|^^B_grpA\r" + kObr + hr_row("73") +
                                          "PID|||999\rPV1||I|^^B_grpB\r" + kObr + hr_row("140"),
                                      {}),
                       "message carries 2 patient groups (PV1-3 locations B_grpA and B_grpB); one chair per "
                       "message is supported; not stored");
  // Same place, another patient; the patient ids are not echoed.
  expect_refused_whole(
      ingest_message(
          oru_header() + "PID|||1\rPV1||I|^^B1\r" + hr_row("73") + "PID|||999\rPV1||I|^^B1\r" + hr_row("140"),
          {}),
      "message carries 2 patient groups (different PID-3 patient identifiers); one chair per "
      "message is supported; not stored");
  // A second group without PV1 has no place: not the first group's chair.
  expect_refused_whole(
      ingest_message(oru_header() + "PID|||1\rPV1||I|^^B1\r" + hr_row("73") + "PID|||999\r" + hr_row("140"),
                     {}),
      "message carries 2 patient groups (PV1-3 locations B1 and none); one chair per message is supported; "
      "not "
      "stored");
  // A second PV1 alone moves the place.
  expect_refused_whole(
      ingest_message(oru_header() + "PID|||1\rPV1||I|^^B1\r" + hr_row("73") + "PV1||I|^^B2\r" + hr_row("140"),
                     {}),
      "message carries 2 patient groups (PV1-3 locations B1 and B2); one chair per message is supported; not "
      "stored");
}

TEST(Ingest, OnePatientRepeatedIsOneChair) {
  // A gateway that repeats the same PID/PV1 before each OBR: one patient, one chair.
  const IngestResult r = ingest_message(oru_header() + "PID|||1\rPV1||I|^^B1\r" + kObr + hr_row("73") +
                                            "PID|||1\rPV1||I|^^B1\r" + kObr + hr_row("74"),
                                        {});
  EXPECT_EQ(r.code, AckCode::AA);
  EXPECT_EQ(r.readings.size(), 2u);
  EXPECT_EQ(r.identity.location, "B1");
  // No PID at all, one PV1 (Welch Allyn, the test header): as before.
  EXPECT_EQ(ingest_message(oru_header() + "PV1||I|B1\r" + hr_row("73") + hr_row("74"), {}).code, AckCode::AA);
  // Two PIDs before the one PV1 (a bare one, then the patient's): the first carries nothing.
  const IngestResult two_pids =
      ingest_message(oru_header() + "PID|||GW\rPID|||1^^^Clinic^PI\rPV1||I|^^B1\r" + kObr + hr_row("73"), {});
  EXPECT_EQ(two_pids.code, AckCode::AA) << two_pids.error_text;
  EXPECT_EQ(two_pids.readings.size(), 1u);
  // The same place written with blanks around it is the same chair, as its name reads.
  const IngestResult blanks = ingest_message(oru_header() + "PID|||1\rPV1||I|^^CG1\r" + kObr + hr_row("73") +
                                                 "PID|||1\rPV1||I|^^ CG1 \r" + kObr + hr_row("74"),
                                             {});
  EXPECT_EQ(blanks.code, AckCode::AA) << blanks.error_text;
}

TEST(Ingest, DifferentDevicesWithoutALocationAreRefusedWhole) {
  IngestResult r0;
  // No PV1-3: the chair comes from OBX-18, and EQB's readings would land on EQA's chair.
  expect_refused_whole(
      ingest_message(oru_header() + hr_row("73", "EQA^EUI-64") + hr_row("140", "EQB^EUI-64"), {}),
      "OBX-18 names different devices (EQA and EQB) and PV1-3 gives no location; one chair per "
      "message is supported; not stored");
  expect_refused_whole(
      ingest_message(oru_header() + "PV1||I|^^\r" + hr_row("73", "EQA^EUI-64") + hr_row("74") +
                         hr_row("140", "EQB^EUI-64"),
                     {}),
      "OBX-18 names different devices (EQA and EQB) and PV1-3 gives no location; one chair per "
      "message is supported; not stored");
  // OBX-18 is read as PV1-3 and MSH-3 are: blanks around it are no part of the id, and
  // HL7's null "" names no device.
  r0 = ingest_message(
      oru_header() + hr_row("73", " EQ9 ^EUI-64") + hr_row("74", "\"\"") + hr_row("75", "EQ9"), {});
  EXPECT_EQ(r0.code, AckCode::AA) << r0.error_text;
  EXPECT_EQ(r0.identity.equipment_id, "EQ9");
  // The same device on every row, or only on some rows: one chair.
  IngestResult r =
      ingest_message(oru_header() + hr_row("73", "EQA^EUI-64") + hr_row("74") + hr_row("75", "EQA^X"), {});
  EXPECT_EQ(r.code, AckCode::AA);
  EXPECT_EQ(r.readings.size(), 3u);
  // PV1-3 names the chair: a monitor and a separate oximeter on it are fine.
  r = ingest_message(
      oru_header() + "PV1||I|^^B1\r" + hr_row("73", "EQA^EUI-64") + hr_row("140", "EQB^EUI-64"), {});
  EXPECT_EQ(r.code, AckCode::AA);
  EXPECT_EQ(r.readings.size(), 2u);
  EXPECT_EQ(r.identity.bed_key(), "B1");
}

TEST(Ingest, NonHl7StillGetsAnAnswer) {
  for (const std::string& junk :
       {std::string(""), std::string("hello\r"), std::string("GET / HTTP/1.1\r\n\r\n"), std::string("MSH"),
        std::string("\0\1\2", 3)}) {
    const IngestResult r = ingest_message(junk, {});
    EXPECT_EQ(r.code, AckCode::AR);
    EXPECT_EQ(r.error_code, 100);
    const std::string ack = build_ack(r, 0, "A1");
    Message m;
    ASSERT_EQ(m.parse(ack), ParseError::None) << ack;
    const Segment* msa = m.find("MSA");
    ASSERT_NE(msa, nullptr);
    EXPECT_EQ(msa->field(1), "AR");
    EXPECT_EQ(msa->field(2), "");
    EXPECT_NE(m.find("ERR"), nullptr);
  }
}

// A garbage OBX-14: the reading is kept at the fallback time, and the AA carries an ERR of
// severity W naming the field and the value, so the sender's engineer can see it. It is not
// an unreadable observation (no AE, no "cannot read" alarm).
TEST(Ingest, AnUnreadableObx14IsAWarningInTheAck) {
  const IngestResult r =
      ingest_message(oru_header() + "OBR|1||||||20240102000000\r" +
                         "OBX|1|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC||97|%|||||F|||gar|bage\r",
                     {});
  ASSERT_EQ(r.code, AckCode::AA);
  ASSERT_EQ(r.readings.size(), 1u);
  EXPECT_EQ(r.readings[0].measured_at_ms, 1704153600000);
  EXPECT_EQ(r.unreadable, 0u);
  EXPECT_TRUE(r.unreadable_summary.empty());
  const std::string ack = build_ack(r, 0, "A1");
  EXPECT_NE(ack.find("MSA|AA|CTRL1|\r"), std::string::npos) << ack;
  EXPECT_NE(ack.find("\rERR||OBX^1^14|102^Data type error^HL70357|W|||OBX-14 'gar' is not a time Vigil can "
                     "read; OBR-7 used instead\r"),
            std::string::npos)
      << ack;

  // Beside unreadable observations (AE), the warning is still there, after their errors.
  const IngestResult e = ingest_message(
      oru_header() + "OBX|1|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC||12O|%|||||F|||20240102\\F\\x\r", {});
  ASSERT_EQ(e.code, AckCode::AE);
  const std::string eack = build_ack(e, 0, "A1");
  EXPECT_NE(eack.find("\rERR||OBX^1^5|102^Data type error^HL70357|E|||OBX-5 '12O' is not a number\r"
                      "ERR||OBX^1^14|102^Data type error^HL70357|W|||OBX-14 '20240102\\F\\x' is not a time "
                      "Vigil can read; MSH-7 used instead\r"),
            std::string::npos)
      << eack;
}

// A byte order mark before MSH (Windows tools write one) is not part of the message: it
// was refused as "no MSH segment".
TEST(Ingest, AByteOrderMarkBeforeMshIsSkipped) {
  const IngestResult r = ingest_message("\xEF\xBB\xBF" + oru_header() + kObx, {});
  EXPECT_EQ(r.code, AckCode::AA) << r.error_text;
  EXPECT_EQ(r.ack.control_id, "CTRL1");
  EXPECT_EQ(r.readings.size(), 1u);
}

// A batch is HL7, just not one message per frame: the sender is told that, not "no MSH".
TEST(Ingest, ABatchIsRefusedForWhatItIs) {
  for (const std::string& header :
       {std::string("FHS|^~\\&|MON\rBHS|^~\\&|MON\r"), std::string("BHS|^~\\&|MON\r")}) {
    const IngestResult r = ingest_message(header + oru_header() + kObx + "BTS|1\rFTS|1\r", {});
    EXPECT_EQ(r.code, AckCode::AR);
    EXPECT_EQ(r.error_code, err::kUnsupportedMessageType);
    EXPECT_EQ(r.error_text, "HL7 batch (FHS/BHS) is not supported; send one message per MLLP frame");
    EXPECT_TRUE(r.readings.empty());
    const std::string ack = build_ack(r, 0, "A1");
    Message m;
    ASSERT_EQ(m.parse(ack), ParseError::None) << ack;
    EXPECT_EQ(m.find("MSA")->field(1), "AR");
    EXPECT_EQ(m.find("MSA")->field(3),
              "HL7 batch (FHS/BHS) is not supported; send one message per MLLP frame");
  }
}

}  // namespace
}  // namespace vigil::hl7
