// The allocation-free paths must answer exactly as the one-shot ones: MllpDeframer::feed_each
// against feed(), Ingester against ingest_message() over a sequence of different messages
// (so stale state from an earlier message would show), append_framed_ack against
// mllp_wrap(build_ack()).

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "hl7/ingest.hpp"
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
      oru_header() + "PV1||I|^^BED\\T\\7\r" + kSpo2 +         // escaped location
          "OBX|2|ST|99999^LOCAL_THING^L||text\\F\\value|||||F|||||||EQ\\S\\1\r" +
          "OBX|3|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC|||mmHg|||||X\r",
      lf,
      ihe,
      "MSH|^~\\&|\r",
  };
}

void expect_same(const IngestResult& got, const IngestResult& want, const std::string& what) {
  SCOPED_TRACE(what);
  EXPECT_EQ(got.code, want.code);
  EXPECT_EQ(got.error_code, want.error_code);
  EXPECT_EQ(got.error_text, want.error_text);
  EXPECT_EQ(got.message_type, want.message_type);
  const AckContext &a = got.ack, &b = want.ack;
  EXPECT_EQ(a.field_separator, b.field_separator);
  EXPECT_EQ(a.encoding_characters, b.encoding_characters);
  EXPECT_EQ(a.sending_application, b.sending_application);
  EXPECT_EQ(a.sending_facility, b.sending_facility);
  EXPECT_EQ(a.receiving_application, b.receiving_application);
  EXPECT_EQ(a.receiving_facility, b.receiving_facility);
  EXPECT_EQ(a.control_id, b.control_id);
  EXPECT_EQ(a.trigger_event, b.trigger_event);
  EXPECT_EQ(a.processing_id, b.processing_id);
  EXPECT_EQ(a.version, b.version);
  EXPECT_EQ(got.identity.location, want.identity.location);
  EXPECT_EQ(got.identity.location_raw, want.identity.location_raw);
  EXPECT_EQ(got.identity.equipment_id, want.identity.equipment_id);
  EXPECT_EQ(got.identity.sending_application, want.identity.sending_application);
  EXPECT_EQ(got.identity.sending_facility, want.identity.sending_facility);
  ASSERT_EQ(got.readings.size(), want.readings.size());
  for (std::size_t i = 0; i < got.readings.size(); ++i) {
    const Reading &r = got.readings[i], &w = want.readings[i];
    EXPECT_EQ(r.bed, w.bed);
    EXPECT_EQ(r.kind, w.kind);
    EXPECT_EQ(r.value, w.value);
    EXPECT_EQ(r.measured_at_ms, w.measured_at_ms);
    EXPECT_EQ(r.received_at_ms, w.received_at_ms);
    EXPECT_EQ(r.source, w.source);
    EXPECT_EQ(r.valid, w.valid);
    EXPECT_EQ(r.status, w.status);
  }
  ASSERT_EQ(got.unmapped.size(), want.unmapped.size());
  for (std::size_t i = 0; i < got.unmapped.size(); ++i) {
    const UnmappedObservation &u = got.unmapped[i], &w = want.unmapped[i];
    EXPECT_EQ(u.bed, w.bed);
    EXPECT_EQ(u.source, w.source);
    EXPECT_EQ(u.code, w.code);
    EXPECT_EQ(u.value, w.value);
    EXPECT_EQ(u.unit, w.unit);
    EXPECT_EQ(u.measured_at_ms, w.measured_at_ms);
    EXPECT_EQ(u.received_at_ms, w.received_at_ms);
  }
  EXPECT_EQ(got.empty_observations, want.empty_observations);
  EXPECT_EQ(got.nibp_failed, want.nibp_failed);
}

TEST(Ingester, GivesWhatIngestMessageGivesMessageAfterMessage) {
  const std::vector<std::string> messages = varied_messages();
  MapOptions options;
  options.default_utc_offset_minutes = 60;
  Ingester ingester(options);
  // Forwards, backwards and shuffled: every message follows several different ones.
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < messages.size(); ++i) order.push_back(i);
  for (std::size_t i = messages.size(); i-- > 0;) order.push_back(i);
  std::mt19937 rng(7);
  for (int round = 0; round < 5; ++round) {
    std::vector<std::size_t> shuffled(messages.size());
    for (std::size_t i = 0; i < shuffled.size(); ++i) shuffled[i] = i;
    std::shuffle(shuffled.begin(), shuffled.end(), rng);
    order.insert(order.end(), shuffled.begin(), shuffled.end());
  }
  int accepted = 0;
  for (std::size_t k : order) {
    const IngestResult want = ingest_message(messages[k], options);
    const IngestResult& got = ingester.ingest(messages[k]);
    expect_same(got, want, "message " + std::to_string(k));
    accepted += got.code == AckCode::AA;
  }
  EXPECT_GT(accepted, 10);  // the sequence really mixes accepted and refused messages
}

TEST(Ingester, ResultOutlivesTheMessageText) {
  Ingester ingester;
  std::string text = load_sample("philips-efficia-orf-r04.hl7");
  const IngestResult want = ingest_message(text, {});
  const IngestResult& got = ingester.ingest(text);
  std::fill(text.begin(), text.end(), 'x');  // the result must not view the text
  expect_same(got, want, "after overwrite");
}

TEST(FramedAck, IsTheWrappedAckAppended) {
  for (const std::string& m : varied_messages()) {
    const IngestResult r = ingest_message(m, {});
    std::string out = "previous";
    append_framed_ack(out, r, 1'790'000'000'123, "VIGIL42");
    EXPECT_EQ(out, "previous" + mllp_wrap(build_ack(r, 1'790'000'000'123, "VIGIL42")));
  }
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
