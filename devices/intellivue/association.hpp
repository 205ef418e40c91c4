#pragma once
// Association phase encoders (PIPG "Association Request", "Release Request", "Abort";
// the fixed ASN.1 presentation blocks are the PIPG's "Association Control Protocol
// Examples", as reproduced byte for byte by VSCaptureMP (Class2.cs aarq_msg, rlrq_msg,
// assoc_abort_resp_msg) and OpenICE (association/impl/*Impl.java)).
//
// Association Request layout:
//   0D LI | 05 08 13 01 00 16 01 02 80 00 | 14 02 00 02          session header + data
//      | C1 LI | <fixed presentation header ending in 0x81>     presentation header
//      | ASN.1 length | MDSEUserInfoStd | 16 x 00               user data + trailer
// LI is one byte below 255, else FF and two bytes; the ASN.1 length is one byte below 128,
// else 0x81 n or 0x82 nn nn.
//
// MDSEUserInfoStd: protocol_version 0x80000000 (MDDL_VERSION1), nomenclature_version
// 0x40000000 (NOMEN_VERSION), functional_units 0, system_type 0x80000000 (SYST_CLIENT),
// startup_mode 0x20000000 (COLD_START), option_list empty, supported_aprofiles with one
// PollProfileSupport whose optional_packages hold one PollProfileExt.

#include <cstdint>
#include <string>
#include <string_view>

namespace vigil::intellivue {

// The session-layer parameters every association SPDU carries before its presentation data
// (PIPG; the same in the request we send and the accept a monitor sends).
inline constexpr std::string_view kAssociationSessionData(
    "\x05\x08\x13\x01\x00\x16\x01\x02\x80\x00\x14\x02\x00\x02", 14);

inline constexpr std::uint32_t kPollProfileRevision0 = 0x80000000;
inline constexpr std::uint32_t kPollOptDynCreateObjects = 0x40000000;
inline constexpr std::uint32_t kPollOptDynDeleteObjects = 0x20000000;
inline constexpr std::uint32_t kPollExtPeriodNu1s = 0x80000000;  // real-time numerics
inline constexpr std::uint32_t kPollExtPeriodRtsa = 0x08000000;  // waves, status, alarms
inline constexpr std::uint32_t kPollExtEnum = 0x04000000;        // enumeration objects
inline constexpr std::uint32_t kSystemTypeClient = 0x80000000;
inline constexpr std::uint32_t kSystemTypeServer = 0x00800000;

/// What the Association Request announces.
struct AssociationRequestOptions {
  std::uint32_t min_poll_period = 2500;  // RelativeTime: 2500 / 8000 s = 312.5 ms
  std::uint32_t max_mtu_rx = 1000;       // the largest message we accept
  std::uint32_t max_mtu_tx = 1000;
  std::uint32_t max_bw_tx = 0xFFFFFFFF;
  std::uint32_t options = kPollOptDynCreateObjects | kPollOptDynDeleteObjects;
  /// PollProfileExt options: numerics only by default. A numeric period bit must be set or
  /// the monitor ignores the whole optional package.
  std::uint32_t ext_options = kPollExtPeriodNu1s;
};

/// The Association Request (to the monitor's association port, or in a MIB frame).
std::string encode_association_request(const AssociationRequestOptions& options = {});
/// The Association Release Request (09 18 C1 16 ...).
std::string encode_release_request();
/// The Association Abort (19 2E 11 01 03 C1 29 ...).
std::string encode_abort();

}  // namespace vigil::intellivue
