#include "sim/wire_faults.hpp"

namespace vigil::sim {

namespace {
struct FaultName {
  WireFault fault;
  const char* name;
};
constexpr FaultName kNames[] = {
    {WireFault::Garbage, "garbage"},       {WireFault::Truncate, "truncate"},   {WireFault::Stall, "stall"},
    {WireFault::Disconnect, "disconnect"}, {WireFault::Duplicate, "duplicate"},
};
}  // namespace

std::optional<WireFault> wire_fault_from_string(std::string_view name) {
  for (const auto& n : kNames)
    if (name == n.name) return n.fault;
  return std::nullopt;
}

const char* to_string(WireFault fault) {
  for (const auto& n : kNames)
    if (n.fault == fault) return n.name;
  return "?";
}

std::optional<std::vector<WireFault>> parse_fault_list(std::string_view list, std::string* error) {
  std::vector<WireFault> out;
  while (!list.empty()) {
    auto comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    list.remove_prefix(comma == std::string_view::npos ? list.size() : comma + 1);
    if (item.empty()) continue;
    auto f = wire_fault_from_string(item);
    if (!f) {
      if (error)
        *error =
            "unknown fault '" + std::string(item) + "' (garbage, truncate, stall, disconnect, duplicate)";
      return std::nullopt;
    }
    out.push_back(*f);
  }
  return out;
}

}  // namespace vigil::sim
