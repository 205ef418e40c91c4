#pragma once
// Data Export messages we send once associated (PIPG "MDS Create Event Result", "Single
// Poll Data Request", "Extended Poll Data Request", "Keep Alive").
//
//   SPpdu      E1 00 00 02                 session id, presentation context 2
//   ROapdus    ro_type, length
//   ROIVapdu / RORSapdu   invoke_id, command_type, length
//   ActionArgument        managed_object (MDS 0x0021, 0, 0), scope 0 (u32), action_type, length
//   PollMdibDataReq       poll_number, polled_obj_type {partition 1, code}, polled_attr_grp
//   PollMdibDataReqExt    the same + poll_ext_attr AttributeList
//
// Invoke ids and poll numbers are the caller's (the session keeps the counters); the
// monitor echoes both in its result.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "intellivue/iv_types.hpp"

namespace vigil::intellivue {

struct MdsCreateEventReport;

/// SPpdu + ROapdus + ROIV/RORS header (`ro_type`, `invoke_id`, `command`) around `body`:
/// every Data Export message, ours and (in the simulator) the monitor's.
std::string wrap_remote_operation(std::uint16_t ro_type, std::uint16_t invoke_id, std::uint16_t command,
                                  std::string_view body);

/// MDS Create Event Result answering `report`: its invoke id, managed object and event time
/// echoed (the monitor repeats the report, then aborts, until it gets this).
std::string encode_mds_create_result(const MdsCreateEventReport& report);
std::string encode_mds_create_result(std::uint16_t invoke_id, const ManagedObjectId& managed_object,
                                     std::uint32_t event_time);

/// Single Poll Data Request (NOM_ACT_POLL_MDIB_DATA) for objects of class `object_class`
/// (default: numerics, NOM_MOC_VMO_METRIC_NU), attribute group `attr_group` (0: all).
std::string encode_poll_request(std::uint16_t invoke_id, std::uint16_t poll_number,
                                std::uint16_t object_class = kMocVmoMetricNu,
                                std::uint16_t attr_group = kAttrGroupAll);

/// Extended Poll Data Request (NOM_ACT_POLL_MDIB_DATA_EXT). With `active_period` (a
/// RelativeTime, NOM_ATTR_TIME_PD_POLL) the monitor sends results periodically for that
/// long; without, it answers once.
std::string encode_extended_poll_request(std::uint16_t invoke_id, std::uint16_t poll_number,
                                         std::uint16_t object_class = kMocVmoMetricNu,
                                         std::uint16_t attr_group = kAttrGroupAll,
                                         std::optional<std::uint32_t> active_period = std::nullopt);

/// The keep-alive the PIPG suggests: a single poll of the alert monitor object
/// (NOM_MOC_VMO_AL_MON) for its static attribute group (NOM_ATTR_GRP_VMO_STATIC); the
/// answer is short. The monitor drops an association that stays silent past its timeout.
std::string encode_keep_alive(std::uint16_t invoke_id, std::uint16_t poll_number);

}  // namespace vigil::intellivue
