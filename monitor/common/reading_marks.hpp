#pragma once
// What a reading line says of a reading besides its number, the same on every text face
// (vigilctl watch, vigilctl history): a withdrawal, a late reading or an invalid value must
// never read like a value the rules used.

#include <string>

#include "reading.pb.h"

namespace vigil {

// " (withdrawn by the device, status W)", " (late: an old result sent again)",
// " (unverified)", " (invalid)" or "" for a verified valid value.
std::string reading_marks(const proto::Reading& r);

}  // namespace vigil
