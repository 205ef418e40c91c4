// Association phase: our requests byte for byte against public implementations, and the
// monitor's answers (accept, refuse, release result, abort) decoded, hostile ones rejected.
#include <gtest/gtest.h>

#include "intellivue/association.hpp"
#include "intellivue/messages.hpp"
#include "iv_test_support.hpp"

namespace vigil::intellivue {
namespace {

using test::from_hex;

// VSCaptureMP (xeonfusion) Class2.cs DataConstants.aarq_msg: the PIPG example Association
// Request (MDDL_VERSION1, NOMEN_VERSION, SYST_CLIENT, COLD_START; poll profile min period
// 0x9C4, MTU rx 0x9C4 / tx 0x3E8, DYN_CREATE|DYN_DELETE; PollProfileExt 0x8C000000).
const std::string kVscAarq = from_hex(
    "0d ec 05 08 13 01 00 16 01 02 80 00 14 02 00 02 "
    "c1 dc 31 80 a0 80 80 01 01 00 00 a2 80 a0 03 00 "
    "00 01 a4 80 30 80 02 01 01 06 04 52 01 00 01 30 "
    "80 06 02 51 01 00 00 00 00 30 80 02 01 02 06 0c "
    "2a 86 48 ce 14 02 01 00 00 00 01 01 30 80 06 0c "
    "2a 86 48 ce 14 02 01 00 00 00 02 01 00 00 00 00 "
    "00 00 61 80 30 80 02 01 01 a0 80 60 80 a1 80 06 "
    "0c 2a 86 48 ce 14 02 01 00 00 00 03 01 00 00 be "
    "80 28 80 06 0c 2a 86 48 ce 14 02 01 00 00 00 01 "
    "01 02 01 02 81 48 80 00 00 00 40 00 00 00 00 00 "
    "00 00 80 00 00 00 20 00 00 00 00 00 00 00 00 01 "
    "00 2c 00 01 00 28 80 00 00 00 00 00 09 c4 00 00 "
    "09 c4 00 00 03 e8 ff ff ff ff 60 00 00 00 00 01 "
    "00 0c f0 01 00 08 8c 00 00 00 00 00 00 00 00 00 "
    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 ");

TEST(AssociationRequest, MatchesThePublishedExampleByteForByte) {
  AssociationRequestOptions o;
  o.min_poll_period = 0x9C4;
  o.max_mtu_rx = 0x9C4;
  o.max_mtu_tx = 0x3E8;
  o.ext_options = kPollExtPeriodNu1s | kPollExtPeriodRtsa | kPollExtEnum;  // 0x8C000000
  EXPECT_EQ(encode_association_request(o), kVscAarq);
  // VSCaptureMP aarq_msg_ext_poll2 differs only in the minimum poll period (0x3E8).
  o.min_poll_period = 0x3E8;
  std::string ext_poll2 = kVscAarq;
  ext_poll2[0xBC] = 0x03;
  ext_poll2[0xBD] = static_cast<char>(0xE8);
  EXPECT_EQ(encode_association_request(o), ext_poll2);
}

TEST(AssociationRequest, DefaultRequestDecodesBackToItsOptions) {
  const MessageResult r = decode_message(encode_association_request());
  ASSERT_TRUE(r.ok()) << to_string(r.error);
  const auto* req = std::get_if<AssociationRequestMessage>(&r.message);
  ASSERT_NE(req, nullptr);
  EXPECT_EQ(req->info.protocol_version, 0x80000000u);
  EXPECT_EQ(req->info.system_type, kSystemTypeClient);
  ASSERT_TRUE(req->info.poll_profile);
  EXPECT_EQ(req->info.poll_profile->max_mtu_rx, 1000u);
  EXPECT_EQ(req->info.poll_profile->options, kPollOptDynCreateObjects | kPollOptDynDeleteObjects);
  EXPECT_EQ(req->info.poll_profile->ext_options, kPollExtPeriodNu1s);
}

// VSCaptureMP Class2.cs aarq_msg_wave_ext_poll2: session and presentation LI in the
// three-byte form (FF 01 28, FF 01 16), user data length as ASN.1 82 00 80, and a second
// application profile (0x0102) the decoder must skip.
TEST(AssociationRequest, LongFormLengthsDecode) {
  const std::string wave = from_hex(
      "0d ff 01 28 05 08 13 01 00 16 01 02 80 00 14 02 00 02 c1 ff 01 16 31 80 a0 80 80 01 01 00 00 a2 "
      "80 a0 03 00 00 01 a4 80 30 80 02 01 01 06 04 52 01 00 01 30 80 06 02 51 01 00 00 00 00 30 80 02 "
      "01 02 06 0c 2a 86 48 ce 14 02 01 00 00 00 01 01 30 80 06 0c 2a 86 48 ce 14 02 01 00 00 00 02 01 "
      "00 00 00 00 00 00 61 80 30 80 02 01 01 a0 80 60 80 a1 80 06 0c 2a 86 48 ce 14 02 01 00 00 00 03 "
      "01 00 00 be 80 28 80 06 0c 2a 86 48 ce 14 02 01 00 00 00 01 01 02 01 02 81 82 00 80 80 00 00 00 "
      "40 00 00 00 00 00 00 00 80 00 00 00 20 00 00 00 00 00 00 00 00 02 00 64 00 01 00 28 80 00 00 00 "
      "00 00 0f a0 00 00 05 b0 00 00 05 b0 ff ff ff ff 60 00 00 00 00 01 00 0c f0 01 00 08 8e 00 00 00 "
      "00 00 00 00 01 02 00 34 00 06 00 30 00 01 00 21 00 00 00 01 00 01 00 06 00 00 00 c9 00 01 00 09 "
      "00 00 00 3c 00 01 00 05 00 00 00 10 00 01 00 2a 00 00 00 01 00 01 00 36 00 00 00 01 00 00 00 00 "
      "00 00 00 00 00 00 00 00 00 00 00 00");
  const MessageResult r = decode_message(wave);
  ASSERT_TRUE(r.ok()) << to_string(r.error);
  const auto& info = std::get<AssociationRequestMessage>(r.message).info;
  ASSERT_TRUE(info.poll_profile);
  EXPECT_EQ(info.poll_profile->min_poll_period, 0xFA0u);
  EXPECT_EQ(info.poll_profile->max_mtu_tx, 0x5B0u);
  EXPECT_EQ(info.poll_profile->ext_options, 0x8E000000u);
}

// Release Request and Abort: VSCaptureMP Class2.cs rlrq_msg / assoc_abort_resp_msg, the same
// presentation blocks as OpenICE association/impl/AssociationFinishImpl / AssociationAbortImpl.
TEST(AssociationRequest, ReleaseAndAbortAreThePublishedBlocks) {
  EXPECT_EQ(encode_release_request(),
            from_hex("09 18 c1 16 61 80 30 80 02 01 01 a0 80 62 80 80 01 00 00 00 00 00 00 00 00 00"));
  EXPECT_EQ(encode_abort(),
            from_hex("19 2e 11 01 03 c1 29 a0 80 a0 80 30 80 02 01 01 06 02 51 01 00 00 00 00 "
                     "61 80 30 80 02 01 01 a0 80 64 80 80 01 01 00 00 00 00 00 00 00 00 00 00"));
  EXPECT_TRUE(std::holds_alternative<ReleaseRequest>(decode_message(encode_release_request()).message));
}

// An Association Result as the monitor sends it: the presentation header of the PIPG
// example "Association Response" as OpenICE association/impl/AssociationAcceptImpl.java
// holds it (PRESENTATION_HEADER), then ASN.1 length, MDSEUserInfoStd, 16-byte trailer.
std::string accept_message(std::string_view header_hex, const std::string& user) {
  std::string pres = from_hex(header_hex);
  pres.push_back(static_cast<char>(user.size()));
  pres += user;
  pres.append(16, '\0');
  std::string body = from_hex("05 08 13 01 00 16 01 02 80 00 14 02 00 02 c1");
  body.push_back(static_cast<char>(pres.size()));
  body += pres;
  std::string out = from_hex("0e");
  out.push_back(static_cast<char>(body.size()));
  return out + body;
}

constexpr std::string_view kAcceptHeader =
    "31 80 a0 80 80 01 01 00 00 a2 80 a0 03 00 00 01 a5 80 30 80 80 01 00 81 02 51 01 00 00 30 80 80 01 00 "
    "81 "
    "0c 2a 86 48 ce 14 02 01 00 00 00 02 01 00 00 00 00 61 80 30 80 02 01 01 a0 80 61 80 a1 80 06 0c 2a 86 "
    "48 "
    "ce 14 02 01 00 00 00 03 01 00 00 a2 03 02 01 00 a3 05 a1 03 02 01 00 be 80 28 80 02 01 02 81";

// MDSEUserInfoStd of a server: SYST_SERVER, poll profile min 4000 (0.5 s), MTU rx 1000,
// tx 1456, ext options NU_1SEC.
std::string server_user_info() {
  return from_hex(
      "80 00 00 00 40 00 00 00 00 00 00 00 00 80 00 00 20 00 00 00 00 00 00 00 "
      "00 01 00 2c 00 01 00 28 80 00 00 00 00 00 0f a0 00 00 03 e8 00 00 05 b0 ff ff ff ff 60 00 00 00 "
      "00 01 00 0c f0 01 00 08 80 00 00 00 00 00 00 00");
}

TEST(AssociationResult, AcceptGivesTheMonitorsPollProfile) {
  const MessageResult r = decode_message(accept_message(kAcceptHeader, server_user_info()));
  ASSERT_TRUE(r.ok()) << to_string(r.error);
  const auto* accept = std::get_if<AssociationAccept>(&r.message);
  ASSERT_NE(accept, nullptr);
  EXPECT_EQ(accept->info.system_type, kSystemTypeServer);
  ASSERT_TRUE(accept->info.poll_profile);
  EXPECT_EQ(accept->info.poll_profile->min_poll_period, 4000u);
  EXPECT_EQ(accept->info.poll_profile->max_mtu_tx, 1456u);
  EXPECT_EQ(accept->info.poll_profile->ext_options, kPollExtPeriodNu1s);
}

// OpenICE AssociationAcceptImpl also accepts the header ending "BE 80 28 80 81".
TEST(AssociationResult, ShortExternalFormIsAccepted) {
  const MessageResult r = decode_message(accept_message("31 80 be 80 28 80 81", server_user_info()));
  ASSERT_TRUE(r.ok()) << to_string(r.error);
  EXPECT_TRUE(std::holds_alternative<AssociationAccept>(r.message));
}

TEST(AssociationResult, AcceptWithoutUserDataIsRejected) {
  EXPECT_EQ(decode_message(accept_message("31 80 a0 80", server_user_info())).error,
            DecodeError::BadPresentation);
  // User data shorter than its ASN.1 length says.
  std::string cut = accept_message(kAcceptHeader, server_user_info());
  EXPECT_NE(decode_message(cut.substr(0, cut.size() - 30)).error, DecodeError::None);
  // A poll profile AVA whose optional package list runs past the AVA.
  std::string user = server_user_info();
  user[user.size() - 13] = 0x40;  // optional_packages length 0x0c -> 0x40
  EXPECT_EQ(decode_message(accept_message(kAcceptHeader, user)).error, DecodeError::Truncated);
}

// Refuse: OpenICE association/AssociationProtocolImpl writes session parameter 0x32
// (reason) of one byte; deweynuz/DEMO_POLL mx800/protocole/trames.py (construire_refuse,
// "PIPG p. 73") sends "0C 02 00 00" (no reason).
TEST(AssociationResult, RefuseKeepsItsReasonWhenPresent) {
  MessageResult r = decode_message(from_hex("0c 03 32 01 00"));
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(std::holds_alternative<AssociationRefuse>(r.message));
  EXPECT_EQ(std::get<AssociationRefuse>(r.message).reason, 0);
  r = decode_message(from_hex("0c 02 00 00"));
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(std::get<AssociationRefuse>(r.message).reason);
}

// VSCaptureMP Class2.cs rlrq_resp_msg (= OpenICE AssociationDisconnectImpl) and
// assoc_abort_resp_msg (abort reason parameter 0x11 = 3).
TEST(AssociationResult, ReleaseResultAndAbortDecode) {
  EXPECT_TRUE(std::holds_alternative<ReleaseResult>(
      decode_message(
          from_hex("0a 18 c1 16 61 80 30 80 02 01 01 a0 80 63 80 80 01 00 00 00 00 00 00 00 00 00"))
          .message));
  const MessageResult abort = decode_message(encode_abort());
  ASSERT_TRUE(abort.ok());
  EXPECT_EQ(std::get<AssociationAbort>(abort.message).reason, 3);
}

TEST(AssociationResult, HostileSessionHeadersAreTypedErrors) {
  EXPECT_EQ(decode_message(from_hex("0e")).error, DecodeError::Truncated);
  EXPECT_EQ(decode_message(from_hex("0e 10 05 08")).error, DecodeError::Truncated);  // LI past the end
  EXPECT_EQ(decode_message(from_hex("0e ff 01")).error, DecodeError::Truncated);     // cut LI
  EXPECT_EQ(decode_message(from_hex("0c 03 32 05 00")).error, DecodeError::LengthMismatch);
  EXPECT_EQ(decode_message(from_hex("42 00")).error, DecodeError::BadSession);
  EXPECT_EQ(decode_message(std::string()).error, DecodeError::Truncated);
  // Every prefix of a valid accept is an error, never a crash or a read past the end.
  const std::string full = accept_message(kAcceptHeader, server_user_info());
  for (std::size_t n = 0; n < full.size() - 16; ++n) {
    EXPECT_FALSE(decode_message(full.substr(0, n)).ok()) << n;
  }
}

}  // namespace
}  // namespace vigil::intellivue
