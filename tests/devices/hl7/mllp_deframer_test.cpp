#include "hl7/mllp_deframer.hpp"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

namespace vigil::hl7 {
namespace {

const std::vector<std::string> kMessages = {
    "MSH|^~\\&|A||||20240101||ORU^R01|1|P|2.6\rOBX|1|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC||97\r",
    "MSH|^~\\&|B||||20240101||ORU^R01|2|P|2.6\r", std::string(3000, 'x'),
    "",  // an empty frame is still a frame
};

// Junk before, between and after the frames, none of it containing 0x0B.
std::string stream_with_junk() {
  std::string s = "garbage\r\n";
  for (const std::string& m : kMessages) {
    s += mllp_wrap(m);
    s += "\r\n  ";
  }
  return s;
}

std::vector<std::string> feed_in_chunks(const std::string& stream, const std::vector<std::size_t>& cuts,
                                        MllpDeframer& d) {
  std::vector<std::string> out;
  std::size_t begin = 0;
  for (std::size_t cut : cuts) {
    EXPECT_TRUE(d.feed(std::string_view(stream).substr(begin, cut - begin), out));
    begin = cut;
  }
  EXPECT_TRUE(d.feed(std::string_view(stream).substr(begin), out));
  return out;
}

TEST(MllpDeframer, WholeStreamGivesEveryMessageAndCountsJunk) {
  const std::string stream = stream_with_junk();
  MllpDeframer d;
  std::vector<std::string> out;
  ASSERT_TRUE(d.feed(stream, out));
  EXPECT_EQ(out, kMessages);
  EXPECT_EQ(d.messages(), kMessages.size());
  EXPECT_EQ(d.junk_bytes(), 9u + 4u * 4u);  // "garbage\r\n" + 4 x "\r\n  "
  EXPECT_FALSE(d.in_frame());
  EXPECT_EQ(d.buffered(), 0u);
}

TEST(MllpDeframer, EveryTwoChunkSplitGivesTheSameMessages) {
  const std::string stream = stream_with_junk();
  for (std::size_t cut = 0; cut <= stream.size(); ++cut) {
    MllpDeframer d;
    const auto out = feed_in_chunks(stream, {cut}, d);
    ASSERT_EQ(out, kMessages) << "split at " << cut;
    ASSERT_EQ(d.junk_bytes(), 25u) << "split at " << cut;
  }
}

TEST(MllpDeframer, OneByteWritesGiveTheSameMessages) {
  const std::string stream = stream_with_junk();
  MllpDeframer d;
  std::vector<std::string> out;
  for (char c : stream) ASSERT_TRUE(d.feed(std::string_view(&c, 1), out));
  EXPECT_EQ(out, kMessages);
  EXPECT_EQ(d.junk_bytes(), 25u);
}

TEST(MllpDeframer, RandomChunkingsGiveTheSameMessages) {
  const std::string stream = stream_with_junk();
  std::mt19937 rng(12345);
  for (int round = 0; round < 500; ++round) {
    std::vector<std::size_t> cuts;
    std::size_t pos = 0;
    while (true) {
      pos += std::uniform_int_distribution<std::size_t>(0, 200)(rng);
      if (pos >= stream.size()) break;
      cuts.push_back(pos);
    }
    MllpDeframer d;
    ASSERT_EQ(feed_in_chunks(stream, cuts, d), kMessages) << "round " << round;
    ASSERT_EQ(d.junk_bytes(), 25u);
  }
}

TEST(MllpDeframer, OversizeFrameFailsWithBoundedMemory) {
  constexpr std::size_t kBound = 100;
  MllpDeframer d(kBound);
  std::vector<std::string> out;
  ASSERT_TRUE(d.feed(mllp_wrap(std::string(kBound, 'a')), out));  // exactly the bound: fine
  ASSERT_EQ(out.size(), 1u);
  ASSERT_TRUE(d.feed(std::string(1, kMllpStart), out));
  bool ok = true;
  for (int i = 0; i < 1000 && ok; ++i) {
    ok = d.feed("0123456789", out);
    EXPECT_LE(d.buffered(), kBound);
  }
  EXPECT_FALSE(ok);
  EXPECT_TRUE(d.failed());
  EXPECT_EQ(d.oversize_frames(), 1u);
  EXPECT_EQ(d.buffered(), 0u);
  // Unusable from now on, even for a good frame.
  EXPECT_FALSE(d.feed(mllp_wrap("MSH|^~\\&|"), out));
  EXPECT_EQ(out.size(), 1u);
}

TEST(MllpDeframer, OversizeInOneChunkAlsoFails) {
  MllpDeframer d(10);
  std::vector<std::string> out;
  EXPECT_FALSE(d.feed(mllp_wrap("MSH|^~\\&|0123456789"), out));
  EXPECT_TRUE(out.empty());
  EXPECT_TRUE(d.failed());
  EXPECT_LE(d.buffered(), 10u);
}

// What feed_each with an oversize handler gave: messages, and "<size>:<head>" per skipped frame.
struct Skipped {
  std::vector<std::string> messages;
  std::vector<std::string> oversize;
};

Skipped feed_skipping(MllpDeframer& d, const std::string& stream, std::size_t chunk) {
  Skipped out;
  for (std::size_t at = 0; at < stream.size(); at += chunk) {
    EXPECT_TRUE(d.feed_each(
        std::string_view(stream).substr(at, chunk), [&](std::string_view m) { out.messages.emplace_back(m); },
        [&](std::string_view head, std::size_t bytes) {
          out.oversize.push_back(std::to_string(bytes) + ":" + std::string(head));
        }));
    EXPECT_LE(d.buffered(), d.max_frame_bytes());
  }
  return out;
}

// A frame over the bound is skipped to its end and reported with its first bytes (the MSH,
// to answer it) and its size; the frames after it come through. It closed the stream.
TEST(MllpDeframer, OversizeFrameIsSkippedToItsEndAndReported) {
  constexpr std::size_t kBound = 5000;
  const std::string msh = "MSH|^~\\&|MON||||20240101||ORU^R01|BIG1|P|2.6\r";
  const std::string big = msh + std::string(3 * kBound, 'x');
  const std::string stream = mllp_wrap("MSH|one") + mllp_wrap(big) + mllp_wrap("MSH|two") + "\x0b" +
                             std::string(kBound + 1, 'y') + "\x1c" + mllp_wrap("MSH|three");
  for (std::size_t chunk : {std::size_t{1}, std::size_t{7}, std::size_t{4096}, stream.size()}) {
    MllpDeframer d(kBound);
    const Skipped got = feed_skipping(d, stream, chunk);
    EXPECT_EQ(got.messages, (std::vector<std::string>{"MSH|one", "MSH|two", "MSH|three"})) << chunk;
    ASSERT_EQ(got.oversize.size(), 2u) << chunk;
    EXPECT_EQ(got.oversize[0], std::to_string(big.size()) + ":" + big.substr(0, kOversizeHeadBytes)) << chunk;
    // A bare end block ends a skipped frame too.
    EXPECT_EQ(got.oversize[1], std::to_string(kBound + 1) + ":" + std::string(kOversizeHeadBytes, 'y'));
    EXPECT_FALSE(d.failed());
    EXPECT_EQ(d.oversize_frames(), 2u);
    EXPECT_EQ(d.messages(), 3u);
    EXPECT_EQ(d.junk_bytes(), 0u);
    EXPECT_FALSE(d.in_frame());
    EXPECT_EQ(d.buffered(), 0u);
  }
  // A small bound keeps a head no larger than itself.
  MllpDeframer small(10);
  const Skipped got = feed_skipping(small, mllp_wrap("MSH|^~\\&|0123456789") + mllp_wrap("ok"), 3);
  EXPECT_EQ(got.oversize, (std::vector<std::string>{"19:MSH|^~\\&|0"}));
  EXPECT_EQ(got.messages, (std::vector<std::string>{"ok"}));
}

// A new start block abandons a skipped frame like any other (its sender gave up on it), and
// a frame that never ends still fails the stream, a bounded way past the bound.
TEST(MllpDeframer, SkippingIsAbandonedByANewStartAndBounded) {
  MllpDeframer d(100);
  Skipped got = feed_skipping(d, "\x0b" + std::string(500, 'a') + mllp_wrap("MSH|next"), 64);
  EXPECT_EQ(got.messages, (std::vector<std::string>{"MSH|next"}));
  EXPECT_TRUE(got.oversize.empty());
  EXPECT_EQ(d.abandoned_frames(), 1u);
  EXPECT_EQ(d.junk_bytes(), 501u);

  MllpDeframer endless(100);
  auto ignore = [](std::string_view) {};
  auto ignore_oversize = [](std::string_view, std::size_t) {};
  ASSERT_TRUE(endless.feed_each("\x0b", ignore, ignore_oversize));
  bool ok = true;
  std::size_t fed = 0;
  while (ok && fed < 100 * kOversizeSkipFactor * 2) {
    ok = endless.feed_each(std::string(50, 'z'), ignore, ignore_oversize);
    fed += 50;
    EXPECT_LE(endless.buffered(), 100u);
  }
  EXPECT_FALSE(ok);
  EXPECT_TRUE(endless.failed());
  EXPECT_GT(fed, 100 * kOversizeSkipFactor);
  EXPECT_LE(fed, 100 * kOversizeSkipFactor + 50);
  EXPECT_EQ(endless.buffered(), 0u);
}

TEST(MllpDeframer, TruncatedFrameIsReportedAndNewStartRestarts) {
  MllpDeframer d;
  std::vector<std::string> out;
  ASSERT_TRUE(d.feed("\x0bMSH|partial", out));
  EXPECT_TRUE(d.in_frame());
  EXPECT_EQ(d.buffered(), 11u);
  EXPECT_TRUE(out.empty());
  ASSERT_TRUE(d.feed("\x0bMSH|whole\x1c\x0d", out));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0], "MSH|whole");
  EXPECT_EQ(d.abandoned_frames(), 1u);
  EXPECT_EQ(d.junk_bytes(), 12u);  // the abandoned 0x0B and its 11 bytes
  EXPECT_FALSE(d.in_frame());
}

TEST(MllpDeframer, EndBlockWithoutCarriageReturnStillEndsTheFrame) {
  MllpDeframer d;
  std::vector<std::string> out;
  ASSERT_TRUE(
      d.feed("\x0b"
             "one\x1c\x0btwo\x1c\x0d",
             out));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0], "one");
  EXPECT_EQ(out[1], "two");
  EXPECT_EQ(d.bare_end_blocks(), 1u);
  EXPECT_EQ(d.junk_bytes(), 0u);
  ASSERT_TRUE(d.feed("\x0bthree\x1cX", out));  // the X after a bare end is junk
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[2], "three");
  EXPECT_EQ(d.junk_bytes(), 1u);
}

TEST(MllpDeframer, EndBlockSplitFromItsCarriageReturn) {
  MllpDeframer d;
  std::vector<std::string> out;
  ASSERT_TRUE(d.feed("\x0bMSH|x\x1c", out));
  EXPECT_TRUE(out.empty());
  EXPECT_TRUE(d.in_frame());
  ASSERT_TRUE(d.feed("\x0d", out));
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0], "MSH|x");
  EXPECT_EQ(d.bare_end_blocks(), 0u);
}

TEST(MllpWrap, AddsFramingBytes) {
  EXPECT_EQ(mllp_wrap("AB"), std::string("\x0b"
                                         "AB\x1c\x0d"));
}

}  // namespace
}  // namespace vigil::hl7
