#pragma once
// The dashboard's panels, one file each. Every panel reads plain model snapshots
// (model_views.hpp) and reports what the nurse pressed through PanelActions; none of them
// touches the network or protobuf.
//
// Threading: UI thread only (inside an ImGui frame).

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <imgui.h>

#include "model/model_views.hpp"

namespace vigil::dashboard {

// The fonts the panels draw with; `huge` is for numbers read from across the room.
struct Fonts {
  ImFont* normal = nullptr;  // ~20 px: labels, lists
  ImFont* large = nullptr;   // ~30 px: chair names, alert texts
  ImFont* big = nullptr;     // ~48 px: numbers on a crowded grid
  ImFont* huge = nullptr;    // ~76 px: numbers with four chairs or fewer
};

// A nurse action: the app turns it into a request to vigild.
struct PanelAction {
  enum Kind { Acknowledge, PauseAudio, Begin, BaselineOverride, Start, Stop, End, Report } kind;
  std::string bed;
  std::string alert_id;          // Acknowledge
  std::string patient;           // Begin
  int planned_minutes = 0;       // Begin
  double sys = 0, dia = 0;       // BaselineOverride
  bool accept_measured = false;  // BaselineOverride: accept the measured baseline

  // An action on `bed` (and `alert_id` for Acknowledge); other fields as defaults.
  static PanelAction on(Kind kind, std::string bed, std::string alert_id = {}) {
    PanelAction a{};
    a.kind = kind;
    a.bed = std::move(bed);
    a.alert_id = std::move(alert_id);
    return a;
  }
};
using ActionSink = std::function<void(const PanelAction&)>;

// What the UI remembers between frames.
struct UiState {
  int selected = 0;     // index into snapshot.chairs
  bool detail = false;  // chair detail instead of the grid
  // Session form fields (chair detail).
  char patient[64] = "";
  int planned_minutes = 40;
  int override_sys = 140;
  int override_dia = 90;
  // A session action waiting for "Confirm" (nothing is sent before that).
  std::optional<PanelAction> pending;
  std::string pending_text;
};

// Audio as the connection bar reports it.
struct AudioStatus {
  bool available = false;
  std::string error;
  Priority sounding = Priority::None;
};

// Top bar: link state, user, time, audio state, last request result.
void draw_connection_bar(const DashboardSnapshot& snapshot, const AudioStatus& audio, const Fonts& fonts,
                         ImVec2 pos, ImVec2 size);

// The grid of chair tiles (1-16 chairs); a click selects a chair and opens its detail.
void draw_chair_grid(const DashboardSnapshot& snapshot, UiState& ui, const Fonts& fonts, ImVec2 pos,
                     ImVec2 size);

// One chair: big values, the session trend, session actions with confirmation.
void draw_chair_detail(const DashboardSnapshot& snapshot, const ChairTrend& trend, UiState& ui,
                       const Fonts& fonts, const ActionSink& act, ImVec2 pos, ImVec2 size);

// Trend of SBP/DIA/MAP and HR with the baseline band, infusion marks and alert marks,
// drawn with ImDrawList inside the rectangle.
void draw_trend_plot(ImDrawList* draw, ImVec2 pos, ImVec2 size, const ChairTrend& trend, std::int64_t now_ms,
                     const Fonts& fonts);

// Active alerts (alarms, then advisories) with ACK and audio pause, and the selected
// chair's alert history (who acknowledged what, when).
void draw_alert_list(const DashboardSnapshot& snapshot, const std::vector<HistoryEntry>& history,
                     const UiState& ui, const Fonts& fonts, const ActionSink& act, ImVec2 pos, ImVec2 size);

// The full-screen NO DATA banner when the link is lost or no snapshot has arrived yet.
void draw_link_overlay(const DashboardSnapshot& snapshot, const Fonts& fonts, ImVec2 display);

}  // namespace vigil::dashboard
