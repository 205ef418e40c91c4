#pragma once
// MSH-10 prefixes for one run of the simulator: random, so two runs against one vigild do
// not send the same control ids (vigild would take the second run's messages as duplicates).

#include <string>

namespace vigil::sim {

// "S" + six random hex digits + "." (e.g. "S3FA01C.").
std::string random_control_prefix();

}  // namespace vigil::sim
