#pragma once
// Outbound ORU^R40 in IHE PCD-04 form (Alert Communication Management): one message per
// alert transition.
//
//   MSH ... ORU^R40^ORU_R40 ... <ACM profile>;  PID (with a session);  PV1||I|^^<chair>
//   OBR|1|<control id>^VIGIL|<alert id>^<daemon id>|196616^MDC_EVT_ALARM^MDC|||<at>|...|
//        OBR-29 (follow-ups only): <first message's control id>&VIGIL^<same>&VIGIL
//   OBX|1|ST|196648^MDC_EVT_HI^MDC^<rule>^<rule>^VIGIL|1.0.0.0.1|<alert text>||||||F|||<at>
//   OBX|2|NM|<metric MDC id>|1.0.0.0.2|<value>|<unit>|<limit range>||||F      (physiological)
//      or OBX|2|ST|68480^MDC_ATTR_ALERT_SOURCE^MDC|1.0.0.0.2|<subject>||||||F   (others)
//   OBX|3|ST|68481^MDC_ATTR_EVENT_PHASE^MDC|1.0.0.0.3|start|update|escalate|end
//   OBX|4|ST|68482^MDC_ATTR_ALARM_STATE^MDC|1.0.0.0.4|active|latched|inactive
//   OBX|5|ST|68483^MDC_ATTR_ALARM_INACTIVATION_STATE^MDC|1.0.0.0.5|enabled|audio-paused|alert-acknowledged
//   OBX|6|ST|68484^MDC_ATTR_ALARM_PRIORITY^MDC|1.0.0.0.6|PH|PM|PL
//   OBX|7|ST|68485^MDC_ATTR_ALERT_TYPE^MDC|1.0.0.0.7|SP|ST|SA
//
// OBR-3 is the alert's own id (the same in every message about it, unique per daemon);
// OBR-29 links each follow-up to the message that started the alert. Deterministic, like
// the R01 builder: no clock, no sockets.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "hl7/oru_r01_builder.hpp"

namespace vigil::hl7 {

// An alert transition in PCD-04's own terms; the forwarder maps Vigil's vocabulary onto them
// (monitor/forward/alert_report.hpp), so this codec reads no Vigil words.
enum class EventPhase : std::uint8_t { Start, Update, Escalate, End };  // start update escalate end
enum class AlarmState : std::uint8_t { Active, Latched, Inactive };     // active latched inactive
enum class Inactivation : std::uint8_t {
  Enabled,
  AudioPaused,
  Acknowledged
};                                                                  // enabled audio-paused alert-acknowledged
enum class PcdPriority : std::uint8_t { None, Low, Medium, High };  // PN PL PM PH
enum class AlertType : std::uint8_t { Physiological, Technical, Advisory };  // SP ST SA

/// One alert transition, as PCD-04 describes it.
struct AlertReport {
  std::string alert_id;  // "CHAIR3-P2-17"
  std::string bed;
  std::string session_id;  // "" without a session (no PID)
  std::string rule;        // "P2": OBX-3's alternate identifier, text on the wire
  EventPhase phase = EventPhase::Update;
  AlarmState alarm_state = AlarmState::Active;
  Inactivation inactivation = Inactivation::Enabled;
  PcdPriority priority = PcdPriority::None;
  AlertType type = AlertType::Physiological;
  std::string message;              // "SBP 188 >= 180"
  std::string subject;              // which instance (device source for T1, ...)
  std::optional<VitalKind> metric;  // the vital the alert is about, when there is one
  std::optional<double> value, limit;
  bool above = true;  // the value crossed the limit upwards (MDC_EVT_HI) or downwards
  WallMillis at_ms = 0;
  /// Control id of the message that started this alert; empty on the start message itself
  /// (and when it is not known, e.g. an alert raised before forwarding was configured).
  std::string first_control_id;
};

/// The values of OBX 3..7 as sent: "start", "latched", "audio-paused", "PH", "ST" ...
std::string_view to_string(EventPhase phase);
std::string_view to_string(AlarmState state);
std::string_view to_string(Inactivation inactivation);
std::string_view to_string(PcdPriority priority);
std::string_view to_string(AlertType type);

/// The ORU^R40 message (segments end in CR, not MLLP-wrapped).
std::string build_oru_r40(const ForwardHeader& header, const AlertReport& alert);

}  // namespace vigil::hl7
