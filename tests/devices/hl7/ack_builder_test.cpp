#include "hl7/ack_builder.hpp"

#include <gtest/gtest.h>

#include "hl7/hl7_time.hpp"
#include "hl7/ingest.hpp"
#include "hl7/message.hpp"
#include "hl7_samples.hpp"

namespace vigil::hl7 {
namespace {

using testing::load_sample;

std::string segment_text(const std::string& message, std::string_view name) {
  Message m;
  EXPECT_EQ(m.parse(message), ParseError::None);
  const Segment* s = m.find(name);
  return s ? std::string(s->text()) : std::string();
}

TEST(AckBuilder, IheSampleMatchesTheReferenceAck) {
  const std::string reference = load_sample("ihe-pcd01-ack.hl7");
  IngestResult r = ingest_message(load_sample("ihe-pcd01-nibp.hl7"), {});
  ASSERT_EQ(r.code, AckCode::AA);
  r.ack.receiving_application = "Stepstone";  // our own name: the sender left MSH-5 empty
  const WallMillis now = *parse_hl7_time("20090726095731+0500", 0);
  const std::string ack = build_ack(r, now, "AMSGID1234");

  // The MSA segment byte for byte.
  EXPECT_EQ(segment_text(ack, "MSA"), segment_text(reference, "MSA"));
  EXPECT_EQ(segment_text(ack, "MSA"), "MSA|AA|MSGID1234|");
  EXPECT_EQ(ack.substr(ack.size() - 1), "\r");

  Message got, want, received;
  ASSERT_EQ(got.parse(ack), ParseError::None);
  ASSERT_EQ(want.parse(reference), ParseError::None);
  const std::string original = load_sample("ihe-pcd01-nibp.hl7");
  ASSERT_EQ(received.parse(original), ParseError::None);
  const Segment& g = got.segments()[0];
  const Segment& w = want.segments()[0];
  const Segment& o = received.segments()[0];
  for (std::size_t n : {1, 2, 3, 4, 6, 9, 10, 11, 12}) EXPECT_EQ(g.field(n), w.field(n)) << n;
  // Swapped: ACK MSH-3..6 = received MSH-5, 6, 3, 4 (the reference writes "EUI64" for the
  // sender's "EUI-64"; we echo what was actually received).
  EXPECT_EQ(g.field(5), o.field(3));
  EXPECT_EQ(g.field(6), o.field(4));
  EXPECT_EQ(g.field(4), o.field(6));
  EXPECT_EQ(parse_hl7_time(g.field(7), 0), parse_hl7_time(w.field(7), 0));
  EXPECT_EQ(got.segments().size(), 2u);  // no ERR on AA
}

TEST(AckBuilder, ErrorAckCarriesErrSegmentAndEscapedText) {
  AckContext ctx;
  ctx.control_id = "C9";
  ctx.trigger_event = "R01";
  const std::string ack = build_ack(ctx, AckCode::AE, "bad|field^x", 101, 0, "A9");
  EXPECT_EQ(ack,
            "MSH|^~\\&|||||19700101000000+0000||ACK^R01^ACK|A9|P|2.6\r"
            "MSA|AE|C9|bad\\F\\field\\S\\x\r"
            "ERR|||101|E|||bad\\F\\field\\S\\x\r");
}

// The daemon's own words (a refusal naming a chair, an ERR quoting an observation) are
// UTF-8: they are written in the sender's set, '?' for what it cannot hold, and MSH-18
// names the set when the sender named it.
TEST(AckBuilder, OurTextIsWrittenInTheSendersSet) {
  AckContext ctx;
  ctx.control_id = "C9";
  ctx.charset = Charset::Latin9;
  ctx.declare_charset = true;
  const std::vector<AckError> errors{{"OBX", 1, 5, 102, 'W', "OBX-5 '\xE2\x82\xAC' is not a number"}};
  EXPECT_EQ(build_ack(ctx, AckCode::AR, "chair LIT-\xC3\xA9 \xCE\xA9", 207, 0, "A9"),
            "MSH|^~\\&|||||19700101000000+0000||ACK^R01^ACK|A9|P|2.6||||||8859/15\r"
            "MSA|AR|C9|chair LIT-\xE9 ?\r"
            "ERR|||207|E|||chair LIT-\xE9 ?\r");
  EXPECT_EQ(build_ack(ctx, AckCode::AA, "", 0, 0, "A9", &errors),
            "MSH|^~\\&|||||19700101000000+0000||ACK^R01^ACK|A9|P|2.6||||||8859/15\r"
            "MSA|AA|C9|\r"
            "ERR||OBX^1^5|102^Data type error^HL70357|W|||OBX-5 '\xA4' is not a number\r");
  ctx.charset = Charset::Ascii;
  ctx.declare_charset = false;  // read as ASCII without MSH-18 saying so: none written
  EXPECT_EQ(build_ack(ctx, AckCode::AR, "chair LIT-\xC3\xA9", 207, 0, "A9"),
            "MSH|^~\\&|||||19700101000000+0000||ACK^R01^ACK|A9|P|2.6\r"
            "MSA|AR|C9|chair LIT-?\r"
            "ERR|||207|E|||chair LIT-?\r");
  ctx.charset = Charset::Utf8;  // as before: UTF-8 as it is
  EXPECT_EQ(build_ack(ctx, AckCode::AR, "chair LIT-\xC3\xA9", 207, 0, "A9"),
            "MSH|^~\\&|||||19700101000000+0000||ACK^R01^ACK|A9|P|2.6\r"
            "MSA|AR|C9|chair LIT-\xC3\xA9\r"
            "ERR|||207|E|||chair LIT-\xC3\xA9\r");
}

TEST(AckBuilder, CustomSeparatorsAreReused) {
  const std::string msg = "MSH#@*$%#APP@X#FAC#RCV#RFAC#20240102##ORU@R01#ID7#P#2.4\rOBX#1#NM#150456##97#%\r";
  const IngestResult r = ingest_message(msg, {});
  ASSERT_EQ(r.code, AckCode::AA);
  const std::string ack = build_ack(r, 0, "A1");
  EXPECT_TRUE(ack.starts_with("MSH#@*$%#RCV#RFAC#APP@X#FAC#19700101000000+0000##")) << ack;
  Message m;
  ASSERT_EQ(m.parse(ack), ParseError::None);
  EXPECT_EQ(m.segments()[0].field(9), "ACK@R01@ACK");
  EXPECT_EQ(m.segments()[0].field(12), "2.4");
  EXPECT_EQ(m.find("MSA")->text(), "MSA#AA#ID7#");
}

TEST(AckBuilder, BrokenContextFallsBackToDefaults) {
  AckContext ctx;
  ctx.field_separator = 'A';
  ctx.encoding_characters = "";
  ctx.control_id = "x\ry\x1c";
  const std::string ack = build_ack(ctx, AckCode::AR, "no", 100, 0, "id");
  Message m;
  ASSERT_EQ(m.parse(ack), ParseError::None);
  EXPECT_EQ(m.delimiters().field, '|');
  EXPECT_EQ(m.segments().size(), 3u);
  EXPECT_EQ(m.find("MSA")->field(2), "x y ");
}

TEST(AckBuilder, CodesAsText) {
  EXPECT_EQ(to_string(AckCode::AA), "AA");
  EXPECT_EQ(to_string(AckCode::AE), "AE");
  EXPECT_EQ(to_string(AckCode::AR), "AR");
}

}  // namespace
}  // namespace vigil::hl7

namespace vigil::hl7 {
namespace {

AckPlan plan(std::string_view accept, std::string_view application, AckCode outcome) {
  AckContext ctx;
  ctx.accept_ack = parse_ack_condition(accept);
  ctx.application_ack = parse_ack_condition(application);
  return plan_acks(ctx, outcome);
}

// Table 0155 per field; both empty is original mode (one application ACK).
TEST(AckPlanning, Msh15And16DecideTheCommitAndApplicationAcks) {
  auto same = [](AckPlan p, bool commit, bool application) {
    return p.commit == commit && p.application == application;
  };
  EXPECT_TRUE(same(plan("", "", AckCode::AA), false, true));
  EXPECT_TRUE(same(plan("", "", AckCode::AR), false, true));
  EXPECT_TRUE(same(plan("NE", "AL", AckCode::AA), false, true));  // IHE PCD-01
  EXPECT_TRUE(same(plan("AL", "NE", AckCode::AA), true, false));
  EXPECT_TRUE(same(plan("AL", "AL", AckCode::AE), true, true));
  EXPECT_TRUE(same(plan("NE", "NE", AckCode::AA), false, false));
  EXPECT_TRUE(same(plan("ER", "ER", AckCode::AA), false, false));
  EXPECT_TRUE(same(plan("ER", "ER", AckCode::AR), true, true));
  EXPECT_TRUE(same(plan("SU", "SU", AckCode::AA), true, true));
  EXPECT_TRUE(same(plan("SU", "SU", AckCode::AE), false, false));
  EXPECT_TRUE(same(plan("AL", "", AckCode::AA), true, true));   // empty MSH-16: the original default
  EXPECT_TRUE(same(plan("", "AL", AckCode::AA), false, true));  // empty MSH-15: no commit ACK
  EXPECT_TRUE(same(plan("XX", "", AckCode::AA), false, true));  // unknown words are empty
  EXPECT_EQ(commit_code(AckCode::AA), AckCode::CA);
  EXPECT_EQ(commit_code(AckCode::AE), AckCode::CE);
  EXPECT_EQ(commit_code(AckCode::AR), AckCode::CR);
  EXPECT_EQ(to_string(AckCode::CE), "CE");
}

TEST(AckPlanning, ACommitAckIsAnAckWithMsaCaAndNoErrOnSuccess) {
  AckContext ctx;
  ctx.control_id = "M1";
  ctx.trigger_event = "R01";
  const std::string ack = build_ack(ctx, AckCode::CA, "", 0, 0, "V1");
  EXPECT_NE(ack.find("\rMSA|CA|M1"), std::string::npos) << ack;
  EXPECT_EQ(ack.find("ERR"), std::string::npos) << ack;
  const std::string error = build_ack(ctx, AckCode::CE, "bad", 102, 0, "V2");
  EXPECT_NE(error.find("\rMSA|CE|M1|bad"), std::string::npos) << error;
  EXPECT_NE(error.find("\rERR|"), std::string::npos) << error;
}

}  // namespace
}  // namespace vigil::hl7
