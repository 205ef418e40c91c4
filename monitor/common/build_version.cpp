#include "common/build_version.hpp"

// Generated into the build tree by cmake/build_version.cmake (target vigil_version_header).
#include "vigil_build_version.hpp"

namespace vigil {

std::string version_line(const std::string& program) {
  return program + " " VIGIL_BUILD_VERSION " (" VIGIL_BUILD_COMMIT ")";
}

}  // namespace vigil
