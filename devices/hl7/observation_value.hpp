#pragma once
// OBX-5 as a vital-sign number: the strict grammar, SN (structured numeric), the vendors'
// "no value" placeholders, and what a human body can physically produce.
//
// A reading is a plain decimal ("-12.5", "98"): no exponent, no hex, no leading '+', no
// comma, at most 6 digits before the point (a 12-digit integer is a corrupted field, never
// a vital sign) and 17 after it (what gateways printing doubles send). SN "=^65", "^65" is 65; any other
// comparator
// ("<^10", ">^300") or a range/ratio ("^1^-^2") is not an exact value. Placeholders (-999,
// -99.9, "***", "---", ...) mean "the device has no value", not a number: they are never
// readings. The physical range (physical_range()) is a sanity bound per kind, far wider
// than the alert engine's plausibility rule (T5), which still judges what passes here.

#include <optional>
#include <string>
#include <string_view>

#include "hl7/escaping.hpp"
#include "reading/physical_range.hpp"
#include "reading/reading.hpp"

namespace vigil::hl7 {

/// Why an OBX-5 is not a usable number.
enum class ValueProblem {
  None,
  NoValue,     // a placeholder for "no value" (-999, ***, ---); like an empty OBX-5
  NotANumber,  // text that is not a plain decimal
  NotExact,    // SN with a comparator other than '=' or a range/ratio
  OutOfRange,  // a number no body can produce for that kind
};

/// A parsed OBX-5 or the reason it is not one.
struct ValueCheck {
  std::optional<double> number;  // set when problem == None (before unit conversion)
  ValueProblem problem = ValueProblem::None;
  std::string reason;  // our words, for ERR and the unmapped log; empty when None
};

/// The strict decimal grammar above; nullopt for anything else.
std::optional<double> parse_strict_decimal(std::string_view text);

/// True for the "no value" placeholders vendors send: -999, -9999, -99.9, -100 (and their
/// ".0" spellings), N/A, NA, and text made only of '*', '-', '?' or '/' ("***", "---", "?").
bool is_no_value_placeholder(std::string_view text);

/// Reads OBX-5 of value type `obx2` (NM, SN, ST, empty). Does not check the range.
ValueCheck read_obx_number(std::string_view obx2, std::string_view obx5, const Delimiters& d);

/// Empty when `canonical_value` is inside physical_range(kind) (reading/physical_range.hpp),
/// else the reason, in the words of an OBX-5.
std::string outside_physical_range(VitalKind kind, double canonical_value);

}  // namespace vigil::hl7
