// MIB/RS-232 framing: FCS-16, stuffing, any chunking, and every kind of damage counted.
#include <gtest/gtest.h>

#include <random>

#include "intellivue/data_export_encoder.hpp"
#include "intellivue/mib_frame.hpp"
#include "iv_test_support.hpp"

namespace vigil::intellivue {
namespace {

using test::from_hex;

// CRC-16/X-25 (the PPP FCS-16 of RFC 1662) check value: "123456789" -> 0x906E
// (RFC 1662 appendix C's algorithm; the catalogue check value of CRC-16/X-25).
TEST(MibFcs, CheckValueOfRfc1662Fcs16) { EXPECT_EQ(mib_fcs16("123456789"), 0x906E); }

// RFC 1662 C.2: running the FCS over data followed by its FCS (low byte first) leaves the
// "good" residue 0xF0B8, i.e. our complemented value 0x0F47.
TEST(MibFcs, DataPlusFcsGivesTheGoodResidue) {
  const std::string data = from_hex("11 01 00 04 e1 00 00 02");
  const std::uint16_t fcs = mib_fcs16(data);
  std::string with = data;
  with.push_back(static_cast<char>(fcs & 0xFF));
  with.push_back(static_cast<char>(fcs >> 8));
  EXPECT_EQ(mib_fcs16(with), 0xF0B8 ^ 0xFFFF);
}

// VSCaptureMP (xeonfusion) Class2.cs mds_create_resp_msg, framed as Class3.cs WriteBuffer
// does: C0, 11 01 + big-endian length, user data, FCS over the unstuffed header and data
// (low byte first), C1.
TEST(MibFrame, EncodesHeaderLengthAndFcsOverUnstuffedBytes) {
  const std::string user = encode_mds_create_result(1, ManagedObjectId{kMocVmsMds, 0, 0}, 0x000ABD00);
  const std::string frame = encode_mib_frame(user);
  ASSERT_GE(frame.size(), 8u);
  EXPECT_EQ(frame.substr(0, 5), from_hex("c0 11 01 00 1c"));
  EXPECT_EQ(frame.substr(5, user.size()), user);  // no byte of this message needs stuffing
  const std::uint16_t fcs = mib_fcs16(from_hex("11 01 00 1c") + user);
  EXPECT_EQ(static_cast<std::uint8_t>(frame[5 + user.size()]), fcs & 0xFF);
  EXPECT_EQ(static_cast<std::uint8_t>(frame[6 + user.size()]), fcs >> 8);
  EXPECT_EQ(static_cast<std::uint8_t>(frame.back()), 0xC1);
}

TEST(MibFrame, StuffsFlagsAndEscapeInsideTheFrame) {
  const std::string frame = encode_mib_frame(from_hex("c0 c1 7d 20"));
  // C0 | 11 01 00 04 | 7D E0 7D E1 7D 5D 20 | fcs | C1
  EXPECT_EQ(frame.substr(0, 12), from_hex("c0 11 01 00 04 7d e0 7d e1 7d 5d 20"));
  for (std::size_t i = 1; i + 1 < frame.size(); ++i) {
    const auto b = static_cast<std::uint8_t>(frame[i]);
    EXPECT_TRUE(b != 0xC0 && b != 0xC1) << i;
  }
  EXPECT_TRUE(encode_mib_frame(std::string(kMaxMibUserData + 1, 'x')).empty());
}

std::vector<std::string> sample_messages() {
  return {encode_poll_request(1, 1), from_hex("c0 c1 7d 7d c0 00 ff"), encode_keep_alive(0x7D7D, 0xC0C1),
          std::string(kMaxMibUserData, '\xC1')};
}

std::string wire_of(const std::vector<std::string>& messages) {
  std::string wire;
  for (const auto& m : messages) wire += encode_mib_frame(m);
  return wire;
}

TEST(MibDeframer, AnyChunkingGivesTheSameMessages) {
  const auto messages = sample_messages();
  const std::string wire = wire_of(messages);
  std::mt19937 rng(42);
  for (int round = 0; round < 50; ++round) {
    MibDeframer d;
    std::vector<std::string> out;
    std::size_t at = 0;
    while (at < wire.size()) {
      const std::size_t n = 1 + rng() % (round < 5 ? 1 : 300);  // first rounds: byte by byte
      d.feed(std::string_view(wire).substr(at, n), out);
      at += n;
    }
    ASSERT_EQ(out, messages) << "round " << round;
    EXPECT_EQ(d.counters().frames, messages.size());
    EXPECT_EQ(d.counters().bad_frames(), 0u);
  }
}

TEST(MibDeframer, BadFcsIsCountedAndTheNextFrameStillArrives) {
  std::string bad = encode_mib_frame(encode_poll_request(1, 1));
  bad[10] ^= 0x01;  // a data byte (not a flag or escape) flipped on the line
  MibDeframer d;
  std::vector<std::string> out;
  d.feed(bad + encode_mib_frame(encode_poll_request(2, 2)), out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0], encode_poll_request(2, 2));
  EXPECT_EQ(d.counters().fcs_errors, 1u);
}

// PIPG "Frame Abort": 7D C1 ends the frame; nothing of it is delivered.
TEST(MibDeframer, AbortSequenceDropsTheFrame) {
  const std::string good = encode_mib_frame(encode_poll_request(3, 3));
  MibDeframer d;
  std::vector<std::string> out;
  d.feed(good.substr(0, 12) + from_hex("7d c1") + good, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(d.counters().aborts, 1u);
  EXPECT_EQ(d.counters().frames, 1u);
}

TEST(MibDeframer, JunkLostEndFlagsAndBadEscapesResync) {
  const std::string good = encode_mib_frame(encode_poll_request(4, 4));
  MibDeframer d;
  std::vector<std::string> out;
  // junk | half a frame whose C1 was lost | a frame | 7D C0 inside a frame | a frame
  d.feed(from_hex("00 11 c1 ff") + good.substr(0, 9) + good + good.substr(0, 6) + from_hex("7d") + good, out);
  EXPECT_EQ(out.size(), 2u);
  EXPECT_EQ(d.counters().junk_bytes, 4u);
  EXPECT_EQ(d.counters().unterminated_frames, 1u);
  EXPECT_EQ(d.counters().escape_errors, 1u);
}

TEST(MibDeframer, HeaderErrorsAreCounted) {
  MibDeframer d;
  std::vector<std::string> out;
  auto framed = [](std::string unstuffed) {  // a frame with a correct FCS over any header
    const std::uint16_t fcs = mib_fcs16(unstuffed);
    unstuffed.push_back(static_cast<char>(fcs & 0xFF));
    unstuffed.push_back(static_cast<char>(fcs >> 8));
    std::string out = from_hex("c0");
    for (char c : unstuffed) {
      const auto b = static_cast<std::uint8_t>(c);
      if (b == 0xC0 || b == 0xC1 || b == 0x7D) {
        out += from_hex("7d");
        out.push_back(static_cast<char>(b ^ 0x20));
      } else {
        out.push_back(c);
      }
    }
    return out + from_hex("c1");
  };
  d.feed(framed(from_hex("12 01 00 01 aa")), out);  // wrong protocol id
  d.feed(framed(from_hex("11 02 00 01 aa")), out);  // wrong message type
  d.feed(framed(from_hex("11 01 00 02 aa")), out);  // length says 2, one byte follows
  d.feed(from_hex("c0 11 01 c1 c0 c1"), out);       // shorter than header + FCS; empty frame
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(d.counters().header_errors, 5u);
  d.feed(framed(from_hex("11 01 00 01 aa")), out);
  EXPECT_EQ(out, std::vector<std::string>{from_hex("aa")});
}

TEST(MibDeframer, OversizeFrameIsDiscardedWithinItsBound) {
  MibDeframer d;
  std::vector<std::string> out;
  std::string runaway = from_hex("c0") + std::string(kMaxMibFrameBytes + 100, '\x55');
  d.feed(runaway + from_hex("c1") + encode_mib_frame(from_hex("01 02")), out);
  EXPECT_EQ(d.counters().oversize_frames, 1u);
  EXPECT_EQ(out, std::vector<std::string>{from_hex("01 02")});
  // The largest legal frame still passes.
  d.feed(encode_mib_frame(std::string(kMaxMibUserData, '\x7D')), out);
  EXPECT_EQ(out.size(), 2u);
}

}  // namespace
}  // namespace vigil::intellivue
