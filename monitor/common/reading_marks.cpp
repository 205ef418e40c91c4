#include "common/reading_marks.hpp"

#include <string_view>

#include "reading/reading.hpp"

namespace vigil {

std::string reading_marks(const proto::Reading& r) {
  if (r.withdrawn()) return " (withdrawn by the device, status " + std::string(status_code(r.status())) + ")";
  if (r.late()) return " (late: an old result sent again)";
  if (!r.valid()) return " (invalid)";
  if (r.has_verified() && !r.verified()) return " (unverified)";
  return {};
}

}  // namespace vigil
