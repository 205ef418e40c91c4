// The allocation-free path must answer exactly as the one-shot one: MllpDeframer::feed_each
// against feed(), over a sequence of different messages (so stale state from an earlier
// message would show).

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "hl7/mllp_deframer.hpp"
#include "hl7_samples.hpp"

namespace vigil::hl7 {
namespace {

using testing::load_sample;
using testing::oru_header;

const std::string kSpo2 = "OBX|1|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC||97|%|||||F\r";

// Messages of every outcome and shape, in an order where each differs from the one before.
std::vector<std::string> varied_messages() {
  const std::string ihe = load_sample("ihe-pcd01-nibp.hl7");
  const std::string efficia = load_sample("philips-efficia-orf-r04.hl7");
  std::string lf = efficia;
  for (char& c : lf) {
    if (c == '\r') c = '\n';
  }
  return {
      efficia,
      ihe,
      oru_header() + kSpo2,
      oru_header("20240102030405", "") + kSpo2,              // AE: no MSH-10
      oru_header(),                                          // AE: no OBX
      "MSH|^~\\&|X||||20240101||ADT^A01|9|P|2.6\r" + kSpo2,  // AR: type
      "MSH|^~\\&|X||||20240101||ORU^R01|9|Q|2.6\r" + kSpo2,  // AR: processing id
      "not hl7 at all",
      "",
      efficia,
      oru_header() + "PV1||I|^^BED\\T\\7\r" + kSpo2 +  // escaped location
          "OBX|2|ST|99999^LOCAL_THING^L||text\\F\\value|||||F|||||||EQ\\S\\1\r" +
          "OBX|3|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC|||mmHg|||||X\r",
      lf,
      ihe,
      "MSH|^~\\&|\r",
  };
}

// --- feed_each ------------------------------------------------------------------------------

std::string framed_stream() {
  std::string s = "junk";
  for (const std::string& m : varied_messages()) s += mllp_wrap(m) + "\r\n";
  s += mllp_wrap(std::string(70 * 1024, 'z'));  // beyond the 4 KiB buffer kept
  s += std::string(1, kMllpStart) + "abandoned" + mllp_wrap("after");
  return s;
}

TEST(MllpFeedEach, GivesWhatFeedGivesForAnyChunking) {
  const std::string stream = framed_stream();
  std::mt19937 rng(99);
  for (int round = 0; round < 200; ++round) {
    MllpDeframer copying, viewing;
    std::vector<std::string> want, got;
    std::size_t pos = 0;
    while (pos < stream.size()) {
      const std::size_t n = std::uniform_int_distribution<std::size_t>(1, round < 100 ? 64 : 20000)(rng);
      const std::string_view chunk = std::string_view(stream).substr(pos, n);
      ASSERT_TRUE(copying.feed(chunk, want));
      ASSERT_TRUE(viewing.feed_each(chunk, [&](std::string_view m) { got.emplace_back(m); }));
      pos += n;
    }
    ASSERT_EQ(got, want) << "round " << round;
    EXPECT_EQ(viewing.messages(), copying.messages());
    EXPECT_EQ(viewing.junk_bytes(), copying.junk_bytes());
    EXPECT_EQ(viewing.abandoned_frames(), 1u);
    EXPECT_EQ(viewing.buffered(), 0u);
  }
}

TEST(MllpFeedEach, AWholeFrameIsAViewIntoTheCallersBytes) {
  const std::string stream = mllp_wrap("MSH|^~\\&|A\r") + mllp_wrap("MSH|^~\\&|B\r");
  MllpDeframer d;
  int seen = 0;
  ASSERT_TRUE(d.feed_each(stream, [&](std::string_view m) {
    EXPECT_GE(m.data(), stream.data());
    EXPECT_LE(m.data() + m.size(), stream.data() + stream.size());
    ++seen;
  }));
  EXPECT_EQ(seen, 2);
}

TEST(MllpFeedEach, OversizeFailsAndStaysFailed) {
  MllpDeframer d(16);
  int seen = 0;
  auto count = [&](std::string_view) { ++seen; };
  EXPECT_TRUE(d.feed_each(mllp_wrap("short"), count));
  EXPECT_FALSE(d.feed_each(mllp_wrap(std::string(17, 'a')), count));
  EXPECT_FALSE(d.feed_each(mllp_wrap("short"), count));
  EXPECT_EQ(seen, 1);
  EXPECT_TRUE(d.failed());
  EXPECT_EQ(d.buffered(), 0u);
}

}  // namespace
}  // namespace vigil::hl7
