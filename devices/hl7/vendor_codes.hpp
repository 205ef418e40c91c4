#pragma once
// Observation identifiers that are not IEEE 11073 MDC: LOINC (EHR flowsheets, home
// devices, the alternate identifier of IHE messages) and the vendors' own local codes and
// labels, from their published HL7 interface guides (each table cites its source).
//
// A vendor row names the unit its values are in when the vendor sends none (old Mindray
// gateways leave OBX-6 empty). Rows match on code and label together (or label with the
// vendor's coding system): a bare label like "HR" under an unknown code is not trusted. A
// row can also say a vendor code is known and not charted (NotVital), so its numbers are
// neither readings nor "unreadable".

#include <string_view>

#include "hl7/mdc_codes.hpp"

namespace vigil::hl7 {

/// By LOINC code ("8867-4" ...); Unknown for codes we do not map.
CodeLookup lookup_loinc(std::string_view code);

/// By a vendor's local code/label/coding system and, for vendors that put the component
/// in OBX-4 (Welch Allyn: "SYS", "DIA", "MEAN"), the sub-id. Vital or NotVital on a hit.
CodeLookup lookup_vendor_local(std::string_view code, std::string_view label, std::string_view system,
                               std::string_view sub_id);

/// True when OBX-3 uses a standard terminology we recognise (MDC codes or reference ids,
/// Philips MDIL, LOINC, SNOMED CT) or a vendor code we know is not a vital sign: such an
/// observation is "known and not tracked", never "unreadable".
bool is_recognised_identifier(std::string_view obx3, const Delimiters& d);

}  // namespace vigil::hl7
