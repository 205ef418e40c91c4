#pragma once
// Helpers for the dashboard's system tests: a private Xvfb display, screenshots of it with
// ImageMagick's import, and pixel counting on the PPM pictures.

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "support/child_process.hpp"

namespace vigil::test {

// True when /usr/bin/Xvfb exists (the only reason the smoke test may skip).
bool xvfb_installed();

// An Xvfb server on a free display number (:50..:250), width x height x 24. Throws if it
// does not come up within 20 s.
class XvfbSession {
 public:
  explicit XvfbSession(int width = 1280, int height = 800);
  ~XvfbSession();
  const std::string& display() const { return display_; }  // ":123"

 private:
  std::string display_;
  std::unique_ptr<ChildProcess> server_;
};

// A test fixture with a private display: skips without Xvfb, fails without ImageMagick's
// import, and points DISPLAY at the display (programs the test starts inherit it).
class XvfbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!xvfb_installed()) GTEST_SKIP() << "Xvfb is not installed (scripts/install-deps.sh installs xvfb)";
    ASSERT_EQ(::access("/usr/bin/import", X_OK), 0)
        << "ImageMagick's import is missing (install imagemagick)";
    xvfb_ = std::make_unique<XvfbSession>(screen_width_, screen_height_);
    ::setenv("DISPLAY", xvfb_->display().c_str(), 1);
  }
  std::unique_ptr<XvfbSession> xvfb_;
  int screen_width_ = 1280, screen_height_ = 800;  // a derived fixture may set others
};

// An RGB picture.
struct Picture {
  int width = 0, height = 0;
  std::vector<unsigned char> rgb;
  // Pixels inside [x0,x1)x[y0,y1) (fractions of the size) for which `match(r,g,b)` holds.
  int count(float x0, float y0, float x1, float y1, const std::function<bool(int, int, int)>& match) const;
};

// Reads a binary PPM (P6, maxval 255); nullopt if it is not one.
std::optional<Picture> read_ppm(const std::string& path);

// Screenshots the whole display with /usr/bin/import into `ppm_path`, and also keeps a PNG
// copy at `png_path` (made with /usr/bin/convert) as a test artifact.
std::optional<Picture> screenshot(const std::string& display, const std::string& ppm_path,
                                  const std::string& png_path);

}  // namespace vigil::test
