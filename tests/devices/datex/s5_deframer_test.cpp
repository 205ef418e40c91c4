// Deframer: any chunking gives the same records; damage is counted and resynced.
#include <gtest/gtest.h>

#include <random>

#include "datex/s5_decoder.hpp"
#include "datex/s5_deframer.hpp"
#include "datex/s5_encoder.hpp"
#include "s5_test_support.hpp"

namespace vigil::datex {
namespace {

using test::from_hex;
using test::typical_reply;

// Three records whose bytes include 0x7E / 0x7D so stuffing is exercised.
std::vector<std::string> sample_records() {
  std::vector<std::string> records;
  auto reply = typical_reply();
  reply.basic.ecg_hr = 0x7E;   // stuffed as 7D 5E
  reply.basic.spo2_pr = 0x7D;  // stuffed as 7D 5D
  records.push_back(encode_record(
      reply.header,
      std::vector<SubrecordBytes>{{1, encode_basic_phdb_subrecord(reply.header.r_time, reply.basic)},
                                  {4, encode_aux_subrecord(0x7E7D7E7D)}}));
  records.push_back(encode_request_record(PhdbRecordType::Trend60s, 60, kAllExtendedClasses));
  records.push_back(encode_request_record(PhdbRecordType::Displayed, 10, kAllExtendedClasses));
  return records;
}

std::string frames_of(const std::vector<std::string>& records) {
  std::string wire;
  for (const auto& r : records) wire += encode_frame(r);
  return wire;
}

std::vector<std::string> feed_chunks(const std::string& wire, const std::vector<std::size_t>& cuts,
                                     S5Deframer& d) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t cut : cuts) {
    d.feed(std::string_view(wire).substr(start, cut - start), out);
    start = cut;
  }
  d.feed(std::string_view(wire).substr(start), out);
  return out;
}

TEST(S5Deframer, WholeStreamGivesEveryRecordBack) {
  const auto records = sample_records();
  S5Deframer d;
  std::vector<std::string> out;
  EXPECT_EQ(d.feed(frames_of(records), out), records.size());
  EXPECT_EQ(out, records);
  EXPECT_EQ(d.counters().records, records.size());
  EXPECT_EQ(d.counters().bad_frames(), 0u);
  EXPECT_EQ(d.counters().junk_bytes, 0u);
}

TEST(S5Deframer, EveryTwoChunkSplitGivesTheSameRecords) {
  const auto records = sample_records();
  const std::string wire = frames_of(records);
  for (std::size_t cut = 0; cut <= wire.size(); ++cut) {
    S5Deframer d;
    ASSERT_EQ(feed_chunks(wire, {cut}, d), records) << "cut at " << cut;
    ASSERT_EQ(d.counters().bad_frames(), 0u) << "cut at " << cut;
  }
}

TEST(S5Deframer, OneByteAtATimeGivesTheSameRecords) {
  const auto records = sample_records();
  const std::string wire = frames_of(records);
  std::vector<std::size_t> cuts;
  for (std::size_t i = 1; i < wire.size(); ++i) cuts.push_back(i);
  S5Deframer d;
  EXPECT_EQ(feed_chunks(wire, cuts, d), records);
}

TEST(S5Deframer, SeededRandomChunkingGivesTheSameRecords) {
  const auto records = sample_records();
  const std::string wire = frames_of(records);
  std::mt19937 rng(20261121);
  for (int round = 0; round < 200; ++round) {
    std::vector<std::size_t> cuts;
    std::size_t at = 0;
    while (true) {
      at += std::uniform_int_distribution<std::size_t>(1, 64)(rng);
      if (at >= wire.size()) break;
      cuts.push_back(at);
    }
    S5Deframer d;
    ASSERT_EQ(feed_chunks(wire, cuts, d), records) << "round " << round;
  }
}

TEST(S5Deframer, BadChecksumIsCountedAndNextFrameDecodes) {
  const auto records = sample_records();
  std::string bad = encode_frame(records[2]);
  bad[bad.size() - 2] ^= 0x01;  // the checksum byte (0x49, not stuffed)
  S5Deframer d;
  std::vector<std::string> out;
  d.feed(bad + encode_frame(records[0]), out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0], records[0]);
  EXPECT_EQ(d.counters().checksum_errors, 1u);
  EXPECT_TRUE(decode_record(out[0]).ok());
}

TEST(S5Deframer, RunawayFrameIsCountedAndNextFrameDecodes) {
  const auto records = sample_records();
  std::string wire = "\x7e" + std::string(3000, '\x11');  // never closed in time
  wire += encode_frame(records[1]);
  S5Deframer d;
  std::vector<std::string> out;
  d.feed(wire, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0], records[1]);
  EXPECT_EQ(d.counters().runaway_frames, 1u);
  EXPECT_EQ(d.counters().junk_bytes, 3000u - (kMaxRecordSize + 1));
}

TEST(S5Deframer, LargestLegalRecordIsNotARunaway) {
  const SubrecordBytes big{9, std::string(kMaxDataSize, '\x7e')};  // all bytes stuffed
  const std::string record = encode_record({}, std::span(&big, 1));
  ASSERT_EQ(record.size(), kMaxRecordSize);
  S5Deframer d;
  std::vector<std::string> out;
  d.feed(encode_frame(record), out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0], record);
  EXPECT_EQ(d.counters().runaway_frames, 0u);
}

TEST(S5Deframer, JunkBeforeAndBetweenFramesIsCountedAndSkipped) {
  const auto records = sample_records();
  const std::string wire = "noise" + encode_frame(records[0]) + "garbage\x7e" + encode_frame(records[1]) +
                           from_hex("7d 7e") + encode_frame(records[2]);
  S5Deframer d;
  std::vector<std::string> out;
  d.feed(wire, out);
  EXPECT_EQ(out, records);
  EXPECT_EQ(d.counters().junk_bytes, 5u);                                    // "noise", before any flag
  EXPECT_EQ(d.counters().length_errors + d.counters().checksum_errors, 1u);  // "garbage"
  EXPECT_EQ(d.counters().escape_errors, 1u);                                 // 7D 7E
  EXPECT_EQ(d.counters().records, 3u);
}

TEST(S5Deframer, ChecksumValidButShortOrMislabelledFrameIsALengthError) {
  S5Deframer d;
  std::vector<std::string> out;
  d.feed(encode_frame("abc"), out);                                         // shorter than a header
  std::string wrong_len = test::from_hex("30 00") + std::string(38, '\0');  // says 48, is 40
  d.feed(encode_frame(wrong_len), out);
  EXPECT_TRUE(out.empty());
  EXPECT_EQ(d.counters().length_errors, 2u);
}

TEST(S5Deframer, StreamJoinedMidFrameResyncs) {
  const auto records = sample_records();
  const std::string first = encode_frame(records[0]);
  const std::string wire = first.substr(first.size() / 2) + encode_frame(records[1]);
  S5Deframer d;
  std::vector<std::string> out;
  d.feed(wire, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0], records[1]);
  EXPECT_GT(d.counters().junk_bytes, 0u);
}

TEST(S5Deframer, EscapeRestoresOnlyBit5) {
  // A sender only escapes 7E and 7D, where "| 0x7C" happens to work too; for any other
  // escaped byte the rule is exactly "set bit 5" (0x01 -> 0x21, not 0x7D).
  std::string record = encode_request_record(PhdbRecordType::Displayed, 10, 0);
  record[41] = 0x21;  // tx_ival low byte
  std::string wire = encode_frame(record);
  const std::size_t at = wire.find('\x21');
  ASSERT_NE(at, std::string::npos);
  wire.replace(at, 1, std::string("\x7d\x01", 2));
  S5Deframer d;
  std::vector<std::string> out;
  d.feed(wire, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0], record);
}

TEST(S5Deframer, ResetDropsThePartialFrame) {
  const auto records = sample_records();
  const std::string frame = encode_frame(records[1]);
  S5Deframer d;
  std::vector<std::string> out;
  d.feed(frame.substr(0, 20), out);
  d.reset();
  d.feed(frame.substr(20), out);  // the tail alone is junk up to its closing flag
  d.feed(frame, out);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0], records[1]);
}

}  // namespace
}  // namespace vigil::datex
