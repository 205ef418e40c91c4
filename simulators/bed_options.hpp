#pragma once
// The options after a --bed chair's scenario: "CHAIR=SCENARIO[,protocol=intellivue]".

#include <string>

namespace vigil::sim {

enum class BedProtocol { Default, IntelliVue };

/// `rest` is what follows the '=' of --bed `bed`. Sets `scenario` to the part before the
/// first ',' (when there is one). On an unknown option returns Default and sets `error`.
BedProtocol parse_bed_options(const std::string& bed, const std::string& rest, std::string& scenario,
                              std::string* error);

}  // namespace vigil::sim
