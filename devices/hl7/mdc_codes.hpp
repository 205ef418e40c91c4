#pragma once
// Which observation identifiers (OBX-3) we turn into readings.
//
// IEEE 11073-10101 (MDC) codes are partition * 65536 + term; senders write the number,
// the reference id (MDC_...) or both, so we key on either. Philips MDIL writes the same
// code as hex "pppp-tttt"; Philips private terms (0xF000 and up) and terms we do not
// know fall back to the Philips text name. Old Mindray feeds use local numeric labels.
//
// The MDC table is read only for a triplet whose coding system (OBX-3.3, or OBX-3.6 for the
// alternate identifier) is MDC, Philips MDIL, or empty (many monitors omit it): a vendor's
// local 150456 (a cerebral oximeter's rSO2, say) is not MDC's SpO2 150456.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "hl7/escaping.hpp"
#include "reading/reading.hpp"

namespace vigil::hl7 {

/// The outcome of looking up an identifier.
enum class CodeMatch : std::uint8_t {
  Unknown,   // not in our tables: try the next way of reading the identifier
  Vital,     // maps to a VitalKind
  NotVital,  // known and deliberately not mapped (generic and arterial BP): stop looking
};

/// A lookup result.
struct CodeLookup {
  CodeMatch match = CodeMatch::Unknown;
  VitalKind kind = VitalKind::HeartRate;  // meaningful when match == Vital
  /// The unit a vendor table says the value is in when OBX-6 is empty (UCUM text); empty:
  /// OBX-6 must say.
  std::string_view implied_unit;
};

/// By full numeric MDC code (e.g. 150021).
CodeLookup lookup_mdc_code(std::uint32_t code);
/// By MDC reference id (e.g. "MDC_PRESS_BLD_NONINV_SYS", "MDC_PRESS_CUFF_SYS").
CodeLookup lookup_mdc_reference(std::string_view ref_id);
/// By Philips MDIL text name ("NBPs", "HR", "T1" ...), used with MDIL identifiers only.
CodeLookup lookup_mdil_label(std::string_view label);
/// By an old Mindray local code and label pair ("101"/"HR", "170"/"Sys" ...). Both must
/// match: a bare label like "HR" under an unknown code is not trusted. The table lives with
/// the other vendors' in vendor_codes.cpp.
CodeLookup lookup_mindray_local(std::string_view code, std::string_view label);

/// True for a coding system name that means ISO/IEEE 11073-10101: "MDC" (HL7 table 0396,
/// the name IHE PCD-01 uses), in any case. Empty is not a name (see reads_mdc()).
bool names_mdc(std::string_view system);
/// True when a triplet with this coding system may be looked up in the MDC table: MDC,
/// Philips "MDIL" (MDC codes written in hex) or empty.
bool reads_mdc(std::string_view system);
/// When OBX-3 holds an MDC code or reference id (one in our table) under another coding
/// system, why it was not read: "code 150456 in coding system 99LOCAL is not MDC"; else
/// empty.
std::string mdc_code_in_other_system(std::string_view obx3, const Delimiters& d);

/// Parses an all-digit identifier ("150021"); nullopt otherwise or on overflow.
std::optional<std::uint32_t> parse_numeric_code(std::string_view text);
/// Parses an MDIL hex identifier "pppp-tttt" to partition * 65536 + term.
std::optional<std::uint32_t> parse_mdil_hex(std::string_view text);

/// Resolves an OBX-3 field (CE/CWE: id^text^system^alt id^alt text^alt system):
/// numeric MDC code, MDIL hex code, reference id, MDIL label (those four only when
/// reads_mdc(system)), LOINC, vendor tables (vendor_codes.hpp); then the same for the
/// alternate triplet. The first definite answer
/// (Vital or NotVital) wins. `obx4` (the sub-id) matters only to vendors that put the
/// component there.
CodeLookup resolve_observation_id(std::string_view obx3, const Delimiters& d, std::string_view obx4 = {});

}  // namespace vigil::hl7
