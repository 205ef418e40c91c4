#pragma once
// The monitor's side of Data Export: encoders for what an IntelliVue sends (association
// result, refuse, release result, abort, MDS Create Event Report, poll results) and a
// decoder for what a client sends (association request, release, abort, MDS create result,
// poll requests). Used by vigil-sim's simulated monitor and by tests; vigild never calls it.
//
// Layouts are the PIPG's (the association result's fixed presentation header is the PIPG
// example "Association Response" as OpenICE AssociationAcceptImpl holds it).
//
// Threading: none; pure functions.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "intellivue/iv_types.hpp"
#include "intellivue/messages.hpp"

namespace vigil::intellivue {

/// The Association Result (accept) of a monitor (SYST_SERVER) with this poll profile.
std::string encode_association_accept(std::uint32_t min_poll_period = 4000, std::uint32_t max_mtu_tx = 1456);
/// Refuse with a session reason code (PI 0x32).
std::string encode_refuse(std::uint8_t reason = 0);
/// Release Result (answer to a Release Request).
std::string encode_release_result();

/// MDS Create Event Report with the monitor's absolute and relative time (same instant).
std::string encode_mds_create_event(std::uint16_t invoke_id, const AbsoluteTime& now_abs,
                                    std::uint32_t now_rel);

/// One numeric object of a poll result: a handle, its value(s), its measurement time.
struct PolledNumeric {
  std::uint16_t handle = 0;
  std::vector<NumericValue> values;       // one: NU_VAL_OBS; several (compound set): NU_CMPD_VAL_OBS
  std::optional<AbsoluteTime> timestamp;  // NOM_ATTR_TIME_STAMP_ABS
};

/// RORS answering a numerics poll (single or extended) with these objects, context 0.
std::string encode_numerics_poll_result(std::uint16_t invoke_id, std::uint16_t poll_number, bool extended,
                                        std::uint32_t rel_time, const AbsoluteTime& abs_time,
                                        const std::vector<PolledNumeric>& numerics);
/// RORS answering a poll of another object class, with no objects (e.g. the keep-alive).
std::string encode_empty_poll_result(std::uint16_t invoke_id, std::uint16_t poll_number, bool extended,
                                     std::uint16_t object_class, std::uint16_t attr_group);

/// The Connect Indication a monitor broadcasts to port 24005 every few seconds: its
/// address (NOM_ATTR_NET_ADDR_INFO), the association port (ACSE over UDP) and Data Export
/// port it listens on (NOM_ATTR_PCOL_SUPPORT), its model (NOM_ATTR_ID_MODEL) and system type.
std::string encode_connect_indication(const NetAddressInfo& address, std::uint16_t association_port,
                                      const SystemModel& model);

/// What a client sent.
enum class ClientRequestKind : std::uint8_t {
  Associate,        // Association Request
  Release,          // Release Request
  Abort,            // Abort
  MdsCreateResult,  // RORS CMD_CONFIRMED_EVENT_REPORT
  Poll,             // ROIV CMD_CONFIRMED_ACTION, NOM_ACT_POLL_MDIB_DATA(_EXT)
  Other,            // well-formed, not one of the above
};

struct ClientRequest {
  ClientRequestKind kind = ClientRequestKind::Other;
  std::uint16_t invoke_id = 0;
  bool extended = false;
  std::uint16_t poll_number = 0;
  std::uint16_t object_class = 0;  // polled_obj_type.code
  std::uint16_t attr_group = 0;
};

/// Decodes one client message; nullopt when it is not a message a client sends.
std::optional<ClientRequest> decode_client_request(std::string_view bytes);

}  // namespace vigil::intellivue
