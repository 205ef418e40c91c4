// FrameDecoder: splitting, limits, and round trips with encode_frame.
#include "net/frame_codec.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "stream.pb.h"

namespace vigil::stream {
namespace {

proto::ServerMessage reading_message(int i) {
  proto::ServerMessage m;
  auto* r = m.mutable_reading();
  r->set_bed("CHAIR" + std::to_string(i));
  r->set_kind(proto::HR);
  r->set_value(60 + i);
  r->set_unit("/min");
  r->set_measured_at_ms(1'700'000'000'000 + i);
  return m;
}

// Three frames of different sizes, one of them empty, one with a 2-byte length prefix.
std::string three_frames(std::vector<std::string>& payloads) {
  proto::ServerMessage big = reading_message(1);
  big.mutable_reading()->set_source(std::string(300, 'x'));
  const proto::ServerMessage msgs[] = {reading_message(0), proto::ServerMessage{}, big};
  std::string stream;
  for (const auto& m : msgs) {
    payloads.push_back(m.SerializeAsString());
    stream += net::encode_frame(m);
  }
  return stream;
}

TEST(FrameDecoder, WholeStreamAtOnce) {
  std::vector<std::string> expected;
  const std::string stream = three_frames(expected);
  net::FrameDecoder decoder;
  std::vector<std::string> out;
  ASSERT_TRUE(decoder.feed(stream, out));
  EXPECT_EQ(out, expected);
  EXPECT_EQ(decoder.buffered(), 0u);
  proto::ServerMessage parsed;
  ASSERT_TRUE(parsed.ParseFromString(out[2]));
  EXPECT_EQ(parsed.reading().source().size(), 300u);
}

TEST(FrameDecoder, EverySplitIntoTwoOrThreePiecesYieldsTheSameFrames) {
  std::vector<std::string> expected;
  const std::string stream = three_frames(expected);
  for (std::size_t a = 0; a <= stream.size(); ++a) {
    for (std::size_t b = a; b <= stream.size(); b += 7) {
      net::FrameDecoder decoder;
      std::vector<std::string> out;
      ASSERT_TRUE(decoder.feed(std::string_view(stream).substr(0, a), out));
      ASSERT_TRUE(decoder.feed(std::string_view(stream).substr(a, b - a), out));
      ASSERT_TRUE(decoder.feed(std::string_view(stream).substr(b), out));
      ASSERT_EQ(out, expected) << "split at " << a << "," << b;
      EXPECT_EQ(decoder.buffered(), 0u);
    }
  }
}

TEST(FrameDecoder, ByteAtATime) {
  std::vector<std::string> expected;
  const std::string stream = three_frames(expected);
  net::FrameDecoder decoder;
  std::vector<std::string> out;
  for (char c : stream) ASSERT_TRUE(decoder.feed(std::string_view(&c, 1), out));
  EXPECT_EQ(out, expected);
}

TEST(FrameDecoder, PartialFrameIsHeldNotEmitted) {
  const std::string frame = net::encode_frame(reading_message(3));
  net::FrameDecoder decoder;
  std::vector<std::string> out;
  ASSERT_TRUE(decoder.feed(std::string_view(frame).substr(0, frame.size() - 1), out));
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(decoder.buffered(), frame.size() - 2);  // payload held; the 1-byte prefix is decoded
  ASSERT_TRUE(decoder.feed(std::string_view(frame).substr(frame.size() - 1), out));
  EXPECT_EQ(out.size(), 1u);
}

TEST(FrameDecoder, RaisedBoundAppliesToTheNextPrefix) {
  // The server's pre-login bound: 4 KiB until the hello is accepted, then the normal one.
  net::FrameDecoder small(4096);
  std::vector<std::string> out;
  EXPECT_FALSE(small.feed(std::string("\x80\x80\x40", 3), out)) << "1 MiB prefix before login";
  net::FrameDecoder raised(4096);
  raised.set_max_frame_bytes(net::kMaxFrameBytes);
  EXPECT_TRUE(raised.feed(std::string("\x80\x80\x40", 3), out));
  EXPECT_TRUE(out.empty());
}

TEST(FrameDecoder, OversizeLengthFailsBeforeAnyPayload) {
  net::FrameDecoder decoder(1000);
  std::vector<std::string> out;
  // 1001 as a varint: 0xE9 0x07.
  EXPECT_FALSE(decoder.feed(std::string("\xE9\x07", 2), out));
  EXPECT_TRUE(decoder.failed());
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(decoder.buffered(), 0u);
  // Dead stays dead, even for good input.
  EXPECT_FALSE(decoder.feed(net::encode_frame(reading_message(1)), out));
  EXPECT_TRUE(out.empty());
}

TEST(FrameDecoder, DefaultLimitIsOneMebibyte) {
  net::FrameDecoder ok_decoder;
  std::vector<std::string> out;
  // Exactly 1 MiB announced: accepted (waits for the payload).
  EXPECT_TRUE(ok_decoder.feed(std::string("\x80\x80\x40", 3), out));
  net::FrameDecoder bad_decoder;
  // 1 MiB + 1.
  EXPECT_FALSE(bad_decoder.feed(std::string("\x81\x80\x40", 3), out));
}

TEST(FrameDecoder, MalformedVarintFails) {
  net::FrameDecoder decoder;
  std::vector<std::string> out;
  EXPECT_FALSE(decoder.feed(std::string(10, '\xff'), out));
  EXPECT_TRUE(decoder.failed());
  net::FrameDecoder overflow;
  // Ten bytes whose last carries more than the 64th bit.
  EXPECT_FALSE(overflow.feed(std::string(9, '\x80') + std::string("\x02", 1), out));
}

TEST(FrameDecoder, FramesBeforeAnErrorAreStillDelivered) {
  const std::string good = net::encode_frame(reading_message(4));
  net::FrameDecoder decoder;
  std::vector<std::string> out;
  EXPECT_FALSE(decoder.feed(good + std::string(11, '\xff'), out));
  EXPECT_EQ(out.size(), 1u);
}

TEST(FrameDecoder, MemoryStaysBoundedUnderEndlessPartialInput) {
  net::FrameDecoder decoder(4096);
  std::vector<std::string> out;
  std::string frame(4096, 'a');
  const std::string prefix("\x80\x20", 2);  // 4096
  for (int i = 0; i < 100; ++i) {
    ASSERT_TRUE(decoder.feed(prefix + frame, out));
    ASSERT_LE(decoder.buffered(), 4096u + 10u);
  }
  // A frame that never completes holds at most the limit.
  ASSERT_TRUE(decoder.feed(prefix + frame.substr(0, 4000), out));
  EXPECT_LE(decoder.buffered(), 4096u + 10u);
  EXPECT_EQ(out.size(), 100u);
}

TEST(FrameDecoder, EncodeFrameRoundTripsLargeMessage) {
  proto::ServerMessage m = reading_message(5);
  m.mutable_reading()->set_source(std::string(200'000, 's'));
  const std::string frame = net::encode_frame(m);
  net::FrameDecoder decoder;
  std::vector<std::string> out;
  ASSERT_TRUE(decoder.feed(frame, out));
  ASSERT_EQ(out.size(), 1u);
  proto::ServerMessage back;
  ASSERT_TRUE(back.ParseFromString(out[0]));
  EXPECT_EQ(back.reading().source(), m.reading().source());
}

}  // namespace
}  // namespace vigil::stream
