// Data Export phase: our requests byte for byte against VSCaptureMP, the monitor's MDS
// Create Event Report and Poll Data Results decoded, and hostile lengths rejected.
#include <gtest/gtest.h>

#include "intellivue/data_export_encoder.hpp"
#include "intellivue/messages.hpp"
#include "iv_test_support.hpp"

namespace vigil::intellivue {
namespace {

using test::from_hex;
using test::nu_obs;

// VSCaptureMP (xeonfusion) Class2.cs DataConstants vectors.
TEST(DataExportEncoder, PollRequestsMatchPublishedBytes) {
  // poll_request_msg: invoke 0, poll 1, NOM_MOC_VMO_METRIC_NU, all attribute groups.
  EXPECT_EQ(encode_poll_request(0, 1),
            from_hex("e1 00 00 02 00 01 00 1c 00 00 00 07 00 16 00 21 00 00 00 00 00 00 00 00 "
                     "0c 16 00 08 00 01 00 01 00 06 00 00"));
  // ext_poll_request_msg: extended poll, empty poll_ext_attr list.
  EXPECT_EQ(encode_extended_poll_request(1, 1),
            from_hex("e1 00 00 02 00 01 00 20 00 01 00 07 00 1a 00 21 00 00 00 00 00 00 00 00 "
                     "f1 3b 00 0c 00 01 00 01 00 06 00 00 00 00 00 00"));
  // ext_poll_request_msg5: NOM_ATTR_TIME_PD_POLL = 0x0003A980 (240000 / 8000 s = 30 s).
  EXPECT_EQ(encode_extended_poll_request(1, 1, kMocVmoMetricNu, kAttrGroupAll, 0x0003A980),
            from_hex("e1 00 00 02 00 01 00 28 00 01 00 07 00 22 00 21 00 00 00 00 00 00 00 00 "
                     "f1 3b 00 14 00 01 00 01 00 06 00 00 00 01 00 08 f1 3e 00 04 00 03 a9 80"));
}

// VSCaptureMP Class2.cs keep_alive_msg2: a poll of NOM_MOC_VMO_AL_MON (0x36) for
// NOM_ATTR_GRP_VMO_STATIC (0x0811), the keep-alive the PIPG suggests ("a Poll Request for
// the Alert Monitor object, requesting the VMO Static Context Attribute group", quoted in
// deweynuz/DEMO_POLL mx800/protocole/trames.py construire_keep_alive).
TEST(DataExportEncoder, KeepAliveIsTheAlertMonitorStaticPoll) {
  EXPECT_EQ(encode_keep_alive(8, 7), from_hex("e1 00 00 02 00 01 00 1c 00 08 00 07 00 16 00 21 00 00 00 00 "
                                              "00 00 00 00 0c 16 00 08 00 07 00 01 00 36 08 11"));
}

// VSCaptureMP Class2.cs mds_create_resp_msg: invoke 1, MDS object, event time 0x000ABD00.
TEST(DataExportEncoder, MdsCreateResultMatchesPublishedBytes) {
  EXPECT_EQ(encode_mds_create_result(1, ManagedObjectId{kMocVmsMds, 0, 0}, 0x000ABD00),
            from_hex("e1 00 00 02 00 02 00 14 00 01 00 01 00 0e 00 21 00 00 00 00 00 0a bd 00 0d 06 00 00"));
}

std::string sample_mds_create() {
  return test::mds_create_event(
      0x1234, 0x00ABCDEF,
      {{0x0984, from_hex("00 06 00 09 fb 01 02 03")},  // NOM_ATTR_SYS_ID: not read, skipped
       {kAttrIdModel, test::system_model("Philips", "MP70")},
       {kAttrTimeAbs, test::abs_time_bytes(make_absolute_time(2025, 10, 9, 8, 15, 30))},
       {kAttrTimeRel, test::u32_bytes(0x00ABCDEF)}});
}

TEST(MdsCreateEvent, DecodesTimesAndModelAndTheResultEchoesIt) {
  const MessageResult r = decode_message(sample_mds_create());
  ASSERT_TRUE(r.ok()) << to_string(r.error);
  const auto* report = std::get_if<MdsCreateEventReport>(&r.message);
  ASSERT_NE(report, nullptr);
  EXPECT_EQ(report->invoke_id, 0x1234);
  EXPECT_EQ(report->event_time, 0x00ABCDEFu);
  EXPECT_EQ(report->managed_object, (ManagedObjectId{kMocVmsMds, 0, 0}));
  ASSERT_TRUE(report->absolute_time);
  EXPECT_EQ(absolute_time_to_ms(*report->absolute_time, 0), 1759997730000);
  EXPECT_EQ(report->relative_time, 0x00ABCDEFu);
  ASSERT_TRUE(report->model);
  EXPECT_EQ(report->model->model_number, "MP70");
  EXPECT_EQ(report->unknown_attributes, 1u);
  // The result echoes invoke id, managed object and event time.
  EXPECT_EQ(encode_mds_create_result(*report),
            from_hex("e1 00 00 02 00 02 00 14 12 34 00 01 00 0e 00 21 00 00 00 00 00 ab cd ef 0d 06 00 00"));
}

test::TestPoll sample_poll() {
  test::TestPoll p;
  p.invoke_id = 7;
  p.poll_number = 3;
  p.abs_time = make_absolute_time(2025, 10, 9, 8, 15, 30);
  p.observations = {
      {0x0101,
       {{kAttrNuValObs, nu_obs(0x4182, 0, 0x0AA0, encode_float(72, 0))},  // HR 72 bpm
        {0x0921, from_hex("00 01 00 02")}}},                              // NOM_ATTR_ID_TYPE: skipped
      {0x0102,
       {{kAttrNuCmpdValObs, test::nu_cmpd({nu_obs(0x4A05, 0, 0x0F20, encode_float(120, 0)),
                                           nu_obs(0x4A06, 0, 0x0F20, encode_float(80, 0)),
                                           nu_obs(0x4A07, 0, 0x0F20, encode_float(93, 0))})},
        {kAttrTimeStampAbs, test::abs_time_bytes(make_absolute_time(2025, 10, 9, 8, 14, 0))}}},
  };
  return p;
}

TEST(PollResult, SinglePollResultDecodes) {
  const MessageResult r = decode_message(test::poll_result(sample_poll()));
  ASSERT_TRUE(r.ok()) << to_string(r.error);
  const auto& part = std::get<PollResultPart>(r.message);
  EXPECT_EQ(part.linked, LinkedState::None);
  EXPECT_FALSE(part.extended);
  EXPECT_EQ(part.invoke_id, 7);
  EXPECT_EQ(part.poll_number, 3);
  EXPECT_EQ(part.polled_obj_code, kMocVmoMetricNu);
  ASSERT_EQ(part.observations.size(), 2u);
  EXPECT_EQ(part.observations[0].handle, 0x0101);
  ASSERT_EQ(part.observations[0].numerics.size(), 1u);
  EXPECT_EQ(part.observations[0].numerics[0].value.value, 72.0);
  EXPECT_EQ(part.observations[0].unknown_attributes, 1u);
  ASSERT_EQ(part.observations[1].numerics.size(), 3u);
  EXPECT_TRUE(part.observations[1].numerics[2].compound);
  EXPECT_EQ(part.observations[1].numerics[2].physio_id, 0x4A07);
  ASSERT_TRUE(part.observations[1].timestamp);
}

TEST(PollResult, ExtendedAndLinkedResultsDecode) {
  test::TestPoll p = sample_poll();
  p.extended = true;
  p.sequence_no = 0x55;
  p.linked = std::make_pair(std::uint8_t{2}, std::uint8_t{4});
  const MessageResult r = decode_message(test::poll_result(p));
  ASSERT_TRUE(r.ok()) << to_string(r.error);
  const auto& part = std::get<PollResultPart>(r.message);
  EXPECT_TRUE(part.extended);
  EXPECT_EQ(part.sequence_no, 0x55);
  EXPECT_EQ(part.linked, LinkedState::Middle);
  EXPECT_EQ(part.linked_count, 4);
  EXPECT_EQ(part.observations.size(), 2u);
  p.linked = std::make_pair(std::uint8_t{4}, std::uint8_t{1});  // no such RorlsId state
  EXPECT_EQ(decode_message(test::poll_result(p)).error, DecodeError::UnexpectedContent);
}

TEST(PollResult, OtherResultsAndErrorsAreTyped) {
  // A GET result (command 3) is well-formed but not ours to read.
  const MessageResult get =
      decode_message(test::remote_operation(kRoResult, 9, 3, from_hex("00 21 00 00 00 00")));
  ASSERT_TRUE(get.ok());
  EXPECT_EQ(std::get<UnhandledDataExport>(get.message).command_type, 3);
  // ROER: invoke id, error value (PIPG "ROERapdu").
  const MessageResult err = decode_message(from_hex("e1 00 00 02 00 03 00 08 00 07 00 11 00 00 00 00"));
  ASSERT_TRUE(err.ok());
  EXPECT_EQ(std::get<RemoteError>(err.message).error_value, 0x11);
  // An event report other than MDS create.
  std::string other = sample_mds_create();
  other[24] = 0x0D;  // EventReportArgument.event_type at 14 + 6 + 4
  other[25] = 0x18;
  EXPECT_TRUE(std::holds_alternative<UnhandledDataExport>(decode_message(other).message));
}

TEST(PollResult, EveryTruncationIsAnErrorNeverARead) {
  for (const std::string& full : {test::poll_result(sample_poll()), sample_mds_create()}) {
    for (std::size_t n = 0; n < full.size(); ++n) {
      EXPECT_FALSE(decode_message(full.substr(0, n)).ok()) << n;
    }
    EXPECT_EQ(decode_message(full + from_hex("00")).error, DecodeError::LengthMismatch);
  }
}

TEST(PollResult, LengthsThatLieAreRejected) {
  const std::string good = test::poll_result(sample_poll());
  std::string ro_past = good;
  ro_past[7] = static_cast<char>(static_cast<std::uint8_t>(ro_past[7]) + 1);  // ROapdus length + 1
  EXPECT_EQ(decode_message(ro_past).error, DecodeError::Truncated);
  std::string session = good;
  session[0] = static_cast<char>(0xE2);
  EXPECT_EQ(decode_message(session).error, DecodeError::BadSession);

  // An NU_VAL_OBS of 9 bytes inside an otherwise consistent message.
  test::TestPoll p = sample_poll();
  p.observations[0].avas[0].second.pop_back();
  EXPECT_EQ(decode_message(test::poll_result(p)).error, DecodeError::LengthMismatch);
  // An attribute list announcing more attributes than the bound.
  p = sample_poll();
  p.observations[0].avas.assign(kMaxAttributesPerList + 1, {0x0921, from_hex("00 01 00 02")});
  EXPECT_EQ(decode_message(test::poll_result(p)).error, DecodeError::TooManyItems);
  // More observations than a result may hold.
  p = sample_poll();
  p.observations.assign(kMaxObservationsPerResult + 1, test::TestObservation{1, {}});
  EXPECT_EQ(decode_message(test::poll_result(p)).error, DecodeError::TooManyItems);
}

}  // namespace
}  // namespace vigil::intellivue
