#pragma once
// Outbound ORU^R01 in IHE PCD-01 form: Vigil forwarding stored readings to a hospital's
// integration engine. The inverse of oru_mapper, and read back by it in the tests.
//
//   MSH|^~\&|VIGIL^<daemon id>|<daemon id>|||<created>||ORU^R01^ORU_R01|<control
//   id>|P|2.6|||NE|AL|||||<PCD-01 profile> PID|||<session id>^^^VIGIL           (only when the chair has a
//   session) PV1||I|^^<chair>                     (PV1-3 point of care^room^bed: the chair is the bed)
//   OBR|1|<control id>^VIGIL|<control id>^VIGIL|182777000^monitoring of patient^SCT|||<earliest measured>
//   OBX|n|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC|1.1.1.n|142|266016^MDC_DIM_MMHG^MDC|||||R|||<measured>||||<source
//   device>
//
// Deterministic: the same input gives the same bytes (MSH-7 is the outbox row's creation
// time, never "now"), so a row can be re-sent or rebuilt byte for byte. Free text (chair,
// source, session, daemon id) goes through escape(). No sockets, no clocks.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "reading/reading.hpp"

namespace vigil::hl7 {

/// What every forwarded message's MSH carries.
struct ForwardHeader {
  std::string daemon_id;           // MSH-3 "VIGIL^<id>", MSH-4 "<id>": several daemons, one engine
  std::string control_id;          // MSH-10, unique and stable per outbox row
  WallMillis message_time_ms = 0;  // MSH-7: when the row was made (not when it is sent)
};

/// The readings of one chair from one stored batch.
struct ObservationReport {
  std::string bed;
  std::string session_id;  // "" when the chair had no session: no PID segment
  std::vector<Reading> readings;
};

/// The ORU^R01 message (segments end in CR, not MLLP-wrapped).
std::string build_oru_r01(const ForwardHeader& header, const ObservationReport& report);

/// The resend marker: a copy of `message` with a trailing `ZRS|Y|<attempt>` segment. Sent
/// when a row may have reached the receiver before (a retry after a timeout or disconnect,
/// or the first rows after a restart). MSH-10 is unchanged, so the receiver drops it if it
/// already has that control id. `attempt` counts from 2.
std::string with_resend_marker(std::string_view message, std::uint32_t attempt);

// --- Shared with the ORU^R40 builder -------------------------------------------------------

/// MDC code and reference id of a vital ("150021^MDC_PRESS_BLD_NONINV_SYS^MDC").
std::string mdc_observation_id(VitalKind kind);
/// MDC unit of a vital's canonical unit ("266016^MDC_DIM_MMHG^MDC").
std::string mdc_unit(VitalKind kind);
/// An HL7 NM number: fixed point, no exponent, trailing zeros dropped ("36.7", "142").
/// Empty for NaN and infinities (an empty OBX-5 means "no value").
std::string format_nm(double value);
/// MSH, PID (when `session_id` is set) and PV1, each ending in CR. `message_type` is MSH-9
/// ("ORU^R01^ORU_R01"), `profile` MSH-21.
void append_forward_header(std::string& out, const ForwardHeader& header, std::string_view message_type,
                           std::string_view profile, std::string_view bed, std::string_view session_id);
/// escape() with the default delimiters.
std::string escape_text(std::string_view text);

}  // namespace vigil::hl7
