#include "bed_options.hpp"

namespace vigil::sim {

BedProtocol parse_bed_options(const std::string& bed, const std::string& rest, std::string& scenario,
                              std::string* error) {
  BedProtocol protocol = BedProtocol::Default;
  const auto comma = rest.find(',');
  if (comma == std::string::npos) return protocol;
  scenario = rest.substr(0, comma);
  const std::string options = rest.substr(comma + 1);
  std::size_t at = 0;
  while (at <= options.size()) {
    const auto next = options.find(',', at);
    const std::string opt = options.substr(at, next == std::string::npos ? std::string::npos : next - at);
    if (opt == "protocol=intellivue") {
      protocol = BedProtocol::IntelliVue;
    } else if (opt != "protocol=default") {
      if (error) *error = "--bed " + bed + ": unknown option '" + opt + "' (known: protocol=intellivue)";
      return BedProtocol::Default;
    }
    if (next == std::string::npos) break;
    at = next + 1;
  }
  return protocol;
}

}  // namespace vigil::sim
