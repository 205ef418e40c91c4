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

}  // namespace
}  // namespace vigil::hl7
