#pragma once
// The domain type every device codec produces and everything downstream consumes.
// Plain C++ on purpose: protobuf appears only at the stream edge.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vigil {

// Wall-clock time, milliseconds since the Unix epoch (UTC). Used for when a value was
// measured or received; durations inside the daemon use a monotonic clock instead.
using WallMillis = std::int64_t;

enum class VitalKind : std::uint8_t {
  NibpSys,
  NibpDia,
  NibpMean,
  HeartRate,
  PulseRate,
  SpO2,
  RespRate,
  Temperature,
};

inline constexpr VitalKind kAllVitalKinds[] = {
    VitalKind::NibpSys,   VitalKind::NibpDia, VitalKind::NibpMean, VitalKind::HeartRate,
    VitalKind::PulseRate, VitalKind::SpO2,    VitalKind::RespRate, VitalKind::Temperature,
};

// The names used on every external surface (JSON lines, CSV, database): NIBP_SYS ...
std::string_view to_string(VitalKind kind);
std::optional<VitalKind> vital_kind_from_string(std::string_view name);

// The unit every value of a kind is stored and shown in: mmHg, /min, %, degC.
std::string_view canonical_unit(VitalKind kind);

// SBP, DBP or MAP: the three parts of one cuff measurement.
constexpr bool is_nibp(VitalKind kind) {
  return kind == VitalKind::NibpSys || kind == VitalKind::NibpDia || kind == VitalKind::NibpMean;
}

// Kinds shown as whole numbers (all but temperature). Their values are judged as shown,
// rounded half away from zero: a SBP of 199.5 (26.6 kPa) is "200" on every face and must
// meet a rule of ">= 200".
constexpr bool shown_whole(VitalKind kind) { return kind != VitalKind::Temperature; }

struct Reading {
  std::string bed;  // chair name; empty until the daemon resolves it
  VitalKind kind = VitalKind::HeartRate;
  double value = 0;  // in canonical_unit(kind)
  // 0 when the device sent no parseable time (OBX-14/OBR-7/MSH-7); the daemon then
  // substitutes received_at_ms.
  WallMillis measured_at_ms = 0;
  WallMillis received_at_ms = 0;
  std::string source;  // device identity: equipment id, else sending application
  // False when `source` names only the sending application (HL7 MSH-3/MSH-4, no OBX-18):
  // every monitor of one model, or a gateway's every chair, sends the same one, so it
  // cannot tell that one monitor feeds two chairs (T7).
  bool source_is_device = true;
  bool valid = true;   // false: the device said so (OBX-11 X, D, ...)
  std::string status;  // the device's own status code, verbatim (OBX-11)
};

// A device's status code (Reading::status, kept verbatim) without the blanks some senders
// pad it with.
constexpr std::string_view status_code(std::string_view status) {
  while (!status.empty() && status.front() == ' ') status.remove_prefix(1);
  while (!status.empty() && status.back() == ' ') status.remove_suffix(1);
  return status;
}

// OBX-11 D (deleted) or W (wrong, a correction follows), in any case and with blanks around
// it: the device takes back its value of this kind measured at that time.
constexpr bool is_withdrawal_status(std::string_view status) {
  status = status_code(status);
  return status.size() == 1 && (status[0] == 'D' || status[0] == 'd' || status[0] == 'W' || status[0] == 'w');
}

// A withdrawal: no value of the patient's but the device's word that an earlier one (same
// device, kind and measurement time) was wrong. Never a current value, never judged; it
// ends what that value showed and raised.
inline bool is_withdrawal(const Reading& r) { return !r.valid && is_withdrawal_status(r.status); }

// Whether a withdrawal of a `withdrawn` value takes back a value of `kind` (of the same device
// and time): its own kind, and for a NIBP part every part of its measurement, since the rules
// judge a cuff's result as one.
constexpr bool withdrawal_takes(VitalKind withdrawn, VitalKind kind) {
  return kind == withdrawn || (is_nibp(kind) && is_nibp(withdrawn));
}

}  // namespace vigil

namespace vigil {

// An observation the codec could not map to a VitalKind (an unknown code, or a kind we do
// not track). Kept and counted, never fatal: a biomed engineer can see what a monitor sends.
struct UnmappedObservation {
  std::string bed;
  std::string source;
  std::string code;   // e.g. "150344^MDC_TEMP^MDC" or "0002-f0c7^T1^MDIL", verbatim
  std::string value;  // verbatim, unconverted
  std::string unit;   // verbatim
  WallMillis measured_at_ms = 0;
  WallMillis received_at_ms = 0;
  std::string reason;  // why it is not a reading (codec's words); empty: not given
};

}  // namespace vigil
