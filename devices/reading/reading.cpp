#include "reading/reading.hpp"

namespace vigil {

std::string_view to_string(VitalKind kind) {
  switch (kind) {
    case VitalKind::NibpSys: return "NIBP_SYS";
    case VitalKind::NibpDia: return "NIBP_DIA";
    case VitalKind::NibpMean: return "NIBP_MEAN";
    case VitalKind::HeartRate: return "HR";
    case VitalKind::PulseRate: return "PULSE";
    case VitalKind::SpO2: return "SPO2";
    case VitalKind::RespRate: return "RESP";
    case VitalKind::Temperature: return "TEMP";
  }
  return "UNKNOWN";
}

std::optional<VitalKind> vital_kind_from_string(std::string_view name) {
  for (VitalKind k : kAllVitalKinds) {
    if (to_string(k) == name) return k;
  }
  return std::nullopt;
}

std::string_view canonical_unit(VitalKind kind) {
  switch (kind) {
    case VitalKind::NibpSys:
    case VitalKind::NibpDia:
    case VitalKind::NibpMean: return "mmHg";
    case VitalKind::HeartRate:
    case VitalKind::PulseRate:
    case VitalKind::RespRate: return "/min";
    case VitalKind::SpO2: return "%";
    case VitalKind::Temperature: return "degC";
  }
  return "";
}

}  // namespace vigil
