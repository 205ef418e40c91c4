#pragma once
// What every program prints for --version: "<program> <version> (<commit>[-dirty])", the
// version from CMake's project(VERSION), the commit from git when the program was built
// ("unknown" outside a git checkout). A bug report then names the exact build.

#include <string>

namespace vigil {

// "vigild 0.1.0 (1a2b3c4)"
std::string version_line(const std::string& program);

}  // namespace vigil
