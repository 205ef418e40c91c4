#pragma once
// The IntelliVue Data Export messages the codec decodes (what the monitor sends) and the
// one entry point that tells them apart. Every decoder takes the bytes of one message (one
// UDP datagram, or the user data of one MIB frame) and returns a typed value or a typed
// error; nothing here owns a socket or reads a clock.
//
//   first bytes      message                                  PIPG section
//   0E LI ...        Association Result (accept)              "Association Response Message"
//   0C LI ...        Refuse                                   "Refuse"
//   0A LI ...        Release Result                           "Release Response"
//   19 LI ...        Abort                                    "Abort"
//   09 LI ...        Release Request (sent by us; decoded for the simulator and tests)
//   E1 00 ...        Data Export (SPpdu): MDS Create Event Report (ROIV), Poll Data Result
//                    (RORS / ROLRS), remote error (ROER), anything else as Unhandled
//   00 00 .. ..      Connect Indication (UDP broadcast to port 24005): decode_connect_indication
//
// Decoded values own their data (strings, vectors): they outlive the buffer.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "intellivue/attributes.hpp"
#include "intellivue/iv_types.hpp"

namespace vigil::intellivue {

/// Session SPDU types of the association phase (PIPG "Session/Presentation Header").
enum class SpduType : std::uint8_t {
  Connect = 0x0D,     // CN_SPDU_SI: Association Request
  Accept = 0x0E,      // AC_SPDU_SI: Association Result
  Refuse = 0x0C,      // RF_SPDU_SI
  Finish = 0x09,      // FN_SPDU_SI: Release Request
  Disconnect = 0x0A,  // DN_SPDU_SI: Release Result
  Abort = 0x19,       // AB_SPDU_SI
};

/// PollProfileSupport (and its PollProfileExt option word, if present).
struct PollProfile {
  std::uint32_t revision = 0;
  std::uint32_t min_poll_period = 0;  // RelativeTime (1/8 ms)
  std::uint32_t max_mtu_rx = 0;
  std::uint32_t max_mtu_tx = 0;
  std::uint32_t max_bw_tx = 0;
  std::uint32_t options = 0;
  std::optional<std::uint32_t> ext_options;  // NOM_ATTR_POLL_PROFILE_EXT options
  bool operator==(const PollProfile&) const = default;
};

/// MDSEUserInfoStd of an Association Request or Result.
struct AssociationUserInfo {
  std::uint32_t protocol_version = 0;
  std::uint32_t nomenclature_version = 0;
  std::uint32_t functional_units = 0;
  std::uint32_t system_type = 0;
  std::uint32_t startup_mode = 0;
  std::optional<PollProfile> poll_profile;
  bool operator==(const AssociationUserInfo&) const = default;
};

struct AssociationAccept {
  AssociationUserInfo info;
};
struct AssociationRequestMessage {  // what we send; decoded for the simulator and tests
  AssociationUserInfo info;
};
struct AssociationRefuse {
  std::optional<std::uint8_t> reason;  // session Reason Code (PI 0x32), when present
};
struct ReleaseRequest {};
struct ReleaseResult {};
struct AssociationAbort {
  std::optional<std::uint8_t> reason;  // session parameter 0x11, when present
};

/// MDS Create Event Report (ROIV, CMD_CONFIRMED_EVENT_REPORT, NOM_NOTI_MDS_CREAT).
struct MdsCreateEventReport {
  std::uint16_t invoke_id = 0;
  ManagedObjectId managed_object;              // EventReportArgument.managed_object (echoed in the result)
  std::uint32_t event_time = 0;                // EventReportArgument.event_time (RelativeTime, echoed)
  ManagedObjectId mds;                         // MdsCreateInfo.managed_object
  std::optional<AbsoluteTime> absolute_time;   // NOM_ATTR_TIME_ABS
  std::optional<std::uint32_t> relative_time;  // NOM_ATTR_TIME_REL, same instant
  std::optional<SystemModel> model;            // NOM_ATTR_ID_MODEL
  std::size_t unknown_attributes = 0;
};

/// One ObservationPoll of a poll result: an object handle and what we read of it.
struct ObservationPoll {
  std::uint16_t context_id = 0;
  std::uint16_t handle = 0;
  std::vector<NumericValue> numerics;          // NU_VAL_OBS and NU_CMPD_VAL_OBS entries
  std::optional<AbsoluteTime> timestamp;       // NOM_ATTR_TIME_STAMP_ABS
  std::optional<std::uint32_t> rel_timestamp;  // NOM_ATTR_TIME_STAMP_REL
  std::size_t unknown_attributes = 0;
};

/// Where a message sits in a linked result (ROLRSapdu RorlsId.state), or None for RORS.
enum class LinkedState : std::uint8_t { None = 0, First = 1, Middle = 2, Last = 3 };

/// One Poll Data Result message (single or extended poll), possibly one part of several.
struct PollResultPart {
  LinkedState linked = LinkedState::None;
  std::uint8_t linked_count = 0;  // RorlsId.count: 1, 2, ... within one linked result
  std::uint16_t invoke_id = 0;
  bool extended = false;  // NOM_ACT_POLL_MDIB_DATA_EXT
  std::uint16_t poll_number = 0;
  std::uint16_t sequence_no = 0;  // extended only
  std::uint32_t rel_time_stamp = 0;
  AbsoluteTime abs_time_stamp;  // all 0xFF when the monitor does not send one
  std::uint16_t polled_obj_partition = 0;
  std::uint16_t polled_obj_code = 0;
  std::uint16_t polled_attr_group = 0;
  std::vector<ObservationPoll> observations;  // every context, in wire order
};

/// ROER: the monitor refused an operation.
struct RemoteError {
  std::uint16_t invoke_id = 0;
  std::uint16_t error_value = 0;
};

/// A well-formed Data Export message this codec does not interpret (e.g. a GET result).
struct UnhandledDataExport {
  std::uint16_t ro_type = 0;
  std::uint16_t invoke_id = 0;
  std::uint16_t command_type = 0;
};

using Message = std::variant<AssociationAccept, AssociationRequestMessage, AssociationRefuse, ReleaseRequest,
                             ReleaseResult, AssociationAbort, MdsCreateEventReport, PollResultPart,
                             RemoteError, UnhandledDataExport>;

/// Result of decode_message(): `message` is meaningful only when ok().
struct MessageResult {
  DecodeError error = DecodeError::None;
  Message message;
  bool ok() const { return error == DecodeError::None; }
};

/// Decodes one message from the association or data export port (or one MIB frame).
MessageResult decode_message(std::string_view bytes);

/// Connect Indication (UDP broadcast to port 24005).
struct ConnectIndication {
  std::uint8_t nomenclature_major = 0;
  std::uint8_t nomenclature_minor = 0;
  std::optional<NetAddressInfo> address;        // NOM_ATTR_NET_ADDR_INFO
  std::optional<SystemModel> model;             // NOM_ATTR_ID_MODEL, if sent
  std::optional<std::uint32_t> system_type;     // NOM_ATTR_SYS_TYPE {partition, code}
  std::vector<ProtocolSupportEntry> protocols;  // NOM_ATTR_PCOL_SUPPORT
  std::size_t unknown_attributes = 0;
};

struct ConnectIndicationResult {
  DecodeError error = DecodeError::None;
  ConnectIndication indication;
  bool ok() const { return error == DecodeError::None; }
};

ConnectIndicationResult decode_connect_indication(std::string_view bytes);

// --- Internal pieces of decode_message, one per layer (association.cpp,
// data_export_decoder.cpp); exposed for tests.
MessageResult decode_association_message(std::string_view bytes);
MessageResult decode_data_export_message(std::string_view bytes);

}  // namespace vigil::intellivue
