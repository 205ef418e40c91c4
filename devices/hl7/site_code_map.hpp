#pragma once
// A clinic's own code map: a source's local OBX-3 codes or labels, and the unit its values
// are in, mapped to Vigil's kinds without a rebuild (config `code_map { }`,
// docs/configuration.md). Checked at start-up; consulted before the built-in tables, since
// the site knows its monitors best. An entry can instead declare a code known and not a
// vital sign (`ignore`): an EHR's pain score is then neither a reading nor "unreadable".

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "hl7/escaping.hpp"
#include "reading/reading.hpp"

namespace vigil::hl7 {

/// One entry. At least one of code and label is set; empty fields match anything.
struct SiteCode {
  std::string source;                     // the device identity (OBX-18 equipment id, else MSH-3); empty: any
  std::string code;                       // OBX-3.1 (or the alternate identifier OBX-3.4)
  std::string label;                      // OBX-3.2 (or OBX-3.5)
  VitalKind kind = VitalKind::HeartRate;  // unused when ignore
  std::string unit;     // the values' unit when OBX-6 is empty or unknown; empty: OBX-6 must say
  bool ignore = false;  // known and not a vital sign: logged as unmapped, never an issue
};

/// Bound on entries (outside input: a config file).
inline constexpr std::size_t kMaxSiteCodes = 4096;

/// Empty if `entry` is usable, else why not (one line, no field prefix).
std::string check_site_code(const SiteCode& entry);

/// The first entry matching `source` and OBX-3 (primary or alternate triplet), or nullptr.
const SiteCode* find_site_code(const std::vector<SiteCode>& map, std::string_view source,
                               std::string_view obx3, const Delimiters& d);

}  // namespace vigil::hl7
