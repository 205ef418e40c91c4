#pragma once
// Runs tests/forward/parse_hl7.py (Debian python3-hl7) on messages the tests built or
// received: a second, independent HL7 parser to compare with ours.

#include <string>
#include <vector>

namespace vigil::forward::test {

struct PyObx {
  std::string set, code, ref, sub, value, unit, range, status, time, equipment;
};

struct PyMessage {
  std::string msh3, msh4, msh7, msh9, msh10;  // msh3/msh9 as "C1^C2"
  std::string bed, obr3, obr29;
  std::string resend_attempt;  // ZRS-2, "" without a resend marker
  std::vector<PyObx> obx;
};

class PythonHl7 {
 public:
  /// True when /usr/bin/python3 can import hl7.
  bool available();
  /// One PyMessage per input, in order; empty (see error()) when python-hl7 failed.
  std::vector<PyMessage> parse(const std::vector<std::string>& messages);
  const std::string& error() const { return error_; }

 private:
  std::string error_;
};

}  // namespace vigil::forward::test
