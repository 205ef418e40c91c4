#include "common/reading_marks.hpp"

#include <string_view>

namespace vigil {

std::string reading_marks(const proto::Reading& r) {
  if (r.withdrawn()) {
    std::string_view status = r.status();
    while (!status.empty() && status.front() == ' ') status.remove_prefix(1);
    while (!status.empty() && status.back() == ' ') status.remove_suffix(1);
    return " (withdrawn by the device, status " + std::string(status) + ")";
  }
  if (r.late()) return " (late: an old result sent again)";
  if (!r.valid()) return " (invalid)";
  if (r.has_verified() && !r.verified()) return " (unverified)";
  return {};
}

}  // namespace vigil
