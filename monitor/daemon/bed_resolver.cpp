#include "daemon/bed_resolver.hpp"

namespace vigil::daemon {

BedResolver::BedResolver(const std::vector<BedMappingRule>& rules) {
  for (const auto& rule : rules) by_match_.emplace(rule.match, rule.chair);
}

std::string BedResolver::resolve(const hl7::DeviceIdentity& id) const {
  if (!by_match_.empty()) {
    // Most specific first: where the patient is, then which box, then who sent it.
    for (const std::string* key :
         {&id.location_raw, &id.location, &id.equipment_id, &id.sending_application, &id.sending_facility}) {
      if (key->empty()) continue;
      if (auto it = by_match_.find(*key); it != by_match_.end()) return it->second;
    }
  }
  return id.bed_key();
}

}  // namespace vigil::daemon
