#pragma once
// Units of measure in OBX-6 and the conversion to Vigil's canonical units.
//
// Accepted spellings: MDC codes (numeric or MDIL hex, e.g. 266016 / 0004-0f20 mmHg),
// MDC reference ids (MDC_DIM_MMHG), UCUM (mm[Hg], kPa, Cel, [degF], /min, %) and the
// vendor text seen in the field (mmHg, C, bpm, BPM, DegC, Br/M ...). UCUM annotations in
// braces are ignored, as UCUM says: "{beat}/min" is "/min". A unit we do not recognise, or
// one that does not fit the quantity, is never guessed at: the caller keeps the
// observation as unmapped.

#include <cstdint>
#include <optional>
#include <string_view>

#include "hl7/escaping.hpp"
#include "reading/reading.hpp"

namespace vigil::hl7 {

/// The units we understand.
enum class Unit : std::uint8_t { MmHg, KiloPascal, PerMinute, Percent, DegC, DegF };

/// Looks up a full numeric MDC unit code (266016 ...).
std::optional<Unit> unit_from_mdc_code(std::uint32_t code);
/// Looks up a unit by text: MDC reference id, UCUM or vendor spelling (case-insensitive).
std::optional<Unit> unit_from_text(std::string_view text);
/// Resolves an OBX-6 field (CE/CWE): identifier as code or text, then the text component,
/// then the alternate identifier and text.
std::optional<Unit> resolve_unit(std::string_view obx6, const Delimiters& d);

/// Converts `value` in `unit` to canonical_unit(kind); nullopt when the unit does not fit
/// the kind (a percent heart rate, a kPa temperature).
std::optional<double> to_canonical(VitalKind kind, Unit unit, double value);

/// Parses an HL7 NM value: optional sign, digits, optional decimal point and digits
/// (no exponent); surrounding spaces are tolerated. nullopt for anything else.
std::optional<double> parse_hl7_number(std::string_view text);

}  // namespace vigil::hl7
