// The simulator's own codec pieces: ORU^R01 text in both styles, MLLP framing of replies,
// ACK parsing.

#include <gtest/gtest.h>

#include "sim/ack_reader.hpp"
#include "sim/oru_writer.hpp"

namespace vigil::sim {
namespace {

constexpr WallMillis kT0 = 1763720100000;  // 2025-11-21T10:15:00Z

std::vector<std::string> segments(const std::string& msg) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < msg.size()) {
    auto cr = msg.find('\r', pos);
    out.push_back(msg.substr(pos, cr - pos));
    if (cr == std::string::npos) break;
    pos = cr + 1;
  }
  return out;
}

std::string field(const std::string& segment, int index) {
  std::size_t pos = 0;
  for (int i = 0; i < index; ++i) {
    pos = segment.find('|', pos);
    if (pos == std::string::npos) return "";
    ++pos;
  }
  return segment.substr(pos, segment.find('|', pos) - pos);
}

OruContent nibp_and_numerics() {
  OruContent c;
  c.numerics = NumericsObservation{74, 97, kT0};
  NibpObservation n;
  n.sys_mmhg = 168;
  n.dia_mmhg = 104;
  n.mean_mmhg = 125;
  n.completed_at_ms = kT0 - 5000;
  c.nibp = n;
  return c;
}

TEST(OruWriter, HeaderAndTimestamp) {
  EXPECT_EQ(hl7_timestamp(kT0), "20251121101500+0000");
  const auto segs = segments(
      build_oru(nibp_and_numerics(), {"CHAIR3", "0011223344556677"}, MessageStyle::Ihe, "ID42", kT0));
  ASSERT_GE(segs.size(), 4u);
  EXPECT_EQ(field(segs[0], 8), "ORU^R01^ORU_R01");
  EXPECT_EQ(field(segs[0], 9), "ID42");
  EXPECT_EQ(field(segs[0], 11), "2.6");
  EXPECT_EQ(field(segs[0], 20), "IHE PCD ORU-R01 2006^HL7^1.3.6.1.4.1.19376.1.6.1.1.1^ISO");
  EXPECT_EQ(segs[1], "PV1||I|^^CHAIR3");
}

TEST(OruWriter, IheRowsCarryMdcCodesUnitsTimesAndEquipment) {
  const auto segs = segments(
      build_oru(nibp_and_numerics(), {"CHAIR3", "0011223344556677"}, MessageStyle::Ihe, "ID42", kT0));
  ASSERT_EQ(segs.size(), 8u);  // MSH PV1 OBR + HR SpO2 SYS DIA MEAN
  EXPECT_EQ(segs[3],
            "OBX|1|NM|147842^MDC_ECG_HEART_RATE^MDC|1.1.1.1|74|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R|||"
            "20251121101500+0000||||0011223344556677^EUI-64");
  EXPECT_EQ(field(segs[5], 3), "150021^MDC_PRESS_BLD_NONINV_SYS^MDC");
  EXPECT_EQ(field(segs[5], 5), "168");
  EXPECT_EQ(field(segs[5], 6), "266016^MDC_DIM_MMHG^MDC");
  EXPECT_EQ(field(segs[5], 11), "R");
  EXPECT_EQ(field(segs[5], 14), "20251121101455+0000");
  EXPECT_EQ(field(segs[5], 18), "0011223344556677^EUI-64");
  EXPECT_EQ(field(segs[6], 5), "104");
  EXPECT_EQ(field(segs[7], 5), "125");
}

TEST(OruWriter, VendorRowsUseMdilCodes) {
  const auto segs = segments(
      build_oru(nibp_and_numerics(), {"CHAIR3", "0011223344556677"}, MessageStyle::Vendor, "ID7", kT0));
  ASSERT_EQ(segs.size(), 8u);
  EXPECT_EQ(segs[0], "MSH|^~\\&|^EfficiaCM||||20251121101500+0000||ORU^R01|ID7|P|2.4");
  EXPECT_EQ(segs[1], "PV1|||^^CHAIR3");
  EXPECT_EQ(segs[3], "OBX||NM|0002-4182^HR^MDIL||74|0004-0aa0^bpm^MDIL|||||F");
  EXPECT_EQ(segs[4], "OBX||NM|0002-4bb8^SpO2^MDIL||97|0004-0220^%^MDIL|||||F");
  EXPECT_EQ(segs[5], "OBX||NM|0002-4a05^NBPs^MDIL||168|0004-0f20^mmHg^MDIL|||||F|||20251121101455+0000");
}

TEST(OruWriter, FailedNibpHasInvalidEmptyRowsAndAnErrorRow) {
  OruContent c;
  NibpObservation n;
  n.failed = true;
  n.error = "CUFF LEAK";
  n.completed_at_ms = kT0;
  c.nibp = n;
  const auto segs = segments(build_oru(c, {"C1", "0011223344556677"}, MessageStyle::Ihe, "X1", kT0));
  ASSERT_EQ(segs.size(), 7u);
  for (int i = 3; i < 6; ++i) {
    EXPECT_EQ(field(segs[static_cast<std::size_t>(i)], 5), "");
    EXPECT_EQ(field(segs[static_cast<std::size_t>(i)], 11), "X");
  }
  EXPECT_EQ(field(segs[6], 3), "NIBP_ERR^NIBP measurement error^L");
  EXPECT_EQ(field(segs[6], 5), "CUFF LEAK");
}

TEST(OruWriter, DelimitersInTheChairNameAreStripped) {
  const auto segs = segments(build_oru({}, {"CH|A^IR", "0011223344556677"}, MessageStyle::Ihe, "I|D", kT0));
  EXPECT_EQ(segs[1], "PV1||I|^^CHAIR");
  EXPECT_EQ(field(segs[0], 9), "ID");
}

TEST(AckReader, ParsesMsaAndFraming) {
  ReplyDeframer d;
  const std::string ack = "MSH|^~\\&|V||||20251121||ACK^R01^ACK|A1|P|2.6\rMSA|AE|ID42|bad\rERR|||100|E\r";
  const std::string wire = "junk" + mllp_frame(ack) + "\x0b" + "partial" + mllp_frame(ack);
  d.feed(wire.data(), 10);
  d.feed(wire.data() + 10, wire.size() - 10);
  auto first = d.next();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(*first, ack);
  auto second = d.next();
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(*second, ack);  // the unfinished frame was dropped at the next start byte
  EXPECT_FALSE(d.next().has_value());
  auto parsed = parse_ack(ack);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->code, "AE");
  EXPECT_EQ(parsed->control_id, "ID42");
  EXPECT_FALSE(parse_ack("MSH|^~\\&|V\rPID|1\r").has_value());
  EXPECT_FALSE(parse_ack("").has_value());
  EXPECT_FALSE(parse_ack("MSH|^~\\&\rMSA|\r").has_value());
}

TEST(AckReader, OversizeFrameIsDroppedNotBuffered) {
  ReplyDeframer d(16);
  const std::string big = mllp_frame(std::string(100, 'x'));
  d.feed(big.data(), big.size());
  EXPECT_FALSE(d.next().has_value());
  EXPECT_EQ(d.oversize_drops(), 1u);
  const std::string ok = mllp_frame("MSH|^~\\&|A");
  d.feed(ok.data(), ok.size());
  EXPECT_TRUE(d.next().has_value());
}

}  // namespace
}  // namespace vigil::sim
