// vigil-dashboard against a vigild with stream users: a wrong token is shown as a
// refusal, loudly and for good (no "reconnecting" that never will), and a right one gets in.
// Runs under a private Xvfb like tests/gui/dashboard_smoke_test.cpp.
#include <gtest/gtest.h>

#include <stdlib.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <memory>

#include "gui/xvfb_session.hpp"
#include "support/child_process.hpp"
#include "support/vigild_fixture.hpp"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;

const std::string kToken = "dash-token-8d2c51e0a4b7f316";
bool is_orange(int r, int g, int b) { return r > 230 && g > 95 && g < 145 && b < 30; }
bool starts_with(const std::string& line, const std::string& prefix) { return line.rfind(prefix, 0) == 0; }

using DashboardLogin = XvfbTest;

TEST_F(DashboardLogin, WrongTokenIsShownAsARefusalAndNotRetriedRightTokenGetsIn) {
  TempDir dir;
  auto hash = run_command(
      {"/bin/sh", "-c", "printf '%s\\n' '" + kToken + "' | " + bin("vigild") + " --hash-token"}, 20s);
  ASSERT_EQ(hash.exit_code, 0) << hash.err;
  hash.out.pop_back();
  const std::string conf = dir.file("vigild.conf");
  std::ofstream(conf) << "stream_user { name: \"nina\" role: \"nurse\" token_sha256: \"" << hash.out
                      << "\" }\n";
  Vigild vigild(dir.file("vigil.db"), {"--config", conf});

  ChildProcess refused({bin("vigil-dashboard"), "--connect", vigild.stream.str(), "--user", "nina", "--width",
                        "1280", "--height", "800"},
                       {"VIGIL_TOKEN=not-the-right-token-000"});
  auto line = refused.wait_for_line([](auto& l) { return starts_with(l, "login refused: "); }, 30s);
  ASSERT_TRUE(line) << refused.stderr_text();
  EXPECT_EQ(*line, "login refused: refused: authentication failed");
  // The NO DATA banner, not the "reconnecting automatically" one, fills the middle.
  std::optional<Picture> shot;
  const auto deadline = std::chrono::steady_clock::now() + 20s;
  while (std::chrono::steady_clock::now() < deadline) {
    shot = screenshot(xvfb_->display(), dir.file("refused.ppm"), dir.file("refused.png"));
    if (shot && shot->count(0, 0, 1, 1, is_orange) > 50000) break;
  }
  ASSERT_TRUE(shot) << "import failed";
  EXPECT_GT(shot->count(0, 0, 1, 1, is_orange), 50000);
  EXPECT_TRUE(refused.running());
  refused.signal(SIGTERM);
  refused.wait(10s);

  ChildProcess nurse({bin("vigil-dashboard"), "--connect", vigild.stream.str(), "--user", "nina"},
                     {"VIGIL_TOKEN=" + kToken});
  ASSERT_TRUE(nurse.wait_for_line([](auto& l) { return l == "link connected"; }, 30s)) << nurse.stderr_text();
  nurse.signal(SIGTERM);
  nurse.wait(10s);
  EXPECT_EQ(vigild.stop(), 0);
  // One refusal: the refused dashboard never tried again.
  const std::string err = vigild.process().stderr_text();
  EXPECT_NE(err.find("auth_refused=1 "), std::string::npos) << err;
}

}  // namespace
}  // namespace vigil::test
