#include "hl7/site_code_map.hpp"

#include "hl7/message.hpp"
#include "hl7/units.hpp"

namespace vigil::hl7 {
namespace {

bool matches(const SiteCode& e, std::string_view code, std::string_view label) {
  if (code.empty() && label.empty()) return false;
  return (e.code.empty() || e.code == code) && (e.label.empty() || e.label == label);
}

}  // namespace

std::string check_site_code(const SiteCode& e) {
  if (e.code.empty() && e.label.empty()) return "code or label is required";
  if (e.code.size() > 64 || e.label.size() > 64 || e.source.size() > 128)
    return "code, label or source too long";
  if (e.ignore) {
    if (!e.unit.empty()) return "ignore: true takes no unit (an ignored code is not a vital sign)";
    return {};
  }
  if (!e.unit.empty()) {
    const auto unit = unit_from_text(e.unit);
    if (!unit) return "unit '" + e.unit + "' is not one Vigil knows (e.g. mmHg, kPa, /min, %, Cel, [degF])";
    if (!to_canonical(e.kind, *unit, 0)) {
      return "unit '" + e.unit + "' does not fit kind " + std::string(to_string(e.kind));
    }
  }
  return {};
}

const SiteCode* find_site_code(const std::vector<SiteCode>& map, std::string_view source,
                               std::string_view obx3, const Delimiters& d) {
  if (map.empty()) return nullptr;
  std::string_view c[6];
  split(repetition(obx3, 1, d), d.component, c, 6);
  for (const SiteCode& e : map) {
    if (!e.source.empty() && e.source != source) continue;
    if (matches(e, c[0], c[1]) || matches(e, c[3], c[4])) return &e;
  }
  return nullptr;
}

}  // namespace vigil::hl7
