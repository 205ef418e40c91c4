#pragma once
// Test helpers: the sample messages in tests/data/hl7/, small message builders and the
// standard delimiters.

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "hl7/escaping.hpp"

namespace vigil::hl7::testing {

/// The standard delimiters |^~\& (one definition for every test file of hl7_tests).
inline const Delimiters kStd;

/// Reads tests/data/hl7/<name> verbatim (segments end with CR, no MLLP framing).
inline std::string load_sample(const std::string& name) {
  const std::string path = std::string(VIGIL_TEST_DATA_DIR) + "/hl7/" + name;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// An ORU^R01 header (MSH, PID-less, PV1 optional) to which tests append OBX rows.
inline std::string oru_header(const std::string& msh7 = "20240102030405",
                              const std::string& control_id = "CTRL1") {
  return "MSH|^~\\&|MON^0011223344556677^EUI-64|WARD||VIGIL|" + msh7 + "||ORU^R01^ORU_R01|" + control_id +
         "|P|2.6\r";
}

}  // namespace vigil::hl7::testing
