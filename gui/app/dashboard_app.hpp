#pragma once
// One frame of the dashboard: takes a model snapshot, handles the keyboard and test hooks,
// lays out the panels, drives the alarm sound, and reports state changes on stdout (one
// line each, for scripts and the smoke test: "link lost", "high-alert shown CHAIR1", ...).
//
// Threading: UI thread only. It reads the DashboardClient (mutex-guarded snapshots) and
// never waits on the network.
//
// Keys: A acknowledge the top alert (in pick/pin mode: asks who first); P pause audio 2 min
//       on the top alert's chair; Tab / Right next chair; Left previous chair; Ctrl+Left /
//       Ctrl+Right move the selected chair (order saved); Enter chair detail; Esc back.

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "audio/alarm_sound.hpp"
#include "model/chair_order.hpp"
#include "model/dashboard_client.hpp"
#include "panels/panels.hpp"

namespace vigil::dashboard {

class DashboardApp {
 public:
  struct Options {
    std::string screenshot;  // save a picture when `screenshot_when` holds, then exit
    // connected | high-alert | link-lost | detail | trend (detail with >= 3 SBP points)
    std::string screenshot_when = "connected";
    std::optional<int> test_ack_top_after_ms;     // press A once a top alarm has shown this long
    bool start_in_detail = false;                 // open the first chair's detail (demo, tests)
    IdentifyMode identify = IdentifyMode::Fixed;  // who acknowledges (--identify)
    std::string order_file;                       // the saved chair order; "" = not saved
    // Test hook for pick/pin: the nurse (and PIN) the picker answers with, at once.
    std::string test_pick_user, test_pick_pin;
  };

  DashboardApp(DashboardClient& client, AlarmSound& sound, Fonts fonts, Options options);

  // A key went down (GLFW key code). Recorded from the GLFW callback so a press and
  // release inside one frame (fast taps, injected keys) is not lost; handled next frame.
  void key_pressed(int key);
  // Builds the frame's ImGui draw data (between ImGui::NewFrame and ImGui::Render).
  void frame(std::int64_t now_ms, ImVec2 display);
  // After rendering: true when this frame should be saved to options.screenshot.
  bool screenshot_due() const { return screenshot_due_; }
  const std::string& screenshot_path() const { return options_.screenshot; }

 private:
  void keyboard(const DashboardSnapshot& s);
  void acknowledge_top(const DashboardSnapshot& s);
  void perform(const PanelAction& action);
  void report(const DashboardSnapshot& s);
  void reorder(const DashboardSnapshot& s);
  client::HistoryStatus selected_history(const DashboardSnapshot& s, const std::string& bed);

  DashboardClient& client_;
  AlarmSound& sound_;
  Fonts fonts_;
  Options options_;
  UiState ui_;
  ChairOrder order_;
  bool screenshot_due_ = false;
  std::vector<int> keys_;  // pressed since the last frame, bounded
  // Reporting and test hook state.
  std::optional<LinkView> reported_link_;
  bool reported_valid_ = false;
  std::string reported_high_;
  std::string reported_nurses_;
  std::set<std::string> reported_acks_;
  // Per chair, the history state last printed (history-loaded / history-refused); bounded by
  // the model's chair bound.
  std::map<std::string, client::HistoryLoad> reported_history_;
  std::int64_t top_alarm_since_ms_ = 0;
  bool test_ack_done_ = false;
  std::size_t trend_points_ = 0;  // SBP points in the detail trend last drawn
};

}  // namespace vigil::dashboard
