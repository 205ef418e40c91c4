#pragma once
// The dashboard's panels, one file each. Every panel reads plain model snapshots
// (model_views.hpp) and reports what the nurse pressed through PanelActions; none of them
// touches the network or protobuf.
//
// Threading: UI thread only (inside an ImGui frame).

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <imgui.h>

#include "layout/screen_layout.hpp"
#include "layout/text_fit.hpp"
#include "model/model_views.hpp"

namespace vigil::dashboard {

// The fonts the panels draw with (app/fonts.hpp loads them for the screen's size).
struct Fonts {
  ImFont* normal = nullptr;           // the screen's label size: lists, widgets
  ImFont* large = nullptr;            // its title size: panel titles, the top bar
  ImFont* big = nullptr;              // ~2.6 x label: the detail view's numbers
  ImFont* huge = nullptr;             // ~3.8 x label: banners
  std::vector<ImFont*> text_ladder;   // every glyph, ascending sizes up to 72 px
  std::vector<ImFont*> digit_ladder;  // digits and / - ( ) % . only, 90-300 px
  // The font to draw `text` at `px` with: the smallest at least that size (scaled down).
  ImFont* at(float px, std::string_view text) const;
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
  // Who acts, when asked at the moment of acting (--identify pick|pin); "" = the screen's user.
  std::string user;
  std::string pin;

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
  // A tile dragged onto another this frame: the app moves `bed` to `onto`'s place.
  struct Move {
    std::string bed, onto;
  };
  std::optional<Move> move;
  // An acknowledgement waiting for who does it (--identify pick|pin): nothing is sent before.
  std::optional<PanelAction> identify;
  std::string identify_user;     // picked, waiting for the PIN
  double identify_opened_s = 0;  // ImGui time the picker opened (it closes itself after 30 s)
  char pin[32] = "";
  char typed_user[64] = "";  // vigild names no nurses (no logins, loopback): the name typed
  // The grid's shape for the last screen size and chair count (layout::choose_grid).
  struct GridCache {
    float w = 0, h = 0;
    int chairs = 0;
    layout::GridChoice choice;
  } grid_cache;
};

// How the nurse acting is named (--identify): Fixed = the --user of the screen; Pick = a
// quick pick of the nurses vigild knows at each acknowledgement; Pin = the pick, then that
// nurse's PIN.
enum class IdentifyMode { Fixed, Pick, Pin };

// Audio as the connection bar reports it.
struct AudioStatus {
  bool available = false;
  std::string error;
  Priority sounding = Priority::None;
};

// Top bar: link state, user, time, audio state, last request result.
void draw_connection_bar(const DashboardSnapshot& snapshot, const AudioStatus& audio, const Fonts& fonts,
                         const layout::Measure& measure, ImVec2 pos, ImVec2 size);

// The grid of chair tiles (1-16 chairs) in screen.grid, as layout_grid() placed them; a click
// selects a chair and opens its detail, a drag moves it (UiState::move).
void draw_chair_grid(const DashboardSnapshot& snapshot, UiState& ui, const Fonts& fonts,
                     const layout::Measure& measure, const layout::ScreenLayout& screen);
// What layout_grid() needs of each chair (pointers into `snapshot`).
std::vector<layout::TileInput> tile_inputs(const DashboardSnapshot& snapshot);

// One chair: big values, the session trend, session actions with confirmation.
void draw_chair_detail(const DashboardSnapshot& snapshot, const ChairTrend& trend, UiState& ui,
                       const Fonts& fonts, const ActionSink& act, ImVec2 pos, ImVec2 size);

// Trend of SBP/DIA/MAP and HR with the baseline band, infusion marks and alert marks,
// drawn with ImDrawList inside the rectangle.
void draw_trend_plot(ImDrawList* draw, ImVec2 pos, ImVec2 size, const ChairTrend& trend, std::int64_t now_ms,
                     const Fonts& fonts);

// Active alerts (alarms, then advisories) with ACK and audio pause, in screen.alerts.
void draw_alert_list(const DashboardSnapshot& snapshot, const Fonts& fonts, const layout::Measure& measure,
                     const layout::ScreenLayout& screen, const ActionSink& act);

// The selected chair's record (readings, infusion marks, alert transitions) in screen.history;
// `stored` says whether its stored history is loading, merged or was refused (and why).
void draw_history(const DashboardSnapshot& snapshot, const ChairTrend& trend,
                  const std::vector<HistoryEntry>& history, const client::HistoryStatus& stored,
                  const UiState& ui, const layout::ScreenLayout& screen);

// Who acknowledges: the quick pick of `nurses` (and the PIN in Pin mode) for ui.identify.
// Calls `act` with the action carrying the user (and PIN) once chosen; Esc cancels.
void draw_identify(UiState& ui, IdentifyMode mode, const std::vector<std::string>& nurses, const Fonts& fonts,
                   const ActionSink& act);

// The full-screen NO DATA banner when the link is lost or no snapshot has arrived yet.
void draw_link_overlay(const DashboardSnapshot& snapshot, const Fonts& fonts, ImVec2 display);

}  // namespace vigil::dashboard
