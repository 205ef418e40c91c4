#pragma once
// Where everything on the dashboard goes, for a screen size and a ward: the panels' boxes,
// the chair grid, and inside each tile every text with its size and lines. Pure (no ImGui):
// the panels draw exactly what this computed, and the tests run it headless for 1-16 chairs
// at 1280x720 .. 3840x2160 with the real font and check that every text fits its box.
//
//   screen size ──► bar | grid (tiles) | alert list + history        (screen_layout)
//   grid + chair count ──► columns giving the largest BP digits     (choose_grid)
//   tile + chair ──► header, clock, BP / HR / SpO2, alarm line(s)   (layout_tile)
//
// Sizes: `scale` is the screen height over 1000 (1080p: 1.08, 4K: 2.16); labels are about
// 20 px at scale 1. The BP digits take what the tile leaves after its text rows, the same
// size in every tile of a grid (a sentence of numbers must not jump in size between chairs).

#include <string>
#include <vector>

#include "client/ward_views.hpp"
#include "layout/text_fit.hpp"

namespace vigil::dashboard::layout {

struct ScreenLayout {
  float scale = 1;
  float label_px = 20;  // lists, labels
  float title_px = 30;  // chair names, panel titles
  Rect bar, grid, alerts, history;
};

// The panels of a `width` x `height` screen.
ScreenLayout screen_layout(float width, float height);

// One tile's texts (positions absolute, like the tile).
struct TileLayout {
  Rect tile;
  float header_h = 0;  // the band coloured by the top alarm
  TextBlock name;      // "CHAIR1"
  TextBlock patient;   // "SIM-CHAIR1": right in the band, or its own line under it
  TextBlock clock;     // "INFUSION 12:30 / 40 min", or the phase ("baseline")
  TextBlock nibp;      // "next NIBP 2 min" (right, or its own line)
  TextBlock lost;      // "MONITOR LOST" (in the next-NIBP place)
  TextBlock bp_label;  // "SBP/DIA (MAP) mmHg" (roomy tiles only)
  TextBlock bp;        // "214/112" in the big digits
  TextBlock bp_sub;    // "(146)  base 120/80  12 s"
  TextBlock hr_label, hr, hr_age;
  TextBlock spo2_label, spo2, spo2_age;
  TextBlock audio;       // "AUDIO PAUSED" (no alert; with one it joins alert_more)
  Rect alert_box;        // filled with the alarm's colour (zero when no alert)
  TextBlock alert;       // "HIGH  SBP 214 ≥ 200" (wrapped, never cut)
  TextBlock alert_more;  // optional lines under it: who it was escalated to, AUDIO PAUSED

  // Every text block, for drawing loops and the tests.
  std::vector<const TextBlock*> blocks() const;
};

// What a tile needs to know beyond the chair: the alert line's optional second line.
struct TileInput {
  const client::ChairView* chair = nullptr;
  bool data_valid = true;
  std::string alert_second;  // "" for none
};

struct GridLayout {
  int cols = 1, rows = 1;
  float bp_px = 0;  // the BP digits' size in every tile
  std::vector<TileLayout> tiles;
};

// The grid's shape for `chairs` chairs in `area`: the column count giving the biggest BP
// digits for a worst-case tile. Depends only on the sizes, so a screen computes it once
// per size and chair count (it is most of the layout's cost).
struct GridChoice {
  int cols = 1, rows = 1;
  float bp_px = 0;
};
GridChoice choose_grid(const Measure& measure, const ScreenLayout& screen, Rect area, int chairs);

// The grid of `chairs` (at most 16 drawn) inside `area`, in the shape `choice`.
GridLayout layout_grid(const Measure& measure, const ScreenLayout& screen, Rect area,
                       const std::vector<TileInput>& chairs, const GridChoice& choice);
// The same, choosing the shape.
GridLayout layout_grid(const Measure& measure, const ScreenLayout& screen, Rect area,
                       const std::vector<TileInput>& chairs);

// One row of the alert list (positions relative to the row's top-left corner).
struct AlertRowLayout {
  float height = 0;
  float button_w = 0;  // ACK and PAUSE at the right, each this wide
  TextBlock head;      // "CHAIR2  HIGH  SBP high"
  TextBlock text;      // "SBP 214 ≥ 200"
  TextBlock state;     // "ACKNOWLEDGED by nurse.lee"
  TextBlock more;      // optional second line (escalation)
  std::vector<const TextBlock*> blocks() const { return {&head, &text, &state, &more}; }
};

AlertRowLayout layout_alert_row(const Measure& measure, const ScreenLayout& screen, float width,
                                const std::string& head, const std::string& text, const std::string& state,
                                const std::string& more, int buttons);

}  // namespace vigil::dashboard::layout
