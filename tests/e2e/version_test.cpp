// --version on every program: "<program> <version> (<commit>[-dirty])", exit 0, nothing on
// stderr. The version is CMake's project(VERSION); the commit is git's short hash at build
// time, or "unknown" when the tree was not a git checkout.
#include <gtest/gtest.h>

#include <regex>

#include "support/child_process.hpp"
#include "support/vigild_fixture.hpp"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;

// `no_display`: run without DISPLAY and WAYLAND_DISPLAY, where no window could open.
void expect_version_line(const std::string& program, bool no_display = false) {
  std::vector<std::string> argv{bin(program), "--version"};
  if (no_display) argv.insert(argv.begin(), {"/usr/bin/env", "-u", "DISPLAY", "-u", "WAYLAND_DISPLAY"});
  const auto r = run_command(argv, 20s);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const std::regex line(program + " " + std::regex_replace(VIGIL_EXPECTED_VERSION, std::regex("\\."), "\\.") +
                        " \\(([0-9a-f]{7,40}(-dirty)?|unknown)\\)\n");
  EXPECT_TRUE(std::regex_match(r.out, line)) << "got: " << r.out;
  EXPECT_EQ(r.err, "");
}

TEST(Version, Vigild) { expect_version_line("vigild"); }
TEST(Version, Vigilctl) { expect_version_line("vigilctl"); }
TEST(Version, VigilSim) { expect_version_line("vigil-sim"); }

TEST(Version, VigilDashboard) {
#if VIGIL_HAS_DASHBOARD
  expect_version_line("vigil-dashboard", /*no_display=*/true);
#else
  GTEST_SKIP() << "vigil-dashboard is not built here (needs libimgui-dev, libglfw3-dev, ...)";
#endif
}

TEST(Version, HelpNeedsNoDisplayEither) {
#if VIGIL_HAS_DASHBOARD
  const auto r = run_command(
      {"/usr/bin/env", "-u", "DISPLAY", "-u", "WAYLAND_DISPLAY", bin("vigil-dashboard"), "--help"}, 20s);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("--version"), std::string::npos) << r.out;
#else
  GTEST_SKIP() << "vigil-dashboard is not built here";
#endif
}

}  // namespace
}  // namespace vigil::test
