// Headless system tests of vigil-dashboard: a real vigild, a scripted HL7 feed, the
// dashboard under a private Xvfb. Screenshots are checked for what must be on screen and
// kept in VIGIL_ARTIFACT_DIR (build-dir/test-artifacts).
#include <gtest/gtest.h>

#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <thread>

#include "gui/xvfb_session.hpp"
#include "support/child_process.hpp"
#include "support/mllp_client.hpp"
#include "support/vigild_fixture.hpp"

namespace vigil::test {
namespace {

using namespace std::chrono_literals;

// The palette's HIGH red (235,0,0) and NO DATA orange (255,120,0), with some tolerance.
bool is_red(int r, int g, int b) { return r > 200 && g < 40 && b < 40; }
bool is_orange(int r, int g, int b) { return r > 230 && g > 95 && g < 145 && b < 30; }

std::string artifact(const std::string& name) {
  std::filesystem::create_directories(VIGIL_ARTIFACT_DIR);
  return std::string(VIGIL_ARTIFACT_DIR) + "/" + name;
}

bool starts_with(const std::string& line, const std::string& prefix) { return line.rfind(prefix, 0) == 0; }

// Feeds one ORU per chair and checks each is accepted.
void feed(MllpClient& monitor, const std::vector<OruValues>& chairs) {
  for (const auto& v : chairs) {
    ASSERT_TRUE(monitor.send_message(make_oru(v)));
    auto ack = monitor.read_reply(10s);
    ASSERT_TRUE(ack);
    ASSERT_EQ(hl7_field(*ack, "MSA", 1), "AA") << *ack;
  }
}

OruValues chair(const std::string& bed, const std::string& id, int sys, int seconds_ago = 5) {
  OruValues v;
  v.bed = bed;
  v.control_id = id;
  v.time = hl7_time_ago(seconds_ago);
  v.sys = sys;
  v.dia = sys > 180 ? 112 : 78;
  v.mean = (v.sys + 2 * v.dia) / 3;
  return v;
}

// Takes screenshots until `good` accepts one (the HIGH alarm flashes: one in two frames is
// dark) or the deadline passes; returns the last picture taken.
std::optional<Picture> shoot_until(const std::string& display, const std::string& name,
                                   const std::function<bool(const Picture&)>& good,
                                   std::chrono::seconds limit) {
  std::optional<Picture> p;
  const auto deadline = std::chrono::steady_clock::now() + limit;
  do {
    p = screenshot(display, artifact(name + ".ppm"), artifact(name + ".png"));
    if (p && good(*p)) return p;
  } while (std::chrono::steady_clock::now() < deadline);
  return p;
}

using DashboardSmoke = XvfbTest;

TEST_F(DashboardSmoke, FourChairsWithAHighAlarmThenNoDataWhenTheDaemonDiesThenReconnects) {
  TempDir dir;
  Vigild vigild(dir.file("vigil.db"));
  MllpClient monitor(vigild.hl7.host, vigild.hl7.port);
  ASSERT_TRUE(monitor.connected());
  feed(monitor, {chair("CHAIR1", "M1", 122), chair("CHAIR2", "M2", 212), chair("CHAIR3", "M3", 131),
                 chair("CHAIR4", "M4", 118)});

  ChildProcess dash({bin("vigil-dashboard"), "--connect", vigild.stream.str(), "--user", "nurse-smoke"});
  auto shown = dash.wait_for_line([](auto& l) { return starts_with(l, "high-alert shown CHAIR2"); }, 30s);
  ASSERT_TRUE(shown) << dash.stderr_text();

  // The chair grid (left ~68 % below the bar) shows a red alarm region; no NO DATA banner.
  auto high = shoot_until(
      xvfb_->display(), "dashboard_high_alarm",
      [](const Picture& p) { return p.count(0, 0.06f, 0.68f, 1, is_red) > 5000; }, 15s);
  ASSERT_TRUE(high) << "import failed";
  EXPECT_GT(high->count(0, 0.06f, 0.68f, 1, is_red), 5000);
  EXPECT_LT(high->count(0, 0, 1, 1, is_orange), 500);

  // The daemon dies: the whole screen says NO DATA and no red alarm is shown as if current.
  vigild.process().signal(SIGKILL);
  ASSERT_TRUE(dash.wait_for_line([](auto& l) { return l == "link lost"; }, 20s)) << dash.stderr_text();
  auto lost = shoot_until(
      xvfb_->display(), "dashboard_link_lost",
      [](const Picture& p) { return p.count(0, 0, 1, 1, is_orange) > 50000; }, 15s);
  ASSERT_TRUE(lost);
  EXPECT_GT(lost->count(0, 0, 1, 1, is_orange), 50000);  // the banner spans the screen
  EXPECT_LT(lost->count(0, 0, 1, 1, is_red), 200);
  EXPECT_TRUE(dash.running()) << "the dashboard must stay up and keep reconnecting";

  // A new daemon on the same stream port: the dashboard reconnects by itself.
  VigildOptions same_port = VigildOptions::on(dir.file("vigil.db"));
  same_port.stream_listen = vigild.stream.str();
  Vigild again(same_port);
  EXPECT_TRUE(dash.wait_for_line([](auto& l) { return l == "data valid"; }, 30s)) << dash.stderr_text();
}

TEST_F(DashboardSmoke, AckPressedInTheDashboardReachesTheAlertLogWithTheUser) {
  TempDir dir;
  Vigild vigild(dir.file("vigil.db"));
  // The test hook presses A (acknowledge the top alert) once an alarm has shown 500 ms.
  ChildProcess dash({bin("vigil-dashboard"), "--connect", vigild.stream.str(), "--user", "nurse-ack",
                     "--test-ack-top-after-ms", "500"});
  ASSERT_TRUE(dash.wait_for_line([](auto& l) { return l == "data valid"; }, 30s)) << dash.stderr_text();
  MllpClient monitor(vigild.hl7.host, vigild.hl7.port);
  feed(monitor, {chair("CHAIR1", "A1", 214)});
  auto sent = dash.wait_for_line([](auto& l) { return starts_with(l, "request-sent ack CHAIR1"); }, 30s);
  ASSERT_TRUE(sent) << dash.stderr_text();

  // The daemon's alert log has the acknowledgement with the user's name.
  bool found = false;
  std::string last;
  const auto deadline = std::chrono::steady_clock::now() + 30s;
  while (!found && std::chrono::steady_clock::now() < deadline) {
    auto log = run_command({bin("vigilctl"), "alerts", "--db", dir.file("vigil.db")}, 20s);
    last = log.out + log.err;
    found = log.out.find("\"acknowledged_by\":\"nurse-ack\"") != std::string::npos;
    if (!found) std::this_thread::sleep_for(200ms);  // poll interval; the deadline bounds it
  }
  EXPECT_TRUE(found) << last;
  // And the result came back through the stream: the dashboard shows it acknowledged.
  auto shown = dash.wait_for_line([](auto& l) { return starts_with(l, "acknowledged-shown CHAIR1"); }, 30s);
  ASSERT_TRUE(shown) << dash.stderr_text();
  EXPECT_NE(shown->find(" by nurse-ack"), std::string::npos) << *shown;
  auto shot =
      screenshot(xvfb_->display(), artifact("dashboard_after_ack.ppm"), artifact("dashboard_after_ack.png"));
  EXPECT_TRUE(shot);
}

TEST_F(DashboardSmoke, KeyAAcknowledgesTheTopAlertWithTheUser) {
  ASSERT_EQ(::access("/usr/bin/xdotool", X_OK), 0)
      << "xdotool is missing (scripts/install-deps.sh installs it)";
  TempDir dir;
  Vigild vigild(dir.file("vigil.db"));
  ChildProcess dash({bin("vigil-dashboard"), "--connect", vigild.stream.str(), "--user", "nurse-kbd"});
  ASSERT_TRUE(dash.wait_for_line([](auto& l) { return l == "data valid"; }, 30s)) << dash.stderr_text();
  MllpClient monitor(vigild.hl7.host, vigild.hl7.port);
  feed(monitor, {chair("CHAIR3", "K1", 216)});
  ASSERT_TRUE(dash.wait_for_line([](auto& l) { return starts_with(l, "high-alert shown CHAIR3"); }, 30s));
  // A real key press through the X server (no window manager: focus follows the pointer,
  // which starts over the window). Pressed again only if the dashboard did not react.
  std::optional<std::string> sent;
  for (int attempt = 0; attempt < 5 && !sent; ++attempt) {
    auto key = run_command({"/usr/bin/xdotool", "key", "a"}, 10s);
    ASSERT_EQ(key.exit_code, 0) << key.err;
    sent = dash.wait_for_line([](auto& l) { return starts_with(l, "request-sent ack CHAIR3"); }, 5s);
  }
  ASSERT_TRUE(sent) << dash.stderr_text();
  auto shown = dash.wait_for_line([](auto& l) { return starts_with(l, "acknowledged-shown CHAIR3"); }, 30s);
  ASSERT_TRUE(shown) << dash.stderr_text();
  EXPECT_NE(shown->find(" by nurse-kbd"), std::string::npos) << *shown;
  auto log = run_command({bin("vigilctl"), "alerts", "--db", dir.file("vigil.db")}, 20s);
  EXPECT_NE(log.out.find("\"acknowledged_by\":\"nurse-kbd\""), std::string::npos) << log.out << log.err;
}

TEST_F(DashboardSmoke, ChairDetailTrendScreenshot) {
  TempDir dir;
  Vigild vigild(dir.file("vigil.db"));
  const std::string png = artifact("dashboard_detail.png");
  std::filesystem::remove(png);
  // A session with a baseline and a running infusion, so the trend has its band and marks.
  auto nurse = [&](std::vector<std::string> args) {
    std::vector<std::string> argv{bin("vigilctl"), "session"};
    argv.insert(argv.end(), args.begin(), args.end());
    for (std::string a : std::vector<std::string>{"--bed", "CHAIR1", "--connect", vigild.stream.str(),
                                                  "--user", "nurse-trend"})
      argv.push_back(a);
    return run_command(argv, 30s);
  };
  auto begun = nurse({"begin", "--patient", "Pt 7", "--planned-minutes", "40"});
  ASSERT_EQ(begun.exit_code, 0) << begun.err;
  auto base = nurse({"baseline", "--override", "128/82"});
  ASSERT_EQ(base.exit_code, 0) << base.err;
  // The infusion needs monitor data first.
  MllpClient monitor(vigild.hl7.host, vigild.hl7.port);
  feed(monitor, {chair("CHAIR1", "T0", 126, 300)});
  auto started = nurse({"start"});
  EXPECT_EQ(started.exit_code, 0) << started.err;

  // The dashboard saves the picture once the detail trend holds three SBP points.
  ChildProcess dash({bin("vigil-dashboard"), "--connect", vigild.stream.str(), "--user", "nurse-trend",
                     "--detail", "--screenshot", png, "--screenshot-when", "trend"});
  ASSERT_TRUE(dash.wait_for_line([](auto& l) { return l == "data valid"; }, 30s)) << dash.stderr_text();
  std::vector<OruValues> series;
  for (int i = 1; i < 6; ++i)
    series.push_back(chair("CHAIR1", "T" + std::to_string(i), 126 + 11 * i, 300 - i * 50));
  feed(monitor, series);
  auto line = dash.wait_for_line([](auto& l) { return starts_with(l, "screenshot"); }, 30s);
  ASSERT_TRUE(line) << dash.stderr_text();
  EXPECT_EQ(*line, "screenshot " + png);
  EXPECT_EQ(dash.wait(20s), 0);
  EXPECT_GT(std::filesystem::file_size(png), 1000u);
}

// The screens: 6 chairs at 1600x1000 and 16 at 1920x1080, each with a HIGH alarm,
// sessions with patient labels and running clocks. The pictures are kept as artifacts
// (dashboard_6_chairs_1600x1000.png, dashboard_16_chairs_1920x1080.png); that every text
// fits is proven by dashboard_layout_test on the same layout code, not by pixels.
template <int W, int H>
class SizedDashboard : public XvfbTest {
 protected:
  SizedDashboard() {
    screen_width_ = W;
    screen_height_ = H;
  }

  void shoot(int chairs, const std::string& name) {
    TempDir dir;
    Vigild vigild(dir.file("vigil.db"));
    // Sessions on the first chairs so tiles carry patient labels and infusion clocks.
    for (int i = 1; i <= std::min(chairs, 4); ++i) {
      auto r = run_command({bin("vigilctl"), "session", "begin", "--bed", "CHAIR" + std::to_string(i),
                            "--patient", "SIM-CHAIR" + std::to_string(i), "--planned-minutes", "40",
                            "--connect", vigild.stream.str(), "--user", "nurse-shot"},
                           30s);
      ASSERT_EQ(r.exit_code, 0) << r.err;
    }
    MllpClient monitor(vigild.hl7.host, vigild.hl7.port);
    ASSERT_TRUE(monitor.connected());
    std::vector<OruValues> ward;
    for (int i = 1; i <= chairs; ++i) {
      OruValues v = chair("CHAIR" + std::to_string(i), "S" + std::to_string(i), i == 2 ? 214 : 118 + i);
      v.hr = i == 3 ? 132 : 70 + i;
      ward.push_back(v);
    }
    feed(monitor, ward);
    const std::string png = artifact(name + ".png");
    std::filesystem::remove(png);
    ChildProcess dash({bin("vigil-dashboard"), "--connect", vigild.stream.str(), "--user", "nurse-shot",
                       "--chair-order-file", "", "--screenshot", png, "--screenshot-when", "high-alert"});
    auto line = dash.wait_for_line([](auto& l) { return starts_with(l, "screenshot"); }, 60s);
    ASSERT_TRUE(line) << dash.stderr_text();
    EXPECT_EQ(*line, "screenshot " + png);
    EXPECT_EQ(dash.wait(20s), 0);
    EXPECT_GT(std::filesystem::file_size(png), 1000u);
  }
};
using Dashboard1600x1000 = SizedDashboard<1600, 1000>;
using Dashboard1920x1080 = SizedDashboard<1920, 1080>;

TEST_F(Dashboard1600x1000, SixChairsScreenshot) { shoot(6, "dashboard_6_chairs_1600x1000"); }
TEST_F(Dashboard1920x1080, SixteenChairsScreenshot) { shoot(16, "dashboard_16_chairs_1920x1080"); }

}  // namespace
}  // namespace vigil::test
