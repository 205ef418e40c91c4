#pragma once
// Who sent a message, as far as HL7 tells: the location (PV1-3), the equipment (OBX-18)
// and the sending application/facility (MSH-3/MSH-4). The daemon maps this to a chair.

#include <string>
#include <string_view>

#include "hl7/escaping.hpp"

namespace vigil::hl7 {

/// Identity fields of one message, unescaped.
struct DeviceIdentity {
  std::string location;             // Vigil's name for PV1-3 (location_name()), empty if absent
  std::string location_raw;         // PV1-3 verbatim (unescaped)
  std::string equipment_id;         // OBX-18 first component (first OBX-18 that has one)
  std::string sending_application;  // MSH-3, first non-empty component
  std::string sending_facility;     // MSH-4, first non-empty component
  /// location, else equipment_id, else sending_application, else sending_facility.
  const std::string& bed_key() const;
  /// equipment_id, else sending_application, else sending_facility (Reading::source).
  const std::string& source() const;
};

/// Vigil's name for a PL location field (PV1-3): when exactly one component is non-empty,
/// that component ("^^LOCATION34" -> "LOCATION34"); otherwise the non-empty components
/// joined with "/" ("3 WEST ICU^3001^1" -> "3 WEST ICU/3001/1"), so two units with the same
/// bed number never merge. Components are unescaped.
std::string location_name(std::string_view pl_field, const Delimiters& d);
/// A component as a name reads it, still escaped: without blanks around it, and empty for
/// HL7's explicit null "" (OBX-18's equipment id, as PV1-3 and MSH-3 are read).
std::string_view name_component(std::string_view raw);
/// location_name() into `out` (replacing it, keeping its storage).
void assign_location_name(std::string& out, std::string_view pl_field, const Delimiters& d);

/// The first non-empty component of a field's first repetition, unescaped (HD fields:
/// "^EfficiaCM" -> "EfficiaCM", "AcmeInc^ACDE48234567ABCD^EUI-64" -> "AcmeInc").
std::string first_nonempty_component(std::string_view field, const Delimiters& d);
/// first_nonempty_component() into `out` (replacing it, keeping its storage).
void assign_first_nonempty_component(std::string& out, std::string_view field, const Delimiters& d);

/// Empties every field, keeping the strings' storage for the next message.
void clear_identity(DeviceIdentity& identity);

}  // namespace vigil::hl7
