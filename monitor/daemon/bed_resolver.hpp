#pragma once
// Decides which chair a message belongs to: a configured mapping first, then the device's
// own identity (PV1-3 location, else OBX-18 equipment, else MSH-3, else MSH-4).

#include <string>
#include <unordered_map>
#include <vector>

#include "daemon/settings.hpp"
#include "hl7/ingest.hpp"

namespace vigil::daemon {

class BedResolver {
 public:
  explicit BedResolver(const std::vector<BedMappingRule>& rules);

  // The chair name for this identity; empty when the message identifies nothing at all.
  std::string resolve(const hl7::DeviceIdentity& identity) const;

 private:
  std::unordered_map<std::string, std::string> by_match_;
};

}  // namespace vigil::daemon
