#pragma once
// Builds the ORU^R01 messages a bedside monitor pushes (segments end with CR, no MLLP
// framing). Two styles:
//   Ihe    IHE PCD-01: MDC codes "code^REF_ID^MDC", MDC units, PV1-3 "^^<CHAIR>",
//          OBX-18 equipment id, OBX-14 on the NIBP rows (measurement completion time).
//   Vendor Philips Efficia style: MDIL hex codes with text names ("0002-4a05^NBPs^MDIL"),
//          HL7 2.4, OBX-11 F, sent as ORU^R01.
// A failed NIBP measurement is sent as the three NIBP rows with OBX-11 = X and no value,
// plus one error row (see docs/scenarios.md, "What goes on the wire").
// Pure: times are passed in.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "reading/reading.hpp"

namespace vigil::sim {

/// The two message dialects.
enum class MessageStyle : std::uint8_t { Ihe, Vendor };

/// "ihe" / "vendor".
std::optional<MessageStyle> message_style_from_string(std::string_view name);

/// Who is sending: the chair (PV1-3 bed) and the monitor's identity.
struct MonitorIdentity {
  std::string chair;         // e.g. "CHAIR3"
  std::string equipment_id;  // 16 hex digits (EUI-64)
};

/// An NIBP result for one message.
struct NibpObservation {
  int sys_mmhg = 0;
  int dia_mmhg = 0;
  int mean_mmhg = 0;
  WallMillis completed_at_ms = 0;  // OBX-14
  bool failed = false;             // OBX-11 X, empty values, plus an error row
  std::string error;               // monitor error text when failed
};

/// The continuous numerics for one message.
struct NumericsObservation {
  int hr_bpm = 0;
  int spo2_pct = 0;
  WallMillis at_ms = 0;
};

/// What one ORU^R01 carries.
struct OruContent {
  std::optional<NumericsObservation> numerics;
  std::optional<NibpObservation> nibp;
};

/// Builds one message. `control_id` becomes MSH-10 (and the OBR filler number).
std::string build_oru(const OruContent& content, const MonitorIdentity& who, MessageStyle style,
                      std::string_view control_id, WallMillis message_time_ms);

/// HL7 DTM in UTC with an explicit offset: "20261121101500+0000".
std::string hl7_timestamp(WallMillis ms);

}  // namespace vigil::sim
